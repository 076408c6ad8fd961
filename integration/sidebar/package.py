"""Check the Zendesk app in ``integration/zendesk_app`` and build the zip to upload.

The checks mirror what Zendesk's own validator (the ``zendesk_apps_support`` gem behind
the upload check and ``zcli apps:validate``) reports, and fail on what it rejects or
warns about as a risk: required manifest fields, the location and its page, the
framework version, parameter types, ``secure`` with ``scopes`` on secret parameters,
no defaults on secure or hidden parameters, translation files and labels, the default
locale's file, logo sizes, block-listed file types, plain-http URLs. Our own checks on
top: translations for every text key the JavaScript uses, the bundled ``assets/i18n.js``
in step with ``translations/``, Garden's CSS present, and no secret, token or private
key in any file.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from integration.sidebar.view import DYNAMIC_KEYS

__all__ = [
    "APP_DIR",
    "GARDEN_PACKAGES",
    "Problem",
    "build_garden",
    "build_zip",
    "check_app",
    "i18n_script",
    "used_keys",
    "zcli_config",
]

APP_DIR = Path(__file__).resolve().parent.parent / "zendesk_app"
LOCALES = ("de", "en")
ASSET_SUFFIXES = {".html", ".js", ".css", ".png", ".svg"}
REQUIRED_APP_TEXTS = ("name", "short_description", "long_description", "installation_instructions")
LOGOS = {"logo.png": (320, 320), "logo-small.png": (128, 128)}
_SECRET_NAME = re.compile(r"secret|token|password|passwd|api_?key|private", re.IGNORECASE)
# zendesk_apps_support: Validations::Manifest::SECURE_PARAM_SCOPES, Parameter::TYPES,
# AppVersion::TO_BE_SERVED, Translations::VALID_LOCALE, Mime::UNSUPPORTED_MIME_TYPES
SECURE_PARAM_SCOPES = frozenset(
    {
        "header",
        "body",
        "url",
        "jwt_secret_key",
        "jwt_claim",
        "basic_auth_username",
        "basic_auth_password",
    }
)
PARAMETER_TYPES = frozenset(
    {"text", "password", "checkbox", "url", "number", "multiline", "hidden", "oauth"}
)
FRAMEWORK_VERSIONS = ("2.0",)
VALID_LOCALE = re.compile(r"^[a-z]{2,3}(-\w{2,3})?$")
BLOCKED_SUFFIXES = frozenset(
    [
        "rar",
        "zip",
        "gzip",
        "gz",
        "pdf",
        "doc",
        "docx",
        "avi",
        "bin",
        "bz",
        "bz2",
        "csh",
        "sh",
        "jar",
        "mp3",
        "mpeg",
        "odt",
        "pptx",
        "ppt",
        "xls",
        "xlsx",
        "7z",
    ]
)
_HTTP_URL = re.compile(r"\bhttp://[^\s'\"<>)]+")
# Zendesk Garden's CSS, taken from npm and concatenated into assets/garden.css
GARDEN_PACKAGES = {
    "@zendeskgarden/css-bedrock": "10.0.1",
    "@zendeskgarden/css-buttons": "9.0.1",
    "@zendeskgarden/css-forms": "8.0.1",
    "@zendeskgarden/css-tags": "6.0.0",
}
GARDEN_FILE = "garden.css"
I18N_FILE = "i18n.js"

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
    version = manifest.get("frameworkVersion")
    if version and version not in FRAMEWORK_VERSIONS:
        problems.append(
            Problem(
                "error",
                where,
                f"frameworkVersion {version} is not served; use {FRAMEWORK_VERSIONS}",
            )
        )
    author_url = author.get("url") if isinstance(author, dict) else None
    if author_url and urlsplit(str(author_url)).scheme not in ("http", "https"):
        problems.append(Problem("error", where, f"author url {author_url!r} is no URL"))
    email = str(author.get("email") or "") if isinstance(author, dict) else ""
    if email.endswith((".invalid", "example.com")) or email.endswith("example.invalid"):
        problems.append(
            Problem(
                "warning",
                where,
                "author is a placeholder: `package` writes PARTNERDESK_APP__AUTHOR_NAME, "
                "_EMAIL and _URL into the zip",
            )
        )
    locale = manifest.get("defaultLocale")
    if locale and not VALID_LOCALE.match(str(locale)):
        problems.append(Problem("error", where, f"defaultLocale {locale!r} is no locale"))
    raw_params = manifest.get("parameters", [])
    if not isinstance(raw_params, list):
        problems.append(Problem("error", where, "parameters must be a list"))
        raw_params = []
    names = [p.get("name") for p in raw_params if isinstance(p, dict)]
    for name in sorted({n for n in names if names.count(n) > 1}, key=str):
        problems.append(Problem("error", where, f"parameter {name} is declared twice"))
    for param in raw_params:
        if not isinstance(param, dict):
            continue
        name = param.get("name")
        if name == "name":
            problems.append(Problem("error", where, "a parameter must not be called 'name'"))
        kind = param.get("type", "text")
        if kind not in PARAMETER_TYPES:
            problems.append(Problem("error", where, f"parameter {name} has unknown type {kind}"))
        for flag in ("required", "secure"):
            if flag in param and not isinstance(param[flag], bool):
                problems.append(
                    Problem("error", where, f"parameter {name}: {flag} must be true/false")
                )
        if kind == "hidden" and param.get("required"):
            problems.append(Problem("error", where, f"hidden parameter {name} cannot be required"))
        if kind == "oauth" and param.get("secure"):
            problems.append(Problem("error", where, f"oauth parameter {name} cannot be secure"))
        scopes = param.get("scopes")
        if scopes is not None:
            if not param.get("secure"):
                problems.append(
                    Problem("error", where, f"parameter {name}: scopes need secure: true")
                )
            if not isinstance(scopes, list) or not scopes:
                problems.append(
                    Problem("error", where, f"parameter {name}: scopes must be a non-empty list")
                )
            else:
                unknown = sorted(str(x) for x in scopes if x not in SECURE_PARAM_SCOPES)
                if unknown:
                    problems.append(
                        Problem(
                            "error",
                            where,
                            f"parameter {name}: unknown scope(s) {', '.join(unknown)}",
                        )
                    )
        elif param.get("secure"):
            # Zendesk warns "This may cause token exposure vulnerabilities"; refused here
            problems.append(
                Problem(
                    "error",
                    where,
                    f"secure parameter {name} has no scopes: Zendesk would insert it anywhere "
                    'in a request; declare where it goes, e.g. "scopes": ["jwt_secret_key"]',
                )
            )
    params = {p.get("name"): p for p in raw_params if isinstance(p, dict)}
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
        if "default" in param and (param.get("secure") or param.get("type") == "hidden"):
            problems.append(
                Problem(
                    "error", where, f"secure or hidden parameter {name} must not have a default"
                )
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
    for path in sorted((app_dir / "translations").glob("*.json")):
        if not VALID_LOCALE.match(path.stem):
            problems.append(
                Problem("error", f"translations/{path.name}", "the file name is no locale")
            )
    bundle = app_dir / "assets" / I18N_FILE
    expected = i18n_script(app_dir)
    if expected is not None and (
        not bundle.is_file() or bundle.read_text(encoding="utf-8") != expected
    ):
        problems.append(
            Problem(
                "error",
                f"assets/{I18N_FILE}",
                "is not in step with translations/: run `partnerdesk zendesk-app build`",
            )
        )


def _check_assets(app_dir: Path, problems: list[Problem]) -> None:
    assets = app_dir / "assets"
    for path in sorted(assets.rglob("*")):
        if path.is_file() and path.suffix.lstrip(".").lower() in BLOCKED_SUFFIXES:
            problems.append(
                Problem("error", f"assets/{path.name}", "Zendesk refuses this file type")
            )
        elif path.is_file() and path.suffix not in ASSET_SUFFIXES:
            problems.append(Problem("error", f"assets/{path.name}", "unexpected file type"))
        elif path.suffix in (".js", ".html"):
            for url in _HTTP_URL.findall(path.read_text(encoding="utf-8", errors="replace")):
                problems.append(Problem("warning", f"assets/{path.name}", f"plain-http URL {url}"))
    garden = assets / GARDEN_FILE
    if not garden.is_file() or "@zendeskgarden/css-buttons" not in garden.read_text("utf-8"):
        problems.append(
            Problem(
                "error",
                f"assets/{GARDEN_FILE}",
                "Garden's CSS is missing: run `partnerdesk zendesk-app garden` (needs npm)",
            )
        )
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


# String concatenation a script might use to split a value: 'abc' + "def", `x` + 'y'
_JOINS = re.compile(r"[\"'`]\s*\+\s*[\"'`]")


def _encodings(secret: str) -> set[str]:
    """The forms a known secret may take in a file: as is, hex, and base64 (standard and
    URL-safe) at every byte alignment, so it is found inside a longer encoded string."""
    raw = secret.encode()
    forms = {secret, raw.hex(), raw.hex().upper()}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        # only the characters that encode secret bits alone (stable whatever surrounds it)
        core = encoded[-(-4 * offset // 3) : (8 * (offset + len(raw))) // 6]
        forms |= {core, core.replace("+", "-").replace("/", "_")}
    return {form for form in forms if len(form) >= 8}


def scan_secrets(files: Iterable[Path], *, root: Path, known: Iterable[str] = ()) -> list[Problem]:
    """Secrets, tokens and private keys in text files; ``known`` are literal values to find,
    also hex- or base64-encoded, or split into concatenated string pieces."""
    problems: list[Problem] = []
    forms = set().union(*(_encodings(k) for k in known if len(k) >= 8))
    for path in files:
        if path.suffix == ".png":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        where = str(path.relative_to(root))
        for label, pattern in SECRET_PATTERNS:
            if pattern.search(text):
                problems.append(Problem("error", where, f"contains what looks like a {label}"))
        joined = _JOINS.sub("", text)
        if any(form in text or form in joined for form in forms):
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


def i18n_script(app_dir: Path) -> str | None:
    """``assets/i18n.js``: every locale's ``ui`` strings for the app itself (None: none)."""
    strings: dict[str, Any] = {}
    for path in sorted((app_dir / "translations").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return None
        if isinstance(data, dict) and isinstance(data.get("ui"), dict):
            strings[path.stem] = data["ui"]
    if not strings:
        return None
    body = json.dumps(strings, ensure_ascii=False, indent=1, sort_keys=True)
    return (
        "/* Built from translations/*.json by `partnerdesk zendesk-app build`; do not edit. */\n"
        f"window.PARTNERDESK_I18N = {body};\n"
    )


def write_i18n(app_dir: Path) -> Path:
    """Write ``assets/i18n.js`` from the translations; returns its path."""
    script = i18n_script(app_dir)
    if script is None:
        raise ValueError("translations/ holds no ui strings")
    path = app_dir / "assets" / I18N_FILE
    path.write_text(script, encoding="utf-8")
    return path


def _npm_pack(spec: str, workdir: Path) -> Path:
    """``npm pack spec`` into ``workdir``: the tarball's path (npm's registry and cache)."""
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is not installed; garden.css is committed, CI needs none")
    out = subprocess.run(
        [npm, "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    ).stdout
    return workdir / out.strip().splitlines()[-1]


def build_garden(
    app_dir: Path, *, pack: Any = _npm_pack, packages: dict[str, str] | None = None
) -> Path:
    """Write ``assets/garden.css`` from Garden's npm packages (their ``dist/index.css``)."""
    chosen = packages or GARDEN_PACKAGES
    parts = [
        "/* Zendesk Garden CSS (Apache-2.0, Copyright Zendesk, Inc.), built by\n"
        "   `partnerdesk zendesk-app garden` from: "
        + ", ".join(f"{name}@{version}" for name, version in chosen.items())
        + " */\n"
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, version in chosen.items():
            tarball = pack(f"{name}@{version}", Path(tmp))
            with tarfile.open(tarball) as tar:
                member = tar.extractfile("package/dist/index.css")
                if member is None:
                    raise ValueError(f"{name}@{version} has no dist/index.css")
                parts.append(f"/* {name}@{version} */\n" + member.read().decode("utf-8"))
    path = app_dir / "assets" / GARDEN_FILE
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def zcli_config(backend_url: str, shared_secret: str) -> dict[str, Any]:
    """The ``zcli.apps.config.json`` that ``zcli apps:server`` reads for the settings."""
    return {"parameters": {"backend_url": backend_url.rstrip("/"), "shared_secret": shared_secret}}


def build_zip(
    app_dir: Path,
    out: Path,
    *,
    domain: str | None = None,
    author: dict[str, str] | None = None,
) -> list[str]:
    """Write the upload zip (fixed timestamps, so equal input gives equal bytes); returns names.

    ``domain`` becomes the manifest's ``domainWhitelist``, which keeps Zendesk from sending
    the secure setting anywhere but the backend; ``author`` replaces the manifest's
    author fields that are given. ``assets/i18n.js`` is rebuilt from the translations.
    """
    manifest = json.loads((app_dir / "manifest.json").read_text(encoding="utf-8"))
    if domain:
        manifest["domainWhitelist"] = [domain]
    if author:
        manifest["author"] = {
            **manifest.get("author", {}),
            **{k: v for k, v in author.items() if v},
        }
    bundle = i18n_script(app_dir)
    names: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in package_files(app_dir):
            name = path.relative_to(app_dir).as_posix()
            if name == "manifest.json":
                data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
            elif name == f"assets/{I18N_FILE}" and bundle is not None:
                data = bundle.encode("utf-8")
            else:
                data = path.read_bytes()
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
            names.append(name)
    return names
