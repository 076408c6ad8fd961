"""Start-up checks: every missing or weak setting in one message; doctor asks Zendesk read-only."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
import responses
import structlog

from config.errors import ConfigError
from config.settings import Settings, load_settings
from integration.cli import main
from integration.commands import doctor, serve
from integration.commands.doctor import (
    GENERATE,
    configuration_problems,
    require_configuration,
    zendesk_problems,
)

API = "https://acme.zendesk.com/api/v2"
LONG = "x" * 32
FIELDS = {"requested": 101, "status": 102, "partner": 103, "cutover": 104, "linked": 105}


@pytest.fixture(autouse=True)
def _reset_logging() -> Any:
    yield
    structlog.reset_defaults()


def complete(**over: Any) -> Settings:
    """A configuration without any error."""
    data: dict[str, Any] = {
        "general": {"public_url": "https://partnerdesk.example.com"},
        "zendesk": {
            "subdomain": "acme",
            "email": "bot@example.com",
            "token": "tok",
            "webhook_secret": LONG,
            "api_user_id": 9001,
        },
        "app": {"shared_secret": "a" * 40},
        "scheduling": {
            "link_secret": "l" * 32,
            "cutover_field_id": FIELDS["cutover"],
            "linked_ticket_field_id": FIELDS["linked"],
        },
        "relocation": {
            "requested_numbers_field_id": FIELDS["requested"],
            "status_field_id": FIELDS["status"],
            "source_partner_field_id": FIELDS["partner"],
        },
        "partners": [{"id": "alpha-tel", "name": "Alpha", "contact_email": "a@alpha.example"}],
    }
    for section, values in over.items():
        data[section] = {**data.get(section, {}), **values}
    return load_settings(env={}, overrides=data)


def errors_of(settings: Settings) -> dict[str, str]:
    return {f.setting: f.message for f in configuration_problems(settings) if f.level == "error"}


def test_complete_configuration_has_no_error() -> None:
    assert errors_of(complete()) == {}
    assert require_configuration(complete()) == []


def test_the_four_variables_of_the_old_guide_are_not_enough() -> None:
    """Only subdomain, e-mail, token and webhook secret: everything else is named at once."""
    settings = load_settings(
        env={
            "PARTNERDESK_ZENDESK_SUBDOMAIN": "acme",
            "PARTNERDESK_ZENDESK_EMAIL": "bot@example.com",
            "PARTNERDESK_ZENDESK_TOKEN": "tok",
            "PARTNERDESK_WEBHOOK_SECRET": LONG,
        }
    )
    errors = errors_of(settings)
    assert set(errors) == {
        "PARTNERDESK_LINK_SECRET",
        "PARTNERDESK_PUBLIC_URL",
        "relocation.source_partner_field_id",
        "scheduling.cutover_field_id",
        "[[partners]]",
    }
    with pytest.raises(ConfigError) as info:
        require_configuration(settings)
    message = str(info.value)
    assert "5 setting(s)" in message
    for name in errors:
        assert name in message
    assert GENERATE in message


@pytest.mark.parametrize(
    ("section", "values", "name"),
    [
        ("zendesk", {"webhook_secret": "x"}, "PARTNERDESK_WEBHOOK_SECRET(S)"),
        ("zendesk", {"webhook_secrets": f"{LONG},short"}, "PARTNERDESK_WEBHOOK_SECRET(S)"),
        ("app", {"shared_secret": "x" * 31}, "PARTNERDESK_APP_SECRET"),
        ("scheduling", {"link_secret": "y" * 10}, "PARTNERDESK_LINK_SECRET"),
    ],
)
def test_secrets_shorter_than_32_bytes_are_refused_with_how_to_generate(
    section: str, values: dict[str, Any], name: str
) -> None:
    errors = errors_of(complete(**{section: values}))
    assert list(errors) == [name]
    assert "at least 32" in errors[name]
    if section == "zendesk":  # Zendesk makes webhook secrets: say where to copy it from
        assert "Signing secret" in errors[name] and GENERATE not in errors[name]
    else:
        assert GENERATE in errors[name]


def test_secret_length_counts_bytes_not_characters() -> None:
    assert errors_of(complete(app={"shared_secret": "ä" * 16})) == {}  # 32 bytes in UTF-8
    assert "PARTNERDESK_APP_SECRET" in errors_of(complete(app={"shared_secret": "ä" * 15}))


def test_a_missing_app_secret_only_warns() -> None:
    found = configuration_problems(complete(app={"shared_secret": ""}))
    assert [(f.level, f.setting) for f in found] == [("warning", "PARTNERDESK_APP_SECRET")]


def test_a_missing_api_user_id_warns() -> None:
    found = configuration_problems(complete(zendesk={"api_user_id": None}))
    assert [(f.level, f.setting) for f in found] == [
        ("warning", "PARTNERDESK_ZENDESK__API_USER_ID")
    ]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:8000", "http://10.0.0.5", "nonsense"]
)
def test_public_url_partners_cannot_reach_is_an_error(url: str) -> None:
    assert "PARTNERDESK_PUBLIC_URL" in errors_of(complete(general={"public_url": url}))


def test_status_options_equal_to_outcome_tags_are_an_error() -> None:
    bad = complete(relocation={"status_review": "partnerdesk_review"})
    assert "relocation.status_*" in errors_of(bad)


def test_serve_refuses_to_start_and_names_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in list(__import__("os").environ):
        if key.startswith("PARTNERDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PARTNERDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PARTNERDESK_APP_SECRET", "x")
    started: list[Any] = []
    monkeypatch.setattr(serve, "build_service", lambda *a, **k: started.append(a))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert not started
    for name in (
        "PARTNERDESK_ZENDESK_TOKEN",
        "PARTNERDESK_WEBHOOK_SECRET(S)",
        "PARTNERDESK_APP_SECRET: is 1 bytes",
        "PARTNERDESK_LINK_SECRET",
        "PARTNERDESK_PUBLIC_URL",
    ):
        assert name in err
    assert GENERATE in err


def _field(field_id: int, kind: str, options: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "ticket_field": {
            "id": field_id,
            "type": kind,
            "active": True,
            "custom_field_options": [{"name": o, "value": o} for o in options],
        }
    }


def fake_account(rsps: responses.RequestsMock, *, status_options: list[str]) -> None:
    rsps.get(f"{API}/users/me.json", json={"user": {"id": 9001, "role": "admin"}})
    rsps.get(f"{API}/ticket_fields/101.json", json=_field(101, "textarea"))
    rsps.get(f"{API}/ticket_fields/102.json", json=_field(102, "tagger", status_options))
    rsps.get(f"{API}/ticket_fields/103.json", json=_field(103, "tagger", ["alpha-tel"]))
    rsps.get(f"{API}/ticket_fields/104.json", json=_field(104, "text"))
    rsps.get(f"{API}/ticket_fields/105.json", json=_field(105, "integer"))
    rsps.get(
        f"{API}/webhooks",
        json={
            "webhooks": [
                {
                    "id": "01HOOK",
                    "name": "partnerdesk",
                    "endpoint": "https://partnerdesk.example.com/webhooks/zendesk",
                    "status": "active",
                    "subscriptions": ["conditional_ticket_events"],
                },
                {"id": "01OTHER", "endpoint": "https://other.example/x", "status": "active"},
            ]
        },
    )
    rsps.get(f"{API}/triggers/active.json", json={"triggers": TRIGGERS})


TRIGGERS = [
    {
        "id": 1,
        "title": "partnerdesk: Umzugsauftrag neu",
        "actions": [
            {
                "field": "notification_webhook",
                "value": [
                    "01HOOK",
                    '{"ticket_id": "{{ticket.id}}", "current_user_id": "{{current_user.id}}"}',
                ],
            }
        ],
    },
    {"id": 2, "title": "unrelated", "actions": [{"field": "status", "value": "open"}]},
]
STATUS = [
    "partnerdesk_status_approved",
    "partnerdesk_status_partial",
    "partnerdesk_status_rejected",
    "partnerdesk_status_review",
]


def test_zendesk_check_reads_token_fields_and_options_read_only() -> None:
    with responses.RequestsMock() as rsps:
        fake_account(rsps, status_options=STATUS)
        found = zendesk_problems(complete())
        assert {c.request.method for c in rsps.calls} == {"GET"}
        assert all(c.request.headers["Authorization"].startswith("Basic ") for c in rsps.calls)
    assert [f for f in found if f.level != "ok"] == []
    assert "9001" in found[0].message and "Is not" in found[0].message


def test_zendesk_check_names_missing_options_unknown_fields_and_wrong_types() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake_account(rsps, status_options=["partnerdesk_approved", "partnerdesk_review"])
        rsps.replace(responses.GET, f"{API}/ticket_fields/104.json", status=404)
        rsps.replace(responses.GET, f"{API}/ticket_fields/101.json", json=_field(101, "tagger"))
        found = {f.setting: f.message for f in zendesk_problems(complete()) if f.level == "error"}
    assert "partnerdesk_status_partial" in found["relocation.status_field_id"]
    assert "no ticket field 104" in found["scheduling.cutover_field_id"]
    assert "type 'tagger'" in found["relocation.requested_numbers_field_id"]


def test_zendesk_check_finds_a_missing_webhook_and_triggers_without_the_user() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake_account(rsps, status_options=STATUS)
        found = {f.setting: f for f in zendesk_problems(complete()) if f.level != "ok"}
        assert found == {}
        rsps.replace(
            responses.GET,
            f"{API}/triggers/active.json",
            json={
                "triggers": [
                    {
                        "title": "old",
                        "actions": [
                            {
                                "field": "notification_webhook",
                                "value": ["01HOOK", '{"ticket_id": "{{ticket.id}}"}'],
                            }
                        ],
                    }
                ]
            },
        )
        found = {f.setting: f for f in zendesk_problems(complete()) if f.level != "ok"}
        assert (
            found["triggers"].level == "warning" and "current_user_id" in found["triggers"].message
        )
        rsps.replace(responses.GET, f"{API}/webhooks", json={"webhooks": []})
        found = {f.setting: f for f in zendesk_problems(complete()) if f.level != "ok"}
        assert found["webhook"].level == "error"
        assert "https://partnerdesk.example.com/webhooks/zendesk" in found["webhook"].message


def test_zendesk_check_explains_a_refused_token() -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(f"{API}/users/me.json", status=401, json={"error": "Couldn't authenticate you"})
        found = zendesk_problems(complete())
    assert [f.setting for f in found] == ["PARTNERDESK_ZENDESK_TOKEN"]
    assert "Allow API token access" in found[0].message


def test_doctor_command_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    ok = argparse.Namespace(offline=False)
    assert doctor.run(ok, complete(), zendesk=lambda s: []) == 0
    assert doctor.run(argparse.Namespace(offline=True), complete(app={"shared_secret": "x"})) == 1
    assert "PARTNERDESK_APP_SECRET" in capsys.readouterr().err


def test_serve_starts_with_a_complete_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    for key in list(__import__("os").environ):
        if key.startswith("PARTNERDESK_"):
            monkeypatch.delenv(key)
    config = tmp_path / "partnerdesk.toml"
    config.write_text(
        "[relocation]\nsource_partner_field_id = 103\n[scheduling]\ncutover_field_id = 104\n"
        '[[partners]]\nid = "alpha-tel"\nname = "Alpha"\ncontact_email = "a@alpha.example"\n',
        encoding="utf-8",
    )
    for key, value in {
        "PARTNERDESK_CONFIG": str(config),
        "PARTNERDESK_DATA_DIR": str(tmp_path),
        "PARTNERDESK_ZENDESK_SUBDOMAIN": "acme",
        "PARTNERDESK_ZENDESK_EMAIL": "bot@example.com",
        "PARTNERDESK_ZENDESK_TOKEN": "tok",
        "PARTNERDESK_WEBHOOK_SECRET": LONG,
        "PARTNERDESK_LINK_SECRET": "l" * 32,
        "PARTNERDESK_PUBLIC_URL": "https://partnerdesk.example.com",
    }.items():
        monkeypatch.setenv(key, value)
    started: list[Any] = []
    monkeypatch.setattr(serve, "build_service", lambda *a, **k: "app")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append((app, kw)))
    assert main(["serve", "--port", "8123"]) == 0
    assert started == [("app", started[0][1])] and started[0][1]["port"] == 8123
