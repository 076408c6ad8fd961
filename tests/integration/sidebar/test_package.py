"""Checking and packaging the Zendesk app, and the ``partnerdesk zendesk-app`` command."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from integration.cli import main
from integration.sidebar.package import APP_DIR, build_zip, check_app, used_keys


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
