"""``partnerdesk check FILE... [--requested LIST | --requested @FILE] [--json]``.

Reads confirmation letters exactly as the service does (sandboxed parser, same limits),
decides the request and prints a table per document and the decision, or the JSON
schema of issue 2. Exit 0: every requested number approved and nothing to review;
1: something rejected or to review; 2: usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from config.errors import UsageError
from config.settings import Settings
from handlers.messages.filters import national
from handlers.relocation.decision import Decision, decide
from parsers.model import ParsedDocument

HELP = "read confirmation PDFs and decide a relocation request"

__all__ = ["HELP", "add_arguments", "format_report", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="confirmation letters (PDF)")
    parser.add_argument(
        "--requested",
        metavar="LIST",
        help="requested numbers and blocks, comma- or newline-separated, or @FILE to read them from a file",
    )
    parser.add_argument("--json", action="store_true", help="print the machine-readable result")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def _requested_text(value: str | None) -> str:
    if value is None:
        return ""
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read the request file {path}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise UsageError(f"the request file {path} is not UTF-8 text.") from None
    return value


def _read_files(
    paths: list[str], settings: Settings, *, progress: TextIO | None
) -> list[ParsedDocument]:
    from parsers.document import read_document  # imported late: keeps --help fast

    docs = []
    for i, name in enumerate(paths, start=1):
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"{name} does not exist or is not a file.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror}.") from None
        if progress is not None:
            print(f"partnerdesk: reading {name} ({i}/{len(paths)}) …", file=progress, flush=True)
        docs.append(read_document(data, filename=name, settings=settings))
    return docs


def format_report(documents: list[ParsedDocument], decision: Decision) -> str:
    """The human-readable report: one table per document, then the decision."""
    out: list[str] = []
    for d in documents:
        ocr = f", OCR on page(s) {', '.join(map(str, d.ocr_pages))}" if d.ocr_pages else ""
        out.append(f"{d.file}: {d.pages} page(s){ocr}")
        if d.error:
            out.append(f"  cannot read it ({d.error.code}): {d.error.message}")
            out.append("")
            continue
        s = d.signature
        who = ", ".join(x for x in (s.signatory, s.role) if x)
        sig = f"{s.kind}{f' — {who}' if who else ''}" if s.present else "none found"
        out.append(f"  signature: {sig}")
        for ds in s.digital:
            out.append(f"  digital signature {ds.field}: {ds.summary}")
        if d.blanket_clause:
            out.append("  note: the letter speaks of 'all numbers' without naming them")
        if not d.numbers:
            out.append("  no phone numbers found")
        else:
            out.append(f"  {'number':<34} {'count':>5}  {'role':<9} {'page':>4}  source")
            for n in d.numbers:
                out.append(
                    f"  {national(n.range):<34} {n.range.count:>5}  {n.role.value:<9} {n.page:>4}  {n.source.value}"
                )
        out.append("")
    review = (
        f" — needs review: {', '.join(decision.review_reasons)}" if decision.needs_review else ""
    )
    out.append(f"decision: {decision.outcome.upper()}{review}")
    for r in decision.approved:
        out.append(f"  approved     {national(r):<34} ({r.count})")
    for rej in decision.rejected:
        label = national(rej.range) if rej.range else rej.text
        out.append(f"  rejected     {label:<34} {rej.reason.value}")
    for r in decision.unrequested:
        out.append(f"  not requested {national(r):<33} ({r.count}) handed over, but nobody asked")
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace, settings: Settings) -> int:
    from parsers.numbers import parse_requested

    requested = parse_requested(_requested_text(args.requested), region=settings.general.region)
    progress = None if args.quiet else sys.stderr
    documents = _read_files(args.files, settings, progress=progress)
    decision = decide(requested.ranges, documents, invalid=requested.invalid)
    if args.json:
        payload = {
            "documents": [d.as_dict() for d in documents],
            "decision": decision.as_dict(),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(format_report(documents, decision), end="")
    failed = [d for d in documents if d.error is not None]
    if failed:
        first = failed[0]
        assert first.error is not None
        print(f"partnerdesk: cannot read {first.file}: {first.error.message}", file=sys.stderr)
        return 2
    ok = not decision.needs_review and not decision.rejected and bool(decision.approved)
    return 0 if ok else 1
