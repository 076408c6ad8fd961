"""``partnerdesk zendesk-app check|package|build|garden|zcli-config``: the sidebar app.

- ``check``: what Zendesk's validator would report, plus partnerdesk's own checks;
- ``package``: check, then write the upload zip with ``domainWhitelist`` (the host of
  ``--domain`` or of ``PARTNERDESK_PUBLIC_URL``) and the author from the configuration;
- ``build``: rebuild ``assets/i18n.js`` from ``translations/``;
- ``garden``: rebuild ``assets/garden.css`` from Zendesk Garden's npm packages (needs npm;
  the result is committed, so packaging and CI need no npm);
- ``zcli-config``: write ``zcli.apps.config.json`` for ``zcli apps:server`` (local preview).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from config.errors import UsageError
from config.settings import Settings
from integration.sidebar.package import (
    APP_DIR,
    build_garden,
    build_zip,
    check_app,
    write_i18n,
    zcli_config,
)

HELP = "check and package the Zendesk sidebar app"
ZCLI_CONFIG = "zcli.apps.config.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=["check", "package", "build", "garden", "zcli-config"],
        help="check; check and zip; rebuild i18n.js; rebuild garden.css; write the zcli config",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="file to write (zip, or the zcli config)"
    )
    parser.add_argument(
        "--domain",
        help="the backend's host name for domainWhitelist (default: PARTNERDESK_PUBLIC_URL's)",
    )
    parser.add_argument("--app-dir", type=Path, default=APP_DIR, help=argparse.SUPPRESS)


def _loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def backend_domain(settings: Settings, given: str | None) -> str:
    """``--domain``, else the host of the configured public URL; UsageError when neither fits."""
    if given:
        if "/" in given or ":" in given:
            raise UsageError(
                "--domain takes a host name such as partnerdesk.example.com, not a URL."
            )
        return given
    host = urlsplit(settings.general.public_url).hostname or ""
    if _loopback(host):
        raise UsageError(
            "No backend host for domainWhitelist: set PARTNERDESK_PUBLIC_URL to the service's "
            "public address or pass --domain partnerdesk.example.com."
        )
    return host


def run(args: argparse.Namespace, settings: Settings) -> int:
    app_dir: Path = args.app_dir
    if not (app_dir / "manifest.json").is_file():
        raise UsageError(f"{app_dir} holds no manifest.json; point --app-dir at the app.")
    if args.action == "build":
        print(f"wrote {write_i18n(app_dir)}")
        return 0
    if args.action == "garden":
        try:
            print(f"wrote {build_garden(app_dir)}")
        except FileNotFoundError as exc:
            raise UsageError(str(exc)) from None
        return 0
    secret = settings.app.shared_secret.get_secret_value()
    if args.action == "zcli-config":
        if not secret:
            raise UsageError("Set PARTNERDESK_APP_SECRET first: the preview signs with it.")
        out = args.out or app_dir / ZCLI_CONFIG
        config = zcli_config(settings.general.public_url, secret)
        # it holds the secret: owner-only, and never part of the zip (only manifest,
        # assets and translations are packaged)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(config, fh, indent=2)
            fh.write("\n")
        print(f"wrote {out}: now run `zcli apps:server {app_dir}`")
        return 0
    domain = backend_domain(settings, args.domain) if args.domain else None
    problems = check_app(app_dir, known_secrets=[secret] if secret else [])
    if args.action == "package" and not any(p.level == "error" for p in problems):
        domain = backend_domain(settings, args.domain)
    if domain:
        problems = [p for p in problems if "domainWhitelist" not in p.message]
    author = {
        "name": settings.app.author_name,
        "email": settings.app.author_email,
        "url": settings.app.author_url,
    }
    if args.action == "package" and author["email"]:
        problems = [p for p in problems if "placeholder" not in p.message]
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        print(f"{len(errors)} error(s): the app was not packaged.", file=sys.stderr)
        return 1
    if args.action == "check":
        print(f"{app_dir}: the app is fine ({len(problems)} warning(s)).")
        return 0
    out = args.out or Path("dist/partnerdesk-zendesk-app.zip")
    names = build_zip(app_dir, out, domain=domain, author=author)
    print(
        f"wrote {out} ({len(names)} files, {out.stat().st_size} bytes, domainWhitelist "
        f"{domain}): upload it as a private app."
    )
    return 0
