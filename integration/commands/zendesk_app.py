"""``partnerdesk zendesk-app check|package``: check the sidebar app and write the upload zip."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config.errors import UsageError
from config.settings import Settings
from integration.sidebar.package import APP_DIR, build_zip, check_app

HELP = "check and package the Zendesk sidebar app"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["check", "package"], help="check only, or check and zip")
    parser.add_argument(
        "--out", type=Path, default=Path("dist/partnerdesk-zendesk-app.zip"), help="zip to write"
    )
    parser.add_argument(
        "--domain",
        help="the backend's host name, written to domainWhitelist (secure settings go only there)",
    )
    parser.add_argument("--app-dir", type=Path, default=APP_DIR, help=argparse.SUPPRESS)


def run(args: argparse.Namespace, settings: Settings) -> int:
    app_dir: Path = args.app_dir
    if not (app_dir / "manifest.json").is_file():
        raise UsageError(f"{app_dir} holds no manifest.json; point --app-dir at the app.")
    domain: str | None = args.domain
    if domain and ("/" in domain or ":" in domain):
        raise UsageError("--domain takes a host name such as partnerdesk.example.com, not a URL.")
    secret = settings.app.shared_secret.get_secret_value()
    problems = check_app(app_dir, known_secrets=[secret] if secret else [])
    if domain:
        problems = [p for p in problems if "domainWhitelist" not in p.message]
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        print(f"{len(errors)} error(s): the app was not packaged.", file=sys.stderr)
        return 1
    if args.action == "check":
        print(f"{app_dir}: the app is fine ({len(problems)} warning(s)).")
        return 0
    out: Path = args.out
    names = build_zip(app_dir, out, domain=domain)
    print(
        f"wrote {out} ({len(names)} files, {out.stat().st_size} bytes): upload it as a private app."
    )
    return 0
