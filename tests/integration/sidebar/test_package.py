"""Checking and packaging the Zendesk app, and the ``partnerdesk zendesk-app`` command."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from integration.cli import main
from integration.sidebar.package import (
    APP_DIR,
    build_garden,
    build_zip,
    check_app,
    i18n_script,
    used_keys,
    zcli_config,
)


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    target = tmp_path / "app"
    shutil.copytree(APP_DIR, target)
    return target


def errors(app: Path, **kwargs: object) -> list[str]:
    return [str(p) for p in check_app(app, **kwargs) if p.level == "error"]  # type: ignore[arg-type]


def _edit_json(path: Path, change: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data), encoding="utf-8")


class TestCheck:
    def test_shipped_app_has_no_errors(self) -> None:
        """The app in the repository can be uploaded as it is."""
        assert errors(APP_DIR) == []

    def test_every_used_key_is_translated(self) -> None:
        """Both locales hold every key app.js uses, dynamic prefixes expanded."""
        keys = used_keys((APP_DIR / "assets" / "app.js").read_text(encoding="utf-8"))
        assert {
            "review.ocr_number",
            "role.unclear",
            "document.error_timeout",
            "flash.proposed",
        } <= keys
        for lang in ("de", "en"):
            ui = json.loads(
                (APP_DIR / "translations" / f"{lang}.json").read_text(encoding="utf-8")
            )["ui"]
            assert keys <= set(ui), keys - set(ui)

    def test_missing_translation_is_an_error(self, app_dir: Path) -> None:
        """Removing one string the script uses fails the check and names the key."""
        _edit_json(app_dir / "translations" / "en.json", lambda d: d["ui"].pop("reason.excluded"))
        assert any("ui.reason.excluded" in e and "en.json" in e for e in errors(app_dir))

    def test_secret_parameter_must_be_secure(self, app_dir: Path) -> None:
        """shared_secret without secure: true would reach the browser."""

        def insecure(d: dict) -> None:  # type: ignore[type-arg]
            for p in d["parameters"]:
                p["secure"] = False

        _edit_json(app_dir / "manifest.json", insecure)
        assert any("shared_secret" in e and "secure" in e for e in errors(app_dir))

    def test_location_and_framework_are_required(self, app_dir: Path) -> None:
        """No sidebar location or another framework version is an error."""

        def broken(d: dict) -> None:  # type: ignore[type-arg]
            d["location"] = {"support": {}}
            d["frameworkVersion"] = "1.0"

        _edit_json(app_dir / "manifest.json", broken)
        found = errors(app_dir)
        assert any("ticket_sidebar" in e for e in found)
        assert any("frameworkVersion" in e for e in found)

    @pytest.mark.parametrize(
        "leak",
        [
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
            "var t = 'eyJhbGciOiJIUzI1NiJ9.eyJ0aWNrZXRfaWQiOjF9.c2lnbmF0dXJlc2lnbmF0dXJl';",
            "var secret = 'hunter2hunter2hunter2';",
            "headers: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz012345' }",
        ],
    )
    def test_secrets_in_assets_are_errors(self, app_dir: Path, leak: str) -> None:
        """Keys, tokens and assigned secrets in any shipped file fail the check."""
        with (app_dir / "assets" / "app.js").open("a", encoding="utf-8") as fh:
            fh.write("\n" + leak + "\n")
        assert any("app.js" in e and "looks like" in e for e in errors(app_dir))

    def test_placeholders_are_not_secrets(self) -> None:
        """{{setting.shared_secret}} and {{jwt.token}} are what the app must send."""
        script = (APP_DIR / "assets" / "app.js").read_text(encoding="utf-8")
        assert "{{setting.shared_secret}}" in script and "{{jwt.token}}" in script
        assert errors(APP_DIR) == []

    def test_configured_secret_is_found(self, app_dir: Path) -> None:
        """The server's own secret pasted into a translation is caught literally."""
        _edit_json(
            app_dir / "translations" / "de.json",
            lambda d: d["ui"].update({"x.y": "s3cr3t-v4lue-xyz"}),
        )
        assert any(
            "configured app secret" in e
            for e in errors(app_dir, known_secrets=["s3cr3t-v4lue-xyz"])
        )

    @pytest.mark.parametrize(
        "hidden",
        [
            "const k = '{b64}';",  # base64
            "const k = '{b64prefixed}';",  # base64 of a longer value, not byte-aligned
            "const k = '{b64url}';",  # URL-safe base64
            "const k = '{hex}';",  # hex
            "const k = 's3cr3t-' + 'v4lue' + \"-xyz/+?\";",  # split into pieces
        ],
    )
    def test_encoded_or_split_secret_is_found(self, app_dir: Path, hidden: str) -> None:
        """Issue 12, finding 9: the scan missed base64-encoded or split secrets."""
        import base64

        secret = "s3cr3t-v4lue-xyz/+?"
        raw = secret.encode()
        leak = hidden.format(
            b64=base64.b64encode(raw).decode(),
            b64prefixed=base64.b64encode(b"prefix!" + raw + b"??").decode(),
            b64url=base64.urlsafe_b64encode(raw).decode(),
            hex=raw.hex(),
        )
        with (app_dir / "assets" / "app.js").open("a", encoding="utf-8") as fh:
            fh.write("\n" + leak + "\n")
        assert any("configured app secret" in e for e in errors(app_dir, known_secrets=[secret]))
        assert errors(APP_DIR, known_secrets=[secret]) == []

    def test_logo_size_is_checked(self, app_dir: Path) -> None:
        """Zendesk wants a 320 px and a 128 px logo."""
        Image.new("RGB", (100, 100)).save(app_dir / "assets" / "logo.png")
        assert any("logo.png" in e for e in errors(app_dir))


class TestZip:
    def test_zip_holds_the_app_and_the_domain(self, tmp_path: Path) -> None:
        """manifest, assets and translations; domainWhitelist set from --domain."""
        out = tmp_path / "app.zip"
        names = build_zip(APP_DIR, out, domain="pd.example.com")
        with zipfile.ZipFile(out) as zf:
            assert sorted(zf.namelist()) == sorted(names)
            manifest = json.loads(zf.read("manifest.json"))
        assert manifest["domainWhitelist"] == ["pd.example.com"]
        assert {
            "assets/iframe.html",
            "assets/app.js",
            "translations/de.json",
            "translations/en.json",
        } <= set(names)

    def test_zip_is_reproducible(self, tmp_path: Path) -> None:
        """The same app gives the same bytes (no timestamps)."""
        build_zip(APP_DIR, tmp_path / "a.zip")
        build_zip(APP_DIR, tmp_path / "b.zip")
        assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


class TestCommand:
    def test_package_writes_the_zip(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`partnerdesk zendesk-app package` exits 0 and writes the file."""
        out = tmp_path / "pd.zip"
        assert (
            main(["zendesk-app", "package", "--out", str(out), "--domain", "pd.example.com"]) == 0
        )
        assert zipfile.is_zipfile(out)
        assert "upload it" in capsys.readouterr().out

    def test_broken_app_is_not_packaged(self, app_dir: Path, tmp_path: Path) -> None:
        """Errors: exit 1 and no zip."""
        _edit_json(app_dir / "translations" / "de.json", lambda d: d["ui"].pop("numbers.title"))
        out = tmp_path / "pd.zip"
        assert main(["zendesk-app", "package", "--app-dir", str(app_dir), "--out", str(out)]) == 1
        assert not out.exists()

    def test_domain_must_be_a_host(self, tmp_path: Path) -> None:
        """A URL instead of a host name is a usage error (exit 2)."""
        assert main(["zendesk-app", "check", "--domain", "https://pd.example.com"]) == 2

    def test_check_reports_the_secret_from_the_environment(
        self, app_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """PARTNERDESK_APP_SECRET is looked for in the app's files."""
        _edit_json(
            app_dir / "translations" / "en.json",
            lambda d: d["ui"].update({"x.y": "env-secret-0123456789"}),
        )
        monkeypatch.setenv("PARTNERDESK_APP_SECRET", "env-secret-0123456789")
        assert main(["zendesk-app", "check", "--app-dir", str(app_dir)]) == 1


class TestZendeskValidator:
    """What zendesk_apps_support (Zendesk's upload check) reports, failed on here."""

    def test_shipped_secret_is_scoped_to_the_jwt_key(self) -> None:
        manifest = json.loads((APP_DIR / "manifest.json").read_text(encoding="utf-8"))
        (secret,) = [p for p in manifest["parameters"] if p["name"] == "shared_secret"]
        assert secret["secure"] is True and secret["scopes"] == ["jwt_secret_key"]

    def test_secure_parameter_without_scopes_fails_the_check(self, app_dir: Path) -> None:
        def drop(d: dict) -> None:  # type: ignore[type-arg]
            for p in d["parameters"]:
                p.pop("scopes", None)

        _edit_json(app_dir / "manifest.json", drop)
        assert any("shared_secret has no scopes" in e for e in errors(app_dir))
        assert main(["zendesk-app", "check", "--app-dir", str(app_dir)]) == 1

    @pytest.mark.parametrize(
        ("change", "needle"),
        [
            (lambda p: p.update(scopes=["everywhere"]), "unknown scope(s) everywhere"),
            (lambda p: p.update(scopes=[]), "non-empty list"),
            (lambda p: p.update(secure=False), "scopes need secure"),
            (lambda p: p.update(type="secret"), "unknown type secret"),
            (lambda p: p.update(default="x"), "must not have a default"),
        ],
    )
    def test_parameter_rules(self, app_dir: Path, change: Any, needle: str) -> None:
        def edit(d: dict) -> None:  # type: ignore[type-arg]
            change(next(p for p in d["parameters"] if p["name"] == "shared_secret"))

        _edit_json(app_dir / "manifest.json", edit)
        assert any(needle in e for e in errors(app_dir)), errors(app_dir)

    def test_framework_version_locale_and_blocked_files(self, app_dir: Path) -> None:
        _edit_json(
            app_dir / "manifest.json",
            lambda d: d.update(frameworkVersion="1.0", defaultLocale="German"),
        )
        (app_dir / "assets" / "notes.pdf").write_bytes(b"%PDF-1.7")
        found = errors(app_dir)
        assert any("frameworkVersion 1.0" in e for e in found)
        assert any("defaultLocale 'German'" in e for e in found)
        assert any("notes.pdf" in e and "refuses" in e for e in found)

    def test_stale_i18n_bundle_is_an_error(self, app_dir: Path) -> None:
        _edit_json(
            app_dir / "translations" / "de.json",
            lambda d: d["ui"].update({"action.save": "Sichern"}),
        )
        assert any("i18n.js" in e for e in errors(app_dir))
        assert main(["zendesk-app", "build", "--app-dir", str(app_dir)]) == 0
        assert not any("i18n.js" in e for e in errors(app_dir))
        assert '"action.save": "Sichern"' in (app_dir / "assets" / "i18n.js").read_text("utf-8")

    def test_bundle_holds_both_locales(self) -> None:
        script = i18n_script(APP_DIR)
        assert script is not None
        data = json.loads(script.split("=", 1)[1].rstrip().rstrip(";"))
        assert set(data) == {"de", "en"}
        assert data["de"]["error.backend"] == "Der partnerdesk-Dienst ist nicht erreichbar."

    def test_garden_css_is_built_from_the_npm_tarballs(self, app_dir: Path, tmp_path: Path) -> None:
        """The build reads dist/index.css of each package (here: tarballs made on the spot)."""

        def pack(spec: str, workdir: Path) -> Path:
            css = f".c-{spec.split('/')[1].split('@')[0]} {{ color: #1f73b7; }}".encode()
            tarball = workdir / (spec.replace("/", "-") + ".tgz")
            with tarfile.open(tarball, "w:gz") as tar:
                info = tarfile.TarInfo("package/dist/index.css")
                info.size = len(css)
                tar.addfile(info, io.BytesIO(css))
            return tarball

        path = build_garden(app_dir, pack=pack)
        text = path.read_text(encoding="utf-8")
        assert "@zendeskgarden/css-buttons@9.0.1" in text and ".c-css-buttons" in text
        assert not any("garden" in e for e in errors(app_dir))
        path.write_text("/* emptied */", encoding="utf-8")
        assert any("garden.css" in e for e in errors(app_dir))


class TestPackageDefaults:
    def test_zip_whitelists_the_public_url_host_and_names_the_author(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PARTNERDESK_PUBLIC_URL", "https://pd.example.net/")
        monkeypatch.setenv("PARTNERDESK_APP__AUTHOR_NAME", "Wholesale Support")
        monkeypatch.setenv("PARTNERDESK_APP__AUTHOR_EMAIL", "wholesale@carrier.de")
        out = tmp_path / "pd.zip"
        assert main(["zendesk-app", "package", "--out", str(out)]) == 0
        with zipfile.ZipFile(out) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            assert zf.read("assets/i18n.js") == (APP_DIR / "assets" / "i18n.js").read_bytes()
            assert "assets/garden.css" in zf.namelist()
        assert manifest["domainWhitelist"] == ["pd.example.net"]
        assert manifest["author"]["name"] == "Wholesale Support"
        assert manifest["author"]["email"] == "wholesale@carrier.de"

    def test_package_without_a_reachable_backend_host_is_refused(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.delenv("PARTNERDESK_PUBLIC_URL", raising=False)
        out = tmp_path / "pd.zip"
        assert main(["zendesk-app", "package", "--out", str(out)]) == 2
        assert "PARTNERDESK_PUBLIC_URL" in capsys.readouterr().err
        assert not out.exists()


class TestPreview:
    def test_zcli_config_carries_the_settings_and_stays_private(
        self, app_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PARTNERDESK_PUBLIC_URL", "http://127.0.0.1:8000/")
        monkeypatch.setenv("PARTNERDESK_APP_SECRET", "preview-secret-0123456789-0123456789")
        assert main(["zendesk-app", "zcli-config", "--app-dir", str(app_dir)]) == 0
        path = app_dir / "zcli.apps.config.json"
        assert json.loads(path.read_text(encoding="utf-8")) == {
            "parameters": {
                "backend_url": "http://127.0.0.1:8000",
                "shared_secret": "preview-secret-0123456789-0123456789",
            }
        }
        assert path.stat().st_mode & 0o777 == 0o600
        # the preview file is never packaged, so the secret never reaches the zip
        out = app_dir.parent / "pd.zip"
        assert "zcli.apps.config.json" not in build_zip(app_dir, out, domain="pd.example.com")
        assert zcli_config("https://x.example/", "s") == {
            "parameters": {"backend_url": "https://x.example", "shared_secret": "s"}
        }

    def test_zcli_config_needs_the_secret(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("PARTNERDESK_APP_SECRET", raising=False)
        assert main(["zendesk-app", "zcli-config"]) == 2
