"""The ``partnerdesk`` command: one sub-command per module in ``integration/commands``.

Each command module exposes ``HELP``, ``add_arguments(parser)`` and
``run(args, settings) -> int``. Modules are imported only when their command runs,
so ``partnerdesk check`` does not pay for FastAPI or the OCR engine.

Exit codes: 0 success, 1 a negative result (rejected, needs review), 2 usage errors
or unreadable input, with one clear sentence on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from config.errors import ConfigError, PartnerdeskError, UsageError
from config.settings import load_settings
from integration.logs import configure_logging

__all__ = ["main"]

COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "integration.commands.check",
        "read confirmation PDFs and decide a relocation request",
    ),
    "serve": ("integration.commands.serve", "run the webhook service (and an in-process worker)"),
    "worker": ("integration.commands.worker", "run queue workers only"),
    "migrate": ("integration.commands.migrate", "create or upgrade the database schema"),
    "process": ("integration.commands.process", "run the relocation handler for one ticket"),
    "slots": ("integration.commands.slots", "print the next free cutover slots"),
    "product-change": (
        "integration.commands.product_change",
        "decide a product change from contract facts",
    ),
    "zendesk-app": (
        "integration.commands.zendesk_app",
        "check and package the Zendesk sidebar app",
    ),
    "doctor": (
        "integration.commands.doctor",
        "check the configuration and, read-only, the Zendesk account",
    ),
    "deliveries": (
        "integration.commands.deliveries",
        "list stuck or failed deliveries; retry one",
    ),
}


# Commands that print a result and stop: they log warnings and errors only, unless the
# operator asks for more with PARTNERDESK_GENERAL__LOG_LEVEL.
ONE_SHOT = frozenset({"check", "slots", "product-change", "zendesk-app", "doctor", "deliveries"})


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every usage error is one sentence + exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _load(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name][0])


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="partnerdesk", description="Zendesk plugin for partner orders.")
    parser.add_argument("--config", help="TOML settings file (default: $PARTNERDESK_CONFIG)")
    parser.add_argument("--log-format", choices=["auto", "json", "console"], default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (_module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if only in (None, name):
            _load(name).add_arguments(p)
    return parser


def _command_name(argv: Sequence[str]) -> str | None:
    for token in argv:
        if token in COMMANDS:
            return token
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        name = _command_name(args_list)
        parser = build_parser(only=name or "")
        args = parser.parse_args(args_list)
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        settings = load_settings(args.config)
        level = settings.general.log_level
        if args.command in ONE_SHOT and "PARTNERDESK_GENERAL__LOG_LEVEL" not in os.environ:
            level = "WARNING"  # a one-shot command prints its result; info logs are noise
        configure_logging(fmt=args.log_format or settings.general.log_format, level=level)
        code: int = _load(args.command).run(args, settings)
        return code
    except (UsageError, ConfigError) as exc:
        print(f"partnerdesk: {exc}", file=sys.stderr)
        return 2
    except PartnerdeskError as exc:
        print(f"partnerdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
