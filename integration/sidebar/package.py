"""Check the Zendesk app in ``integration/zendesk_app`` and build the zip to upload.

The checks are the ones Zendesk would only report after an upload, plus our own: the
manifest's required fields and location, secure parameters for secrets, translations for
every text key the JavaScript uses, and no secret, token or private key in any file.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from integration.sidebar.view import DYNAMIC_KEYS

__all__ = ["APP_DIR", "Problem", "build_zip", "check_app", "used_keys"]

APP_DIR = Path(__file__).resolve().parent.parent / "zendesk_app"
LOCALES = ("de", "en")
ASSET_SUFFIXES = {".html", ".js", ".css", ".png", ".svg"}
REQUIRED_APP_TEXTS = ("name", "short_description", "long_description", "installation_instructions")
LOGOS = {"logo.png": (320, 320), "logo-small.png": (128, 128)}
_SECRET_NAME = re.compile(r"secret|token|password|passwd|api_?key|private", re.IGNORECASE)

# What must never ship inside an app package. Placeholders such as {{setting.shared_secret}}
# and {{jwt.token}} contain braces, which the value patterns exclude.
SECRET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    ("JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+")),
    ("AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("bearer token", re.compile(r"Bearer\s+[A-Za-z0-9._~+/-]{20,}=*")),
    (
        "assigned secret",
        re.compile(
            r"(?i)(?:secret|token|password|api_?key)[\"']?\s*[:=]\s*[\"'][^\"'{}\s]{8,}[\"']"
        ),
    ),
)
_KEY_CALL = re.compile(r"\bt\('([a-z_]+\.[a-z_]+)'\s*[,)]")
_KEY_PREFIX = re.compile(r"\bt\('([a-z_]+\.[a-z_]*)'\s*\+")
_KEY_LITERAL = re.compile(r"'([a-z_]+\.[a-z_]+)'")


@dataclass(frozen=True)
class Problem:
    """One finding: ``error`` blocks packaging, ``warning`` is reported only."""

    level: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


def _load_json(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem("error", path.name, "file is missing"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(
            Problem("error", path.name, f"not valid JSON ({exc.msg}, line {exc.lineno})")
        )
        return None
    if not isinstance(data, dict):
        problems.append(Problem("error", path.name, "must hold a JSON object"))
        return None
    return data


def used_keys(script: str) -> set[str]:
    """Every translation key ``app.js`` can ask for, dynamic prefixes expanded."""
    prefixes = set(_KEY_PREFIX.findall(script))
    namespaces = {k.split(".")[0] for k in _KEY_CALL.findall(script)} | {
        p.split(".")[0] for p in prefixes
    }
    keys = set(_KEY_CALL.findall(script))
    # keys handed to helpers that call t() later, e.g. act(..., 'flash.proposed')
    keys |= {k for k in _KEY_LITERAL.findall(script) if k.split(".")[0] in namespaces}
    for prefix in prefixes:
        keys |= {prefix + value for value in DYNAMIC_KEYS.get(prefix, ())}
    return {k for k in keys if not any(k == p for p in prefixes)}


def _check_manifest(manifest: dict[str, Any], app_dir: Path, problems: list[Problem]) -> None:
    where = "manifest.json"
    for field in ("name", "author", "defaultLocale", "location", "version", "frameworkVersion"):
        if not manifest.get(field):
            problems.append(Problem("error", where, f"required field {field!r} is missing"))
    author = manifest.get("author") or {}
    if not isinstance(author, dict) or not author.get("name") or not author.get("email"):
        problems.append(Problem("error", where, "author needs a name and an email"))
    if manifest.get("frameworkVersion") != "2.0":
        problems.append(Problem("error", where, 'frameworkVersion must be "2.0"'))
    sidebar = (manifest.get("location") or {}).get("support", {}).get("ticket_sidebar")
    url = sidebar.get("url") if isinstance(sidebar, dict) else sidebar
    if not isinstance(url, str) or not url:
        problems.append(Problem("error", where, "location.support.ticket_sidebar needs a url"))
    elif not url.startswith("http") and not (app_dir / url).is_file():
        problems.append(Problem("error", where, f"the sidebar page {url} does not exist"))
    params = {p.get("name"): p for p in manifest.get("parameters", []) if isinstance(p, dict)}
    backend = params.get("backend_url")
    if backend is None:
        problems.append(Problem("error", where, "parameter backend_url is missing"))
    elif backend.get("secure"):
        problems.append(
            Problem("error", where, "backend_url must not be secure (the page reads it)")
        )
    if "shared_secret" not in params:
        problems.append(Problem("error", where, "parameter shared_secret is missing"))
    for name, param in params.items():
        if isinstance(name, str) and _SECRET_NAME.search(name) and param.get("secure") is not True:
            problems.append(
                Problem("error", where, f"parameter {name} holds a secret: set secure: true")
            )
        if "default" in param and param.get("secure"):
            problems.append(
                Problem("error", where, f"secure parameter {name} must not have a default")
            )
    if any(p.get("secure") for p in params.values()) and not manifest.get("domainWhitelist"):
        problems.append(
            Problem(
                "warning",
                where,
                "no domainWhitelist: pass --domain so secure settings go only to the backend",
            )
        )


def _check_translations(
    manifest: dict[str, Any], app_dir: Path, keys: set[str], problems: list[Problem]
) -> None:
    params = [p.get("name") for p in manifest.get("parameters", []) if isinstance(p, dict)]
    ui_sets: dict[str, set[str]] = {}
    for locale in LOCALES:
        path = app_dir / "translations" / f"{locale}.json"
        data = _load_json(path, problems)
        if data is None:
            continue
        where = f"translations/{locale}.json"
        app = data.get("app") or {}
        for text in REQUIRED_APP_TEXTS:
            if not app.get(text):
                problems.append(Problem("error", where, f"app.{text} is missing"))
        for name in params:
            if not (app.get("parameters") or {}).get(name, {}).get("label"):
                problems.append(Problem("error", where, f"app.parameters.{name}.label is missing"))
        ui = data.get("ui") or {}
        ui_sets[locale] = set(ui)
        for key in sorted(keys - set(ui)):
            problems.append(Problem("error", where, f"ui.{key} is used by app.js but missing"))
    if len(ui_sets) == len(LOCALES):
        de, en = (ui_sets[loc] for loc in LOCALES)
        for key in sorted(de ^ en):
            problems.append(Problem("warning", "translations", f"ui.{key} is in one locale only"))
    default = manifest.get("defaultLocale")
    if default and not (app_dir / "translations" / f"{default}.json").is_file():
        problems.append(Problem("error", "translations", f"no file for defaultLocale {default}"))


def _check_assets(app_dir: Path, problems: list[Problem]) -> None:
    assets = app_dir / "assets"
    for path in sorted(assets.rglob("*")):
        if path.is_file() and path.suffix not in ASSET_SUFFIXES:
            problems.append(Problem("error", f"assets/{path.name}", "unexpected file type"))
    for name, size in LOGOS.items():
        logo = assets / name
        if not logo.is_file():
            problems.append(Problem("error", f"assets/{name}", "logo is missing"))
            continue
        from PIL import Image

        with Image.open(logo) as image:
            if image.size != size:
                problems.append(
                    Problem("error", f"assets/{name}", f"must be {size[0]}x{size[1]} px")
                )


def scan_secrets(files: Iterable[Path], *, root: Path, known: Iterable[str] = ()) -> list[Problem]:
    """Secrets, tokens and private keys in text files; ``known`` are literal values to find."""
    problems: list[Problem] = []
    literals = [k for k in known if len(k) >= 8]
    for path in files:
        if path.suffix == ".png":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        where = str(path.relative_to(root))
        for label, pattern in SECRET_PATTERNS:
            if pattern.search(text):
                problems.append(Problem("error", where, f"contains what looks like a {label}"))
        if any(value in text for value in literals):
            problems.append(Problem("error", where, "contains the configured app secret"))
    return problems


def package_files(app_dir: Path) -> list[Path]:
    """The files that go into the zip: the manifest, assets and translations."""
    files = [app_dir / "manifest.json"]
    for folder in ("assets", "translations"):
        files += sorted(p for p in (app_dir / folder).rglob("*") if p.is_file())
    return files


def check_app(app_dir: Path = APP_DIR, *, known_secrets: Iterable[str] = ()) -> list[Problem]:
    """Every problem found in the app directory (empty when it can be uploaded)."""
    problems: list[Problem] = []
    manifest = _load_json(app_dir / "manifest.json", problems)
    if manifest is None:
        return problems
    _check_manifest(manifest, app_dir, problems)
    script_path = app_dir / "assets" / "app.js"
    keys = used_keys(script_path.read_text(encoding="utf-8")) if script_path.is_file() else set()
    if not keys:
        problems.append(Problem("error", "assets/app.js", "missing or uses no translated text"))
    _check_translations(manifest, app_dir, keys, problems)
    _check_assets(app_dir, problems)
    problems += scan_secrets(package_files(app_dir), root=app_dir, known=known_secrets)
    return problems


def build_zip(app_dir: Path, out: Path, *, domain: str | None = None) -> list[str]:
    """Write the upload zip (fixed timestamps, so equal input gives equal bytes); returns names.

    ``domain`` becomes the manifest's ``domainWhitelist``, which keeps Zendesk from sending
    the secure setting anywhere but the backend.
    """
    manifest = json.loads((app_dir / "manifest.json").read_text(encoding="utf-8"))
    if domain:
        manifest["domainWhitelist"] = [domain]
    names: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in package_files(app_dir):
            name = path.relative_to(app_dir).as_posix()
            data = (
                (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
                if name == "manifest.json"
                else path.read_bytes()
            )
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
            names.append(name)
    return names
