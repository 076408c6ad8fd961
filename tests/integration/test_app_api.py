"""The sidebar backend through the real ASGI app: tokens, the view, page images, actions."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import jwt
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from handlers.ports import TicketUpdate
from integration.store.overrides import OverrideRepo
from tests.integration.app_case import AGENT, SECRET, TICKET, AppCase, build

VIEW = f"/app/tickets/{TICKET}"


@pytest.fixture
def case(tmp_path: Path) -> AppCase:
    return build(tmp_path)


@pytest.fixture
def client(case: AppCase) -> TestClient:
    return TestClient(case.app)


def settle_unclear(client: TestClient, case: AppCase) -> None:
    """The agent settles the number the letter leaves unclear, so the case needs no review."""
    body = {
        "first": "+49307654321",
        "last": "+49307654321",
        "action": "reject",
        "reason": "Bleibt beim Kunden",
    }
    r = client.post(f"{VIEW}/overrides", json=body, headers=case.auth())
    assert r.status_code == 200, r.text
    assert not r.json()["case"]["needs_review"], r.json()["review_reasons"]


class TestTokens:
    def test_missing_token_is_refused(self, client: TestClient) -> None:
        """No Authorization header: 401 with a sentence saying what to do."""
        r = client.get(VIEW)
        assert r.status_code == 401
        assert "no app token" in r.json()["detail"]

    def test_valid_token_is_accepted(self, case: AppCase, client: TestClient) -> None:
        """A fresh token for this ticket opens the view."""
        assert client.get(VIEW, headers=case.auth()).status_code == 200

    def test_expired_token_is_refused(self, case: AppCase, client: TestClient) -> None:
        """Expired beyond the leeway: 401."""
        r = client.get(
            VIEW, headers=case.auth(exp_in=-(case.settings.app.token_leeway_seconds + 5))
        )
        assert r.status_code == 401
        assert "expired" in r.json()["detail"]

    def test_expiry_within_leeway_is_accepted(self, case: AppCase, client: TestClient) -> None:
        """Clock skew up to the configured leeway is tolerated."""
        r = client.get(
            VIEW, headers=case.auth(exp_in=-(case.settings.app.token_leeway_seconds - 5))
        )
        assert r.status_code == 200

    def test_token_without_expiry_is_refused(self, case: AppCase, client: TestClient) -> None:
        """exp is required."""
        token = jwt.encode({"ticket_id": TICKET}, SECRET, algorithm="HS256")
        r = client.get(VIEW, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401

    def test_tampered_token_is_refused(self, case: AppCase, client: TestClient) -> None:
        """Changing the claims breaks the signature: 401."""
        header, _payload, sig = case.token().split(".")
        forged = jwt.encode(
            {"ticket_id": TICKET, "agent_id": 1, "exp": 9999999999},
            "other-secret-other-secret-other-secret-xx",
            algorithm="HS256",
        ).split(".")[1]
        r = client.get(VIEW, headers={"Authorization": f"Bearer {header}.{forged}.{sig}"})
        assert r.status_code == 401

    def test_wrong_secret_is_refused(self, case: AppCase, client: TestClient) -> None:
        """A token signed with another secret: 401."""
        assert (
            client.get(
                VIEW, headers=case.auth(secret="not-the-secret-at-all-not-the-secret-at-all")
            ).status_code
            == 401
        )

    def test_unsigned_token_is_refused(self, case: AppCase, client: TestClient) -> None:
        """alg=none is never accepted."""
        token = jwt.encode({"ticket_id": TICKET, "exp": 9999999999}, None, algorithm="none")
        assert client.get(VIEW, headers={"Authorization": f"Bearer {token}"}).status_code == 401

    def test_foreign_ticket_is_forbidden(self, case: AppCase, client: TestClient) -> None:
        """A genuine token for another ticket: 403."""
        r = client.get(VIEW, headers=case.auth(ticket_id=TICKET + 1))
        assert r.status_code == 403
        assert "another ticket" in r.json()["detail"]

    def test_foreign_ticket_cannot_act(self, case: AppCase, client: TestClient) -> None:
        """Actions check the ticket too, before anything is recorded."""
        body = {"first": "+49301234569", "last": "+49301234569", "action": "reject", "reason": "x"}
        r = client.post(f"{VIEW}/overrides", json=body, headers=case.auth(ticket_id=1))
        assert r.status_code == 403
        assert OverrideRepo(case.store).entries(TICKET) == []

    def test_ticket_without_case_is_not_found(self, case: AppCase, client: TestClient) -> None:
        """The token may be fine, but there is nothing to show: 404."""
        r = client.get("/app/tickets/12", headers=case.auth(ticket_id=12))
        assert r.status_code == 404

    def test_missing_secret_fails_closed(self, tmp_path: Path) -> None:
        """No PARTNERDESK_APP_SECRET on the server: nothing is served, whatever the token."""
        case = build(tmp_path, secret="")
        r = TestClient(case.app).get(
            VIEW, headers=case.auth(secret="anything-at-all-anything-at-all-anything")
        )
        assert r.status_code == 503


class TestView:
    def test_numbers_carry_decision_and_reason(self, case: AppCase, client: TestClient) -> None:
        """Each requested number appears once with the decision's verdict and reason."""
        view = client.get(VIEW, headers=case.auth()).json()
        rows = {r["first"]: (r["decision"], r["reason"], r["named"]) for r in view["requested"]}
        assert rows == {
            "+49301234567": ("approved", None, True),
            "+49301234569": ("rejected", "excluded", False),
            "+49309999999": ("rejected", "not_named", False),
            "+49307654321": ("rejected", "unclear", True),
        }
        assert [r["first"] for r in view["unrequested"]] == ["+49301234568"]
        assert view["case"]["outcome"] == "partial"

    def test_document_pages_list_every_number_with_role(
        self, case: AppCase, client: TestClient
    ) -> None:
        """The page entry holds every number of the page, its role and its box."""
        doc = client.get(VIEW, headers=case.auth()).json()["documents"][0]
        assert doc["signature"]["signatory"] == "Dr. Katrin Albers"
        page = doc["page_images"][0]
        assert (page["width"], page["height"]) == pytest.approx((595.27, 841.89), abs=0.01)
        roles = {n["first"]: n["role"] for n in page["numbers"]}
        assert roles == {n.range.first: n.role.value for n in case.document.numbers}
        assert all(len(n["bbox"]) == 4 for n in page["numbers"])


class TestPages:
    def _page_url(self, case: AppCase, client: TestClient) -> str:
        view = client.get(VIEW, headers=case.auth()).json()
        return str(view["documents"][0]["page_images"][0]["url"])

    def test_page_image_is_rendered_and_cached(self, case: AppCase, client: TestClient) -> None:
        """A signed page link returns a PNG at render_dpi, kept in the page cache."""
        r = client.get(self._page_url(case, client))
        assert r.status_code == 200
        assert r.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(r.content))
        dpi = case.settings.app.render_dpi
        # pdfium rounds the bitmap size up
        assert image.size[0] == pytest.approx(595.27 * dpi / 72, abs=1.5)
        assert image.size[1] == pytest.approx(841.89 * dpi / 72, abs=1.5)
        cached = (
            case.settings.general.data_dir / "cache" / "pages" / case.sha256 / str(dpi) / "1.png"
        )
        assert cached.read_bytes() == r.content

    def test_boxes_lie_on_ink(self, case: AppCase, client: TestClient) -> None:
        """Every number's box, scaled to the rendered image, covers dark text pixels."""
        image = Image.open(io.BytesIO(client.get(self._page_url(case, client)).content)).convert(
            "L"
        )
        scale = image.width / 595.27
        for n in case.document.numbers:
            assert n.bbox is not None
            x0, top, x1, bottom = (round(v * scale) for v in n.bbox)
            dark = sum(1 for p in image.crop((x0, top, x1, bottom)).tobytes() if p < 128)
            assert dark > 20, n.range.first
            # and just above the box is blank paper: the box is not merely near some text
            above = image.crop((x0, top - 6, x1, top - 2)).tobytes()
            assert sum(1 for p in above if p < 128) < dark / 4

    def test_tampered_page_link_is_refused(self, case: AppCase, client: TestClient) -> None:
        """Changing the page or the expiry breaks the link's signature."""
        url = self._page_url(case, client)
        assert client.get(url.replace("/1.png", "/2.png")).status_code == 403
        q = parse_qs(urlparse(url).query)
        later = url.replace(f"exp={q['exp'][0]}", f"exp={int(q['exp'][0]) + 10}")
        assert client.get(later).status_code == 403

    def test_page_link_expires(self, case: AppCase, client: TestClient) -> None:
        """A page link older than its expiry is refused."""
        url = self._page_url(case, client)
        case.now[0] += timedelta(hours=2)
        assert client.get(url).status_code == 403


class TestOverrides:
    def _post(self, case: AppCase, client: TestClient, **body: object) -> object:
        return client.post(f"{VIEW}/overrides", json=body, headers=case.auth())

    def test_override_without_reason_is_refused(self, case: AppCase, client: TestClient) -> None:
        """No reason: 422, nothing stored, nothing written to the ticket."""
        r = client.post(
            f"{VIEW}/overrides",
            json={
                "first": "+49307654321",
                "last": "+49307654321",
                "action": "approve",
                "reason": "  ",
            },
            headers=case.auth(),
        )
        assert r.status_code == 422
        assert "reason" in r.json()["detail"]
        assert OverrideRepo(case.store).entries(TICKET) == []
        assert case.helpdesk.updates == []

    def test_unnamed_number_needs_force(self, case: AppCase, client: TestClient) -> None:
        """Approving a number no document names is refused without the override flag."""
        body = {
            "first": "+49309999999",
            "last": "+49309999999",
            "action": "approve",
            "reason": "Kunde bestätigt",
        }
        r = client.post(f"{VIEW}/overrides", json=body, headers=case.auth())
        assert r.status_code == 422
        assert "override" in r.json()["detail"]
        assert OverrideRepo(case.store).entries(TICKET) == []

    def test_excluded_number_needs_force(self, case: AppCase, client: TestClient) -> None:
        """A number the letter keeps back is no easier to approve than an unnamed one."""
        body = {
            "first": "+49301234569",
            "last": "+49301234569",
            "action": "approve",
            "reason": "Telefonat",
        }
        assert client.post(f"{VIEW}/overrides", json=body, headers=case.auth()).status_code == 422

    def test_forced_approval_is_recorded_and_noted(self, case: AppCase, client: TestClient) -> None:
        """With force and a reason: stored with the agent id from the token, noted on the ticket."""
        body = {
            "first": "+49309999999",
            "last": "+49309999999",
            "action": "approve",
            "reason": "Neue Bestätigung liegt per Post vor",
            "force": True,
        }
        r = client.post(f"{VIEW}/overrides", json=body, headers=case.auth())
        assert r.status_code == 200, r.text
        view = r.json()
        row = next(x for x in view["requested"] if x["first"] == "+49309999999")
        assert row["decision"] == "approved"
        assert row["override"]["agent_id"] == AGENT
        assert "agent_override" in view["review_reasons"]
        [entry] = OverrideRepo(case.store).entries(TICKET)
        assert (entry.agent_id, entry.force, entry.action) == (AGENT, True, "approve")
        notes = [u for u in case.helpdesk.updates if u.comment and not u.public]
        assert notes, "the re-evaluation writes an internal note"
        assert "Neue Bestätigung liegt per Post vor" in notes[-1].comment
        assert f"Agent {AGENT}" in notes[-1].comment

    def test_override_survives_a_new_evaluation(self, case: AppCase, client: TestClient) -> None:
        """A later run of the handler (a new webhook) keeps the agent's decision."""
        body = {
            "first": "+49309999999",
            "last": "+49309999999",
            "action": "approve",
            "reason": "Neue Bestätigung liegt per Post vor",
            "force": True,
        }
        assert client.post(f"{VIEW}/overrides", json=body, headers=case.auth()).status_code == 200
        r = client.post(f"{VIEW}/reevaluate", headers=case.auth())
        row = next(x for x in r.json()["requested"] if x["first"] == "+49309999999")
        assert row["decision"] == "approved"
        stored = case.store.get_case(TICKET, "relocation")
        assert stored is not None and stored.decision is not None
        assert [o["reason"] for o in stored.decision["overrides"]] == [body["reason"]]

    def test_unclear_number_can_be_approved_with_reason(
        self, case: AppCase, client: TestClient
    ) -> None:
        """A number the letter names unclearly needs a reason but no force."""
        body = {
            "first": "+49307654321",
            "last": "+49307654321",
            "action": "approve",
            "reason": "Rückruf beim Kunden",
        }
        r = client.post(f"{VIEW}/overrides", json=body, headers=case.auth())
        assert r.status_code == 200, r.text
        row = next(x for x in r.json()["requested"] if x["first"] == "+49307654321")
        assert row["decision"] == "approved"

    def test_reject_is_applied(self, case: AppCase, client: TestClient) -> None:
        """An agent can take an approved number back out."""
        body = {
            "first": "+49301234567",
            "last": "+49301234567",
            "action": "reject",
            "reason": "Kunde zieht zurück",
        }
        r = client.post(f"{VIEW}/overrides", json=body, headers=case.auth())
        assert r.status_code == 200, r.text
        row = next(x for x in r.json()["requested"] if x["first"] == "+49301234567")
        assert (row["decision"], row["reason"]) == ("rejected", "agent")
        assert r.json()["case"]["outcome"] == "rejected"


class TestOtherActions:
    def test_reevaluate_runs_the_relocation_handler(
        self, case: AppCase, client: TestClient
    ) -> None:
        """Re-run goes through the router as a stored delivery and ends done."""
        settle_unclear(client, case)
        r = client.post(f"{VIEW}/reevaluate", headers=case.auth())
        assert r.status_code == 200, r.text
        assert r.json()["action"]["state"] == "done"
        kinds = [d.event_kind for d in case.store.list_deliveries(ticket_id=TICKET)]
        # the override's run decided "partial" without review and emitted the scheduler's
        # event; re-evaluating the unchanged case is one more run that emits nothing new
        assert kinds == ["manual", "relocation.approved", "manual"]

    def test_cutover_without_field_is_refused(self, case: AppCase, client: TestClient) -> None:
        """Setting the cutover needs scheduling.cutover_field_id."""
        r = client.post(
            f"{VIEW}/cutover", json={"local_start": "2026-12-03T10:00"}, headers=case.auth()
        )
        assert r.status_code == 422

    def test_propose_refused_when_nothing_is_approved(
        self, case: AppCase, client: TestClient
    ) -> None:
        """No proposals for a case that moves no number."""
        body = {
            "first": "+49301234567",
            "last": "+49301234567",
            "action": "reject",
            "reason": "zurückgezogen",
        }
        assert client.post(f"{VIEW}/overrides", json=body, headers=case.auth()).status_code == 200
        r = client.post(f"{VIEW}/slots/propose", headers=case.auth())
        assert r.status_code == 422
        assert "Nothing is approved" in r.json()["detail"]


class TestStatic:
    def test_strings_and_assets_are_served(self, client: TestClient) -> None:
        """The app page, script and translations load from the backend for local use."""
        assert client.get("/app/i18n/de").json()["numbers.title"] == "Angefragte Rufnummern"
        assert "ZAFClient" in client.get("/app/static/app.js").text
        assert client.get("/app/static/iframe.html").headers["content-type"].startswith("text/html")

    def test_no_path_traversal(self, client: TestClient) -> None:
        """Only plain asset names are served."""
        assert client.get("/app/static/..%2Fmanifest.json").status_code == 404
        assert client.get("/app/static/manifest.json").status_code == 404


class TestScheduling:
    SOURCE_FIELD = 360001
    CUTOVER_FIELD = 360002

    @pytest.fixture
    def sched(self, tmp_path: Path) -> AppCase:
        return build(
            tmp_path,
            extra={
                "scheduling": {
                    "link_secret": "slot-link-secret-for-api-tests-0123456789abc",
                    "cutover_field_id": self.CUTOVER_FIELD,
                },
                "relocation": {"source_partner_field_id": self.SOURCE_FIELD, "public_reply": False},
                "partners": [
                    {"id": "alpha", "name": "Alpha GmbH", "contact_email": "noc@alpha.invalid"}
                ],
            },
            ticket_fields={self.SOURCE_FIELD: "alpha"},
        )

    def test_propose_then_set_cutover_by_hand(self, sched: AppCase) -> None:
        """Proposals go out through the scheduler; a hand-set cutover writes the field and
        is booked by the same field-change handler a Zendesk webhook would run."""
        client = TestClient(sched.app)
        settle_unclear(client, sched)
        r = client.post(f"{VIEW}/slots/propose", headers=sched.auth())
        assert r.status_code == 200, r.text
        scheduling = r.json()["scheduling"]
        assert scheduling["state"] == "proposing"
        assert len(scheduling["slots"]) == sched.settings.scheduling.slot_count
        assert scheduling["linked_ticket_id"] == 9001
        # a service-hours slot well after the minimum notice: the proposal's first slot
        start = scheduling["slots"][0]["start"]
        local = datetime.fromisoformat(start).astimezone(ZoneInfo("Europe/Berlin"))

        def on_update(update: TicketUpdate) -> None:
            # Zendesk stores the field; the fake keeps it so the handler reads it back
            if update.ticket_id == TICKET and self.CUTOVER_FIELD in update.custom_fields:
                ticket = sched.helpdesk.tickets[TICKET]
                fields = {**ticket.custom_fields, **update.custom_fields}
                sched.helpdesk.tickets[TICKET] = replace(ticket, custom_fields=fields)

        sched.helpdesk.on_update = on_update
        r = client.post(
            f"{VIEW}/cutover",
            json={"local_start": local.strftime("%Y-%m-%dT%H:%M")},
            headers=sched.auth(),
        )
        assert r.status_code == 200, r.text
        written = [u for u in sched.helpdesk.updates if self.CUTOVER_FIELD in u.custom_fields]
        assert written[0].custom_fields[self.CUTOVER_FIELD] == local.strftime("%Y-%m-%d %H:%M")
        booked = r.json()["scheduling"]["booked"]
        assert booked is not None
        assert datetime.fromisoformat(booked["start"]) == datetime.fromisoformat(start)

    def test_cutover_time_must_parse(self, sched: AppCase) -> None:
        r = TestClient(sched.app).post(
            f"{VIEW}/cutover", json={"local_start": "morgen früh"}, headers=sched.auth()
        )
        assert r.status_code == 422
