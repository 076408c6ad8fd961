"""structlog set-up: JSON in production, readable on a terminal, nothing sensitive unmasked.

Masking runs last, after exception rendering, so phone numbers inside exception
messages are masked too. Tracebacks are rendered without local variables (they would
carry document text). See docs/facts.md, "Queue, calendar, logging".
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog
from structlog.tracebacks import ExceptionDictTransformer
from structlog.typing import EventDict, WrappedLogger

__all__ = [
    "LIBRARY_LOGGERS",
    "configure_logging",
    "get_logger",
    "mask_numbers",
    "mask_processor",
]

# A run of at least six digits, possibly broken by the separators German numbers use.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\d \-/().]{0,3}\d){5,}")
# Keys whose values are never logged: they carry names, document text or bodies.
SENSITIVE_KEYS = frozenset(
    {
        "text",
        "body",
        "raw",
        "document_text",
        "comment",
        "description",
        "signatory",
        "name",
        "email",
        "requester",
        "payload",
        "subject",
        "token",
        "secret",
        "authorization",
    }
)


# Loggers that libraries may give handlers of their own (uvicorn's default config does).
LIBRARY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "huey", "huey.consumer")


def mask_numbers(value: str) -> str:
    """Replace every digit of a long digit run but the last two with ``•``."""

    def _mask(match: re.Match[str]) -> str:
        s = match.group(0)
        digits_seen = sum(ch.isdigit() for ch in s)
        out = []
        kept = 0
        for ch in s:
            if ch.isdigit():
                kept += 1
                out.append(ch if kept > digits_seen - 2 else "•")
            else:
                out.append(ch)
        return "".join(out)

    return _DIGIT_RUN.sub(_mask, value)


def _mask_value(key: str, value: Any) -> Any:
    if key.lower() in SENSITIVE_KEYS and value not in (None, "", [], {}):
        return "[redacted]"
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, Mapping):
        return {k: _mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_value(key, v) for v in value]
    return value


def mask_processor(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """structlog processor: mask numbers and redact sensitive keys in every value."""
    masked: MutableMapping[str, Any] = {}
    for key, value in event_dict.items():
        if key in ("timestamp", "level", "logger"):
            masked[key] = value
        else:
            masked[key] = _mask_value(key, value)
    return dict(masked)


def configure_logging(*, fmt: str = "auto", level: str = "INFO") -> None:
    """Configure structlog and the stdlib root logger once per process."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if use_json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    exceptions: Any = (
        structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False))
        if use_json
        else structlog.processors.format_exc_info
    )
    structlog.configure(
        processors=[*shared, exceptions, mask_processor, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Libraries (uvicorn, huey, zenpy, SQLAlchemy) log through stdlib: their records go
    # through the same chain, so a traceback or an access line is masked like our own.
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            exceptions,
            mask_processor,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(max(numeric, logging.WARNING))
    for name in LIBRARY_LOGGERS:  # their own handlers would bypass the masking
        library = logging.getLogger(name)
        library.handlers = []
        library.propagate = True


def get_logger(name: str | None = None) -> Any:
    """A structlog logger; bind ``ticket_id`` etc. with ``structlog.contextvars``."""
    return structlog.get_logger(name)
