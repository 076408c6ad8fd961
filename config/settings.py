"""Typed settings: the bundled ``default.toml``, an operator's TOML file, then environment.

Precedence, lowest first: ``config/default.toml`` → the file named by
``PARTNERDESK_CONFIG`` (or ``--config``) → environment variables. The fixed names
operators script (``PARTNERDESK_DATA_DIR``, ``PARTNERDESK_DATABASE_URL``,
``PARTNERDESK_REDIS_URL``, ``PARTNERDESK_ZENDESK_SUBDOMAIN``, ``PARTNERDESK_ZENDESK_EMAIL``,
``PARTNERDESK_ZENDESK_TOKEN``, ``PARTNERDESK_WEBHOOK_SECRET``, ``PARTNERDESK_APP_SECRET``,
``PARTNERDESK_LINK_SECRET``) map to their fields; any other field can be set as
``PARTNERDESK_<SECTION>__<FIELD>`` (double underscore), e.g. ``PARTNERDESK_OCR__ENABLED=false``.
Secrets are read from the environment only; a secret in a TOML file is refused.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import holidays
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config.errors import ConfigError

__all__ = [
    "AppSettings",
    "GeneralSettings",
    "LimitSettings",
    "OcrSettings",
    "Partner",
    "ProductChangeSettings",
    "QueueSettings",
    "RelocationSettings",
    "SchedulingSettings",
    "Settings",
    "SignatureSettings",
    "ZendeskSettings",
    "load_settings",
]

DEFAULT_FILE = Path(__file__).with_name("default.toml")

# Fixed environment names -> (section, field). Operators script these; do not rename.
FIXED_ENV: dict[str, tuple[str, str]] = {
    "PARTNERDESK_DATA_DIR": ("general", "data_dir"),
    "PARTNERDESK_DATABASE_URL": ("general", "database_url"),
    "PARTNERDESK_REDIS_URL": ("general", "redis_url"),
    "PARTNERDESK_PUBLIC_URL": ("general", "public_url"),
    "PARTNERDESK_ZENDESK_SUBDOMAIN": ("zendesk", "subdomain"),
    "PARTNERDESK_ZENDESK_EMAIL": ("zendesk", "email"),
    "PARTNERDESK_ZENDESK_TOKEN": ("zendesk", "token"),
    "PARTNERDESK_WEBHOOK_SECRET": ("zendesk", "webhook_secret"),
    "PARTNERDESK_WEBHOOK_SECRETS": ("zendesk", "webhook_secrets"),
    "PARTNERDESK_APP_SECRET": ("app", "shared_secret"),
    "PARTNERDESK_LINK_SECRET": ("scheduling", "link_secret"),
}
SECRET_FIELDS = {
    ("zendesk", "token"),
    ("zendesk", "webhook_secret"),
    ("zendesk", "webhook_secrets"),
    ("app", "shared_secret"),
    ("scheduling", "link_secret"),
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GeneralSettings(_Section):
    """Where data lives and how the process logs."""

    data_dir: Path = Path(".partnerdesk")
    database_url: str = ""  # empty: SQLite file under data_dir
    redis_url: str = ""  # empty: SQLite-backed queue under data_dir
    public_url: str = "http://127.0.0.1:8000"  # base of links sent to partners
    region: str = "DE"
    timezone: str = "Europe/Berlin"
    log_format: str = "auto"  # auto (console on a terminal, else json), json, console
    log_level: str = "INFO"

    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'partnerdesk.db').resolve()}"


class LimitSettings(_Section):
    """Caps that keep hostile input from hurting the service."""

    max_file_bytes: int = 25 * 1024 * 1024
    max_pages: int = 30
    parse_timeout_seconds: float = 120.0
    parse_memory_mb: int = 2048
    max_webhook_body_bytes: int = 256 * 1024
    download_timeout_seconds: float = 20.0  # one deadline for the whole download
    download_allow_loopback: bool = False  # tests only: a local Zendesk stand-in
    max_attachments_per_ticket: int = 20  # attachments read per ticket and run
    ticket_parse_budget_seconds: float = 600.0  # total parse time per ticket and run
    max_app_body_bytes: int = 64 * 1024  # sidebar API and slot pages
    max_json_depth: int = 32  # deeper JSON bodies are refused (400)
    body_read_timeout_seconds: float = 15.0  # a body not received by then: 408
    keepalive_timeout_seconds: int = 5  # uvicorn: idle keep-alive connections closed
    max_content_bytes: int = 16 * 1024 * 1024  # decoded content streams per page
    max_page_operators: int = 300_000  # content stream operators per page
    max_image_pixels: int = 50_000_000  # per image and per rendered page bitmap
    max_image_bytes: int = 200 * 1024 * 1024  # decoded bytes of one image


class QueueSettings(_Section):
    """Retries, backoff and the sweeper that re-enqueues deliveries huey lost."""

    max_attempts: int = 8  # then the delivery fails for good and an agent is told on the ticket
    backoff_base_seconds: float = 10.0  # doubled per attempt
    backoff_max_seconds: float = 900.0
    sweep_grace_seconds: int = 120  # a delivery untouched this long is re-enqueued
    lease_seconds: int = 30  # a "processing" delivery not renewed this long is taken over
    heartbeat_seconds: float = 10.0  # a working worker renews its lease this often
    sweep_minutes: str = "*"  # huey crontab minute spec (UTC)


class OcrSettings(_Section):
    """Reading pages that have no text layer."""

    enabled: bool = True
    dpi: int = 300
    min_text_chars: int = 25  # a page with fewer extractable characters is treated as a scan


class SignatureSettings(_Section):
    """Trust roots (PEM/DER files) for embedded digital signatures."""

    trust_roots: list[Path] = Field(default_factory=list)


class ZendeskSettings(_Section):
    """How to reach Zendesk and how webhooks are verified."""

    subdomain: str = ""
    email: str = ""
    token: SecretStr = SecretStr("")
    webhook_secret: SecretStr = SecretStr("")
    # more signing secrets, comma-separated (one per webhook, e.g. an event-subscription one)
    webhook_secrets: SecretStr = SecretStr("")
    # the user the API token belongs to: events this user caused (partnerdesk's own
    # comments and updates) are stored as ignored, never processed
    api_user_id: int | None = None
    max_signature_age_seconds: int = 300
    ratelimit_budget: int = 30
    timeout_seconds: float = 10.0
    # hosts attachments may be downloaded from besides <subdomain>.zendesk.com (and
    # their subdomains): Zendesk's attachment storage
    download_hosts: list[str] = Field(default_factory=lambda: ["zdusercontent.com"])


class RelocationSettings(_Section):
    """How an Umzugsauftrag is recognised and where its results are written."""

    form_id: int | None = None
    tag: str = "umzugsauftrag"
    field_id: int | None = None  # a custom field whose value marks the ticket type
    field_value: str = "umzugsauftrag"
    requested_numbers_field_id: int | None = None  # else the ticket description is read
    status_field_id: int | None = None
    source_partner_field_id: int | None = None
    public_reply: bool = True
    tag_approved: str = "partnerdesk_approved"
    tag_partial: str = "partnerdesk_partial"
    tag_rejected: str = "partnerdesk_rejected"
    tag_review: str = "partnerdesk_review"
    # the status drop-down's option tags: distinct from the outcome tags, since Zendesk
    # removes the other options' tags whenever the drop-down is set
    status_approved: str = "partnerdesk_status_approved"
    status_partial: str = "partnerdesk_status_partial"
    status_rejected: str = "partnerdesk_status_rejected"
    status_review: str = "partnerdesk_status_review"


class Partner(_Section):
    """One partner (reseller) in the directory."""

    id: str
    name: str
    contact_email: str
    contact_name: str = ""
    zendesk_user_id: int | None = None
    zendesk_organization_id: int | None = None


class SchedulingSettings(_Section):
    """Service hours, holidays, capacity and the rules of cutover proposals."""

    timezone: str = "Europe/Berlin"
    # weekday (mon..sun) -> list of "HH:MM-HH:MM" windows in local time
    service_hours: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "mon": ["08:00-17:00"],
            "tue": ["08:00-17:00"],
            "wed": ["08:00-17:00"],
            "thu": ["08:00-17:00"],
            "fri": ["08:00-15:00"],
        }
    )
    holiday_state: str = "BE"  # a German state code as the holidays package knows it
    holiday_categories: list[str] = Field(default_factory=lambda: ["public"])
    closures: list[str] = Field(default_factory=list)  # "YYYY-MM-DD" or "MM-DD" (every year)
    min_notice_hours: int = 48
    horizon_days: int = 60
    grid_minutes: int = 30
    capacity: int = 2
    slot_count: int = 3
    hold_hours: int = 72
    max_rounds: int = 3
    reminder_time: str = "15:00"  # local time, the working day before
    link_ttl_hours: int = 168
    link_secret: SecretStr = SecretStr("")
    cutover_field_id: int | None = None
    linked_ticket_field_id: int | None = None
    tag_scheduled: str = "partnerdesk_scheduled"
    tag_handover: str = "partnerdesk_schedule_agent"
    # partner A's new ticket carries this tag, so the reply trigger matches it
    tag_partner_ticket: str = "partnerdesk_cutover"
    # ORGANIZER of the .ics invitations; empty: invitations are METHOD:PUBLISH
    organizer_email: str = ""
    # [max operations, minutes]: a single number or a whole block is one operation
    duration_tiers: list[list[int]] = Field(
        default_factory=lambda: [[1, 60], [10, 90], [50, 120], [200, 240]]
    )

    @field_validator("holiday_state")
    @classmethod
    def _known_state(cls, value: str) -> str:
        """A state code the holidays package knows (any case); empty: nationwide only."""
        wanted = value.strip()
        if not wanted:
            return ""
        codes = tuple(str(c) for c in holidays.list_supported_countries()["DE"])
        for code in codes:
            if code.casefold() == wanted.casefold():
                return code
        raise ValueError(f"unknown German state {value!r}; valid codes: {', '.join(codes)}")


class ProductChangeSettings(_Section):
    """How a Produktwechsel ticket is recognised and where its facts live."""

    form_id: int | None = None
    tag: str = "produktwechsel"
    field_id: int | None = None
    field_value: str = "produktwechsel"
    fee: str = ""  # the change fee as the price list states it; empty: "laut Preisliste"
    leased_line_min_months: int = 12
    # custom field ids for the contract facts (None: fact not configured)
    status_field_id: int | None = None
    customer_admin_field_id: int | None = None  # drop-down ja/nein: Kunden-Administration aktiv
    open_order_field_id: int | None = None
    contract_start_field_id: int | None = None
    term_months_field_id: int | None = None
    term_end_field_id: int | None = None
    current_group_field_id: int | None = None
    target_group_field_id: int | None = None
    leased_line_move_field_id: int | None = None
    open_cart_field_id: int | None = None  # unfinished cart (Warenkorb) for the contract
    sales_partner_poa_field_id: int | None = None  # Vertriebspartner-Vollmacht: no offer needed
    tag_possible: str = "partnerdesk_pw_possible"
    tag_approval: str = "partnerdesk_pw_approval"
    tag_blocked: str = "partnerdesk_pw_blocked"
    tag_info: str = "partnerdesk_pw_info"
    tag_review: str = "partnerdesk_pw_review"  # partnerdesk itself failed: an agent takes over


class AppSettings(_Section):
    """The Zendesk sidebar app's backend."""

    shared_secret: SecretStr = SecretStr("")
    token_leeway_seconds: int = 30
    token_max_lifetime_seconds: int = Field(default=3600, gt=0, le=3600)  # exp - iat
    render_dpi: int = 110
    # the manifest's author (Zendesk shows it to admins): who runs this installation
    author_name: str = "partnerdesk"
    author_email: str = ""
    author_url: str = ""


class Settings(BaseSettings):
    """All settings of one partnerdesk process.

    Built in code (``Settings(...)``, tests) it holds the given values and the defaults;
    :func:`load_settings` adds the files and the environment (pydantic-settings sources).
    """

    model_config = SettingsConfigDict(
        extra="forbid",
        frozen=True,
        env_prefix="PARTNERDESK_",
        env_nested_delimiter="__",
        env_ignore_empty=True,
        case_sensitive=False,
    )

    general: GeneralSettings = Field(default_factory=GeneralSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    signature: SignatureSettings = Field(default_factory=SignatureSettings)
    zendesk: ZendeskSettings = Field(default_factory=ZendeskSettings)
    relocation: RelocationSettings = Field(default_factory=RelocationSettings)
    scheduling: SchedulingSettings = Field(default_factory=SchedulingSettings)
    product_change: ProductChangeSettings = Field(default_factory=ProductChangeSettings)
    app: AppSettings = Field(default_factory=AppSettings)
    partners: list[Partner] = Field(default_factory=list)

    def partner(self, partner_id: str) -> Partner | None:
        """The directory entry for ``partner_id`` (case-insensitive), or None."""
        wanted = partner_id.strip().casefold()
        for p in self.partners:
            if p.id.casefold() == wanted:
                return p
        return None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Highest first: given values, fixed env names, ``PARTNERDESK_*``, the files."""
        load = _LOADING.get()
        if load is None:
            return (init_settings,)
        env = EnvSettingsSource(settings_cls)
        env.env_vars = {k.lower(): v for k, v in load.env.items()}  # the mapping given
        files = [TomlConfigSettingsSource(settings_cls, toml_file=f) for f in load.files]
        return (init_settings, _FixedEnvSource(settings_cls, load.env), env, *reversed(files))


@dataclass(frozen=True)
class _Load:
    files: tuple[Path, ...]  # lowest precedence first
    env: Mapping[str, str]


# What load_settings is loading; read by Settings.settings_customise_sources.
_LOADING: ContextVar[_Load | None] = ContextVar("partnerdesk_settings_load", default=None)


@contextmanager
def _loading(load: _Load) -> Iterator[None]:
    token = _LOADING.set(load)
    try:
        yield
    finally:
        _LOADING.reset(token)


class _FixedEnvSource(PydanticBaseSettingsSource):
    """The fixed environment names operators script (``FIXED_ENV``), as nested values."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self._env = env

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # values are nested: __call__ builds them

    def __call__(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (section, key) in FIXED_ENV.items():
            value = self._env.get(name, "")
            if value != "":
                out.setdefault(section, {})[key] = value
        return out


def _check_file(path: Path, *, user: bool) -> None:
    """A missing or malformed file, or a secret in the operator's file, is a ConfigError."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"The configuration file {path} does not exist; check PARTNERDESK_CONFIG."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The configuration file {path} is not valid TOML: {exc}.") from None
    if user:
        for section, key in SECRET_FIELDS:
            if isinstance(data.get(section), Mapping) and data[section].get(key):
                raise ConfigError(
                    f"{path} sets the secret {section}.{key}; "
                    "secrets belong in the environment only."
                )


def load_settings(
    path: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings from the default file, an optional TOML file and the environment."""
    environ = os.environ if env is None else env
    files = [DEFAULT_FILE]
    chosen = path or environ.get("PARTNERDESK_CONFIG") or None
    if chosen:
        files.append(Path(chosen))
    for i, file in enumerate(files):
        _check_file(file, user=i > 0)
    try:
        with _loading(_Load(files=tuple(files), env=dict(environ))):
            return Settings(**(overrides or {}))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            f"The configuration is invalid ({problems}); fix the named settings."
        ) from None
