"""``partnerdesk doctor``: every missing or weak setting at once, then a read-only Zendesk check.

``serve`` runs :func:`configuration_problems` at start and refuses to start on any error,
so an operator learns everything that is missing in one message instead of one failed
delivery per ticket later. ``doctor`` prints the same list without starting and then asks
Zendesk (GET requests only) whether the API token works, which user it belongs to (the
user the triggers must exclude), and whether the configured custom fields exist with the
drop-down options the service writes.

The checks live here, not in settings loading: tests build settings with short secrets.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from config.errors import ConfigError
from config.settings import Settings
from integration.web.signature import configured_secrets

__all__ = [
    "GENERATE",
    "HELP",
    "MIN_SECRET_BYTES",
    "Finding",
    "add_arguments",
    "configuration_problems",
    "require_configuration",
    "run",
    "zendesk_problems",
]

HELP = "check the configuration and, read-only, the Zendesk account"
MIN_SECRET_BYTES = 32
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


@dataclass(frozen=True)
class Finding:
    """One result: ``error`` keeps ``serve`` from starting, ``warning`` is printed only."""

    level: str  # error, warning, ok
    setting: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.setting}: {self.message}"


def _secret_findings(
    name: str, values: Iterable[str], *, required: str, how: str = ""
) -> list[Finding]:
    """``required`` is empty when a missing secret is fine, else what breaks without it;
    ``how`` says where the secret comes from (default: generate one)."""
    how = how or f"Generate one with: {GENERATE}"
    present = [v for v in values if v]
    if not present:
        if not required:
            return []
        return [Finding("error", name, f"is missing: {required}. {how}")]
    out: list[Finding] = []
    for index, value in enumerate(present):
        size = len(value.encode("utf-8"))
        if size < MIN_SECRET_BYTES:
            which = f" (value {index + 1})" if len(present) > 1 else ""
            out.append(
                Finding(
                    "error",
                    name,
                    f"is {size} bytes{which}; use at least {MIN_SECRET_BYTES} random bytes. {how}",
                )
            )
    return out


def _public_url_findings(url: str) -> list[Finding]:
    name = "PARTNERDESK_PUBLIC_URL"
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return [Finding("error", name, f"{url!r} is no http(s) address; partners' links use it")]
    loopback = host == "localhost"
    try:
        address = ipaddress.ip_address(host)
        loopback = address.is_loopback or address.is_private or address.is_unspecified
    except ValueError:
        pass
    if loopback:
        return [
            Finding(
                "error",
                name,
                f"points at {host}, which partners cannot reach; set the service's public "
                "address, e.g. https://partnerdesk.example.com",
            )
        ]
    if parts.scheme != "https":
        return [Finding("warning", name, "is not https; partners' links would travel in clear")]
    return []


def configuration_problems(settings: Settings) -> list[Finding]:
    """Every missing or weak setting the service needs, errors first (no network)."""
    zd = settings.zendesk
    out: list[Finding] = []
    for env, value in (
        ("PARTNERDESK_ZENDESK_SUBDOMAIN", zd.subdomain),
        ("PARTNERDESK_ZENDESK_EMAIL", zd.email),
        ("PARTNERDESK_ZENDESK_TOKEN", zd.token.get_secret_value()),
    ):
        if not value:
            out.append(Finding("error", env, "is missing: nothing can be read from Zendesk"))
    if "." in zd.subdomain or "/" in zd.subdomain:
        out.append(
            Finding(
                "error",
                "PARTNERDESK_ZENDESK_SUBDOMAIN",
                "takes the subdomain only (acme for acme.zendesk.com)",
            )
        )
    out += _secret_findings(
        "PARTNERDESK_WEBHOOK_SECRET(S)",
        configured_secrets(zd),
        required="every webhook delivery would be refused",
        how="Zendesk makes it: copy the whole value from the webhook's Signing secret "
        "in Admin Center",
    )
    if zd.api_user_id is None:
        out.append(
            Finding(
                "warning",
                "PARTNERDESK_ZENDESK__API_USER_ID",
                "is not set: only the triggers' 'Current user is not' condition keeps "
                "partnerdesk's own comments from starting a run (doctor prints the id)",
            )
        )
    out += _secret_findings(
        "PARTNERDESK_LINK_SECRET",
        [settings.scheduling.link_secret.get_secret_value()],
        required="no cutover can be proposed after an approval",
    )
    app_secret = settings.app.shared_secret.get_secret_value()
    out += _secret_findings("PARTNERDESK_APP_SECRET", [app_secret], required="")
    if not app_secret:
        out.append(
            Finding("warning", "PARTNERDESK_APP_SECRET", "is not set: the sidebar app is off")
        )
    out += _public_url_findings(settings.general.public_url)
    rel, sch = settings.relocation, settings.scheduling
    if rel.source_partner_field_id is None:
        out.append(
            Finding(
                "error",
                "relocation.source_partner_field_id",
                "is not set: the source partner of an approved case cannot be found",
            )
        )
    if sch.cutover_field_id is None:
        out.append(
            Finding(
                "error",
                "scheduling.cutover_field_id",
                "is not set: a booked cutover cannot be written to the ticket",
            )
        )
    if not settings.partners:
        out.append(Finding("error", "[[partners]]", "is empty: no source partner can be contacted"))
    for name in ("status_field_id", "requested_numbers_field_id"):
        if getattr(rel, name) is None:
            out.append(Finding("warning", f"relocation.{name}", "is not set (optional)"))
    if sch.linked_ticket_field_id is None:
        out.append(Finding("warning", "scheduling.linked_ticket_field_id", "is not set (optional)"))
    options = {rel.status_approved, rel.status_partial, rel.status_rejected, rel.status_review}
    tags = {rel.tag_approved, rel.tag_partial, rel.tag_rejected, rel.tag_review}
    if options & tags or len(options) < 4:
        out.append(
            Finding(
                "error",
                "relocation.status_*",
                "the status drop-down's option tags must be four tags distinct from the "
                "outcome tags (Zendesk removes the other options' tags when it sets the field)",
            )
        )
    return sorted(out, key=lambda f: f.level != "error")


def require_configuration(settings: Settings) -> list[Finding]:
    """Raise ConfigError naming every error at once; return the warnings."""
    found = configuration_problems(settings)
    errors = [f for f in found if f.level == "error"]
    if errors:
        lines = "\n".join(f"  - {f.setting}: {f.message}" for f in errors)
        raise ConfigError(
            f"partnerdesk cannot start; {len(errors)} setting(s) are missing or weak:\n{lines}\n"
            "Run `partnerdesk doctor` after fixing them."
        )
    return [f for f in found if f.level == "warning"]


# ---- read-only Zendesk check ---------------------------------------------------------


def _field_checks(settings: Settings) -> list[tuple[str, int, set[str], set[str]]]:
    """(setting, field id, accepted types, option tags the service writes)."""
    rel, sch, pc = settings.relocation, settings.scheduling, settings.product_change
    status = {rel.status_approved, rel.status_partial, rel.status_rejected, rel.status_review}
    text = {"text", "textarea", "date", "regexp"}
    wanted: list[tuple[str, int | None, set[str], set[str]]] = [
        ("relocation.requested_numbers_field_id", rel.requested_numbers_field_id, text, set()),
        ("relocation.status_field_id", rel.status_field_id, {"tagger"}, status),
        (
            "relocation.source_partner_field_id",
            rel.source_partner_field_id,
            {"tagger", "text", "partialcreditcard", "lookup"} | text,
            set(),
        ),
        ("relocation.field_id", rel.field_id, set(), set()),
        ("scheduling.cutover_field_id", sch.cutover_field_id, text, set()),
        ("scheduling.linked_ticket_field_id", sch.linked_ticket_field_id, set(), set()),
    ]
    for name in (
        "status_field_id",
        "open_order_field_id",
        "contract_start_field_id",
        "term_months_field_id",
        "term_end_field_id",
        "current_group_field_id",
        "target_group_field_id",
        "leased_line_move_field_id",
        "open_cart_field_id",
        "sales_partner_poa_field_id",
    ):
        wanted.append((f"product_change.{name}", getattr(pc, name), set(), set()))
    return [(s, i, t, o) for s, i, t, o in wanted if i is not None]


def zendesk_problems(settings: Settings, session: requests.Session | None = None) -> list[Finding]:
    """Ask Zendesk, with GET requests only, whether token, fields and options fit."""
    zd = settings.zendesk
    if not (zd.subdomain and zd.email and zd.token.get_secret_value()):
        return [Finding("error", "zendesk", "not configured: the account was not checked")]
    http = session or requests.Session()
    base = f"https://{zd.subdomain}.zendesk.com/api/v2"
    auth = (f"{zd.email}/token", zd.token.get_secret_value())

    def get(path: str) -> requests.Response:
        return http.get(base + path, auth=auth, timeout=zd.timeout_seconds)

    out: list[Finding] = []
    try:
        me = get("/users/me.json")
    except requests.RequestException as exc:
        return [Finding("error", "zendesk", f"{base} is unreachable ({type(exc).__name__})")]
    user = me.json().get("user", {}) if me.ok else {}
    if me.status_code == 401 or not user.get("id"):
        return [
            Finding(
                "error",
                "PARTNERDESK_ZENDESK_TOKEN",
                "Zendesk refused the token (is 'Allow API token access' on under Apps and "
                "integrations → APIs → API configuration, and does the e-mail match?)",
            )
        ]
    if not me.ok:
        return [Finding("error", "zendesk", f"users/me answered HTTP {me.status_code}")]
    role = user.get("role")
    if role not in ("agent", "admin"):
        out.append(
            Finding("error", "PARTNERDESK_ZENDESK_EMAIL", f"belongs to a {role}, not an agent")
        )
    out.append(
        Finding(
            "ok",
            "PARTNERDESK_ZENDESK_TOKEN",
            f"works for user {user['id']} ({role}); every trigger needs the condition "
            f"'Current user' 'Is not' this user; set PARTNERDESK_ZENDESK__API_USER_ID={user['id']}",
        )
    )
    for setting, field_id, types, options in _field_checks(settings):
        resp = get(f"/ticket_fields/{field_id}.json")
        if resp.status_code == 404:
            out.append(Finding("error", setting, f"no ticket field {field_id} in Zendesk"))
            continue
        if not resp.ok:
            out.append(Finding("error", setting, f"field {field_id}: HTTP {resp.status_code}"))
            continue
        field = resp.json().get("ticket_field", {})
        if not field.get("active", True):
            out.append(Finding("error", setting, f"field {field_id} is inactive"))
        kind = field.get("type", "")
        if types and kind not in types:
            out.append(
                Finding(
                    "error",
                    setting,
                    f"field {field_id} is of type {kind!r}, expected {' or '.join(sorted(types))}",
                )
            )
        present = {str(o.get("value")) for o in field.get("custom_field_options") or []}
        missing = sorted(options - present)
        if missing:
            out.append(
                Finding(
                    "error",
                    setting,
                    f"drop-down {field_id} lacks the option tag(s) {', '.join(missing)}",
                )
            )
        if setting == "relocation.source_partner_field_id" and kind == "tagger":
            unknown = sorted(p.id for p in settings.partners if p.id not in present)
            if unknown:
                out.append(
                    Finding(
                        "warning",
                        setting,
                        f"partners without a drop-down option: {', '.join(unknown)}",
                    )
                )
        if not any(f.setting == setting and f.level != "ok" for f in out):
            out.append(Finding("ok", setting, f"field {field_id} ({kind}) fits"))
    out += _webhook_findings(settings, get)
    return out


def _webhook_findings(settings: Settings, get: Callable[[str], requests.Response]) -> list[Finding]:
    """Is there an active webhook pointing at this service, and which triggers call it?"""
    endpoint = settings.general.public_url.rstrip("/") + "/webhooks/zendesk"
    resp = get("/webhooks")
    if not resp.ok:
        return [Finding("warning", "webhook", f"webhooks not readable (HTTP {resp.status_code})")]
    ours = [w for w in resp.json().get("webhooks") or [] if w.get("endpoint") == endpoint]
    if not ours:
        return [Finding("error", "webhook", f"no webhook in Zendesk posts to {endpoint}")]
    out: list[Finding] = []
    for hook in ours:
        if hook.get("status") != "active":
            out.append(Finding("error", "webhook", f"webhook {hook.get('name')!r} is inactive"))
    trigger_connected = {
        str(w.get("id"))
        for w in ours
        if (w.get("subscriptions") or ["conditional_ticket_events"])
        == ["conditional_ticket_events"]
    }
    resp = get("/triggers/active.json")
    if not resp.ok:
        out.append(Finding("warning", "triggers", f"not readable (HTTP {resp.status_code})"))
        return out
    calling = []
    for trigger in resp.json().get("triggers") or []:
        for action in trigger.get("actions") or []:
            value = action.get("value")
            if action.get("field") != "notification_webhook" or not isinstance(value, list):
                continue
            if value and str(value[0]) in trigger_connected:
                calling.append(trigger.get("title") or str(trigger.get("id")))
                body = str(value[1]) if len(value) > 1 else ""
                if "current_user_id" not in body:
                    out.append(
                        Finding(
                            "warning",
                            "triggers",
                            f"trigger {calling[-1]!r} sends no current_user_id: partnerdesk "
                            "cannot recognise events it caused itself",
                        )
                    )
    if trigger_connected and not calling:
        out.append(Finding("error", "triggers", "no active trigger calls the webhook"))
    elif calling:
        out.append(Finding("ok", "triggers", f"calling the webhook: {', '.join(calling)}"))
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offline", action="store_true", help="check the configuration only, do not ask Zendesk"
    )


def run(
    args: argparse.Namespace,
    settings: Settings,
    *,
    zendesk: Callable[[Settings], list[Finding]] | None = None,
) -> int:
    found: list[Any] = configuration_problems(settings)
    if not args.offline:
        found += (zendesk or zendesk_problems)(settings)
    for finding in found:
        print(finding, file=sys.stdout if finding.level == "ok" else sys.stderr)
    errors = [f for f in found if f.level == "error"]
    if errors:
        print(f"{len(errors)} error(s): partnerdesk is not ready.", file=sys.stderr)
        return 1
    print("configuration ok" + ("" if args.offline else " and Zendesk fits"))
    return 0
