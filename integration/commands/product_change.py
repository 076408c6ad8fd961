"""``partnerdesk product-change``: the verdict on a product change from contract facts.

Prints the German internal note (as an agent would see it on the ticket) or, with
``--json``, the verdict and checklist for scripts. Exit codes: 0 when the change can be
ordered (``possible`` or ``approval_required``), 1 when it cannot yet (``blocked`` or
``needs_info``), 2 for usage errors (a malformed date or number, an unknown status).
An unknown product group is not a usage error: like a wrong ticket field it yields
``needs_info`` naming the value.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime

from config.settings import Settings
from handlers.product_change.checklist import build_checklist
from handlers.product_change.facts import ContractStatus, facts_from_values
from handlers.product_change.note import render_note
from handlers.product_change.rules import Outcome, evaluate, local_today

__all__ = ["HELP", "add_arguments", "run"]

HELP = "decide a product change from contract facts"

_STATUSES = [s.value for s in ContractStatus]


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-31") from None


def _months(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of months")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=_STATUSES, help="contract status")
    parser.add_argument(
        "--start", type=_iso_date, metavar="DATE", help="contract start (YYYY-MM-DD)"
    )
    parser.add_argument("--term", type=_months, metavar="MONTHS", help="minimum term in months")
    parser.add_argument(
        "--term-end", type=_iso_date, metavar="DATE", help="last day of the minimum term"
    )
    parser.add_argument("--group", metavar="GROUP", help="current product group (SDSL, VDSL, ...)")
    parser.add_argument("--target", metavar="GROUP", help="target product group")
    parser.add_argument(
        "--leased-line-move", action="store_true", help="the request relocates a leased line"
    )
    parser.add_argument(
        "--customer-admin",
        choices=("yes", "no"),
        help="whether Kunden-Administration is active for the customer (unknown: needs_info)",
    )
    parser.add_argument("--open-cart", action="store_true", help="an unfinished cart exists")
    parser.add_argument("--open-order", action="store_true", help="an open order exists")
    parser.add_argument(
        "--power-of-attorney",
        action="store_true",
        help="a sales-partner power of attorney exists (step 10, the offer, is not needed)",
    )
    parser.add_argument(
        "--today",
        type=_iso_date,
        metavar="DATE",
        help="evaluate as of this date (default: today in Berlin)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def run(args: argparse.Namespace, settings: Settings) -> int:
    facts = facts_from_values(
        {
            "status": args.status,
            "customer_admin": args.customer_admin,
            # Flags on the command line are statements: absent means "no".
            "open_order": args.open_order,
            "open_cart": args.open_cart,
            "contract_start": args.start,
            "term_months": args.term,
            "term_end": args.term_end,
            "current_group": args.group,
            "target_group": args.target,
            "leased_line_move": args.leased_line_move,
            "sales_partner_poa": True if args.power_of_attorney else None,
        }
    )
    today = args.today or local_today(datetime.now(UTC), tz=settings.general.timezone)
    verdict = evaluate(facts, today=today, settings=settings.product_change)
    checklist = build_checklist(verdict)
    if args.json:
        out = {"verdict": verdict.as_dict(), "checklist": checklist.as_dict()}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"outcome: {verdict.outcome.value}")
        print()
        print(render_note(verdict, checklist), end="")
    return 0 if verdict.outcome in (Outcome.POSSIBLE, Outcome.APPROVAL_REQUIRED) else 1
