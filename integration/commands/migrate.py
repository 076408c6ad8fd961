"""``partnerdesk migrate``: create or upgrade the database schema (Alembic, configured in code)."""

from __future__ import annotations

import argparse

from config.settings import Settings
from integration.store.engine import engine_for_settings
from integration.store.migrate import current_revision, head_revision, upgrade

__all__ = ["HELP", "add_arguments", "run"]

HELP = "create or upgrade the database schema"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--revision", default="head", help="target revision (default: the newest, 'head')"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = engine_for_settings(settings)
    try:
        before = current_revision(engine)
        upgrade(engine, revision=args.revision)
        after = current_revision(engine)
    finally:
        engine.dispose()
    print(f"database schema: {before or 'empty'} -> {after} (newest: {head_revision()})")
    return 0
