"""Settings: defaults, the operator's TOML file, the environment, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import load_settings


class TestLoadSettings:
    def test_defaults_are_documented_values(self) -> None:
        """Without a file or environment the bundled defaults apply."""
        s = load_settings(env={})
        assert s.general.region == "DE"
        assert s.ocr.enabled is True
        assert s.limits.max_pages == 30
        assert s.relocation.tag_approved == "partnerdesk_approved"
        assert s.scheduling.service_hours["fri"] == ["08:00-15:00"]
        assert s.general.effective_database_url().startswith("sqlite:///")

    def test_fixed_environment_names(self) -> None:
        """The names operators script map to their fields."""
        env = {
            "PARTNERDESK_DATA_DIR": "/srv/pd",
            "PARTNERDESK_DATABASE_URL": "postgresql+psycopg://u@h/db",
            "PARTNERDESK_REDIS_URL": "redis://h:6379/1",
            "PARTNERDESK_ZENDESK_SUBDOMAIN": "acme",
            "PARTNERDESK_ZENDESK_EMAIL": "bot@acme.test",
            "PARTNERDESK_ZENDESK_TOKEN": "tok",
            "PARTNERDESK_WEBHOOK_SECRET": "s3cr3t-value",
        }
        s = load_settings(env=env)
        assert s.general.data_dir == Path("/srv/pd")
        assert s.general.effective_database_url() == "postgresql+psycopg://u@h/db"
        assert s.general.redis_url == "redis://h:6379/1"
        assert s.zendesk.subdomain == "acme"
        assert s.zendesk.token.get_secret_value() == "tok"
        assert s.zendesk.webhook_secret.get_secret_value() == "s3cr3t-value"
        assert "s3cr3t-value" not in repr(s)

    def test_any_field_by_double_underscore(self) -> None:
        s = load_settings(
            env={"PARTNERDESK_OCR__ENABLED": "false", "PARTNERDESK_LIMITS__MAX_PAGES": "5"}
        )
        assert s.ocr.enabled is False
        assert s.limits.max_pages == 5

    def test_json_values_in_environment(self) -> None:
        s = load_settings(env={"PARTNERDESK_SCHEDULING__CLOSURES": '["2026-12-28"]'})
        assert s.scheduling.closures == ["2026-12-28"]

    def test_toml_file_overrides_defaults(self, tmp_path: Path) -> None:
        f = tmp_path / "pd.toml"
        f.write_text(
            '[relocation]\nform_id = 360001\n[[partners]]\nid = "acme"\nname = "ACME"\ncontact_email = "ops@acme.test"\n'
        )
        s = load_settings(env={"PARTNERDESK_CONFIG": str(f)})
        assert s.relocation.form_id == 360001
        assert s.partner("ACME") is not None and s.partner("nobody") is None

    def test_environment_beats_file(self, tmp_path: Path) -> None:
        f = tmp_path / "pd.toml"
        f.write_text("[ocr]\ndpi = 200\n")
        s = load_settings(f, env={"PARTNERDESK_OCR__DPI": "150"})
        assert s.ocr.dpi == 150

    def test_secret_in_file_is_refused(self, tmp_path: Path) -> None:
        f = tmp_path / "pd.toml"
        f.write_text('[zendesk]\ntoken = "oops"\n')
        with pytest.raises(ConfigError, match="environment only"):
            load_settings(f, env={})

    def test_unknown_key_is_named(self, tmp_path: Path) -> None:
        f = tmp_path / "pd.toml"
        f.write_text("[ocr]\nenabeld = true\n")
        with pytest.raises(ConfigError, match=r"ocr\.enabeld"):
            load_settings(f, env={})

    def test_bad_toml_and_missing_file(self, tmp_path: Path) -> None:
        f = tmp_path / "pd.toml"
        f.write_text("[ocr\n")
        with pytest.raises(ConfigError, match="not valid TOML"):
            load_settings(f, env={})
        with pytest.raises(ConfigError, match="does not exist"):
            load_settings(tmp_path / "nope.toml", env={})

    def test_wrong_type_is_a_config_error(self) -> None:
        with pytest.raises(ConfigError, match=r"limits\.max_pages"):
            load_settings(env={"PARTNERDESK_LIMITS__MAX_PAGES": "many"})


class TestSources:
    def test_built_in_code_reads_no_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Settings(...) holds the given values and defaults; only load_settings reads env."""
        from config.settings import Settings

        monkeypatch.setenv("PARTNERDESK_OCR__ENABLED", "false")
        assert Settings().ocr.enabled is True
        assert load_settings().ocr.enabled is False

    def test_environment_beats_file_beats_default(self, tmp_path: Path) -> None:
        """Precedence, highest first: overrides, environment, operator file, default file."""
        f = tmp_path / "pd.toml"
        f.write_text("[ocr]\ndpi = 200\nmin_text_chars = 10\n", encoding="utf-8")
        s = load_settings(f, env={"PARTNERDESK_OCR__DPI": "150"})
        assert (s.ocr.dpi, s.ocr.min_text_chars, s.ocr.enabled) == (150, 10, True)
        s = load_settings(f, env={"PARTNERDESK_OCR__DPI": "150"}, overrides={"ocr": {"dpi": 99}})
        assert s.ocr.dpi == 99

    def test_json_lists_from_the_environment(self) -> None:
        """List and table settings are given as JSON in the environment."""
        s = load_settings(env={"PARTNERDESK_SCHEDULING__CLOSURES": '["12-24", "12-31"]'})
        assert s.scheduling.closures == ["12-24", "12-31"]


class TestHolidayState:
    def test_state_code_in_any_case(self) -> None:
        """'by' is Bavaria's code as the holidays package spells it."""
        s = load_settings(env={"PARTNERDESK_SCHEDULING__HOLIDAY_STATE": "by"})
        assert s.scheduling.holiday_state == "BY"

    def test_unknown_state_names_the_valid_codes(self) -> None:
        """An unknown code is a configuration error listing every valid one."""
        with pytest.raises(ConfigError) as err:
            load_settings(env={"PARTNERDESK_SCHEDULING__HOLIDAY_STATE": "XX"})
        message = str(err.value)
        assert "scheduling.holiday_state" in message and "'XX'" in message
        for code in ("BB", "BE", "BY", "NW", "TH"):
            assert code in message
