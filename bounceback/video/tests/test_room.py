"""The video visit's room (hazard H30, test T30): only the two participants, only in its window, signals only
to the other participant, hostile signals refused with a clear 400, what /health/ says about TURN, and what is
deleted when the room closes."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from bounceback.accounts.models import Role
from bounceback.audit.models import AuditEvent
from bounceback.care.models import CareRelationship
from bounceback.test import enable_two_factor, make_clinic_admin, make_clinician, make_user
from bounceback.video import personal
from bounceback.video.models import Presence, Signal
from bounceback.video.window import CLOSES_AFTER, OPENS_BEFORE
from bounceback.visits.models import Appointment

from .builders import Visit, book, client_of

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 11:00 in New York
DURING = START + timedelta(minutes=5)
SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
ENDPOINTS = ("join/", "signal/", "news/")


@pytest.fixture
def visit() -> Visit:
    return book(START)


def offer(session: str = "s1") -> dict[str, str]:
    return {"kind": "offer", "payload": json.dumps({"session": session, "sdp": SDP})}


def not_found_body(client: Client) -> bytes:
    return client.get(f"/visits/{uuid.uuid4()}/room/").content


def outsiders(visit: Visit) -> dict[str, Client]:
    clinic = visit.appointment.relationship.clinic
    superuser = make_user("root", role=Role.MEMBER)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    enable_two_factor(superuser)
    return {
        "another member": client_of(make_user("otto")),
        "another clinician of the clinic": client_of(make_clinician("chris", clinic)),
        "the clinic's administrator": client_of(make_clinic_admin("ada", clinic)),
        "a superuser": client_of(superuser),
        "anonymous": Client(),
    }


def test_it_opens_the_room_to_the_member_and_the_clinician(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        for user, other in ((visit.member, "Carol Example"), (visit.clinician, "Mona Member")):
            response = client_of(user).get(visit.room_url)
            assert response.status_code == 200
            html = response.content.decode()
            assert f"Video visit with {other}" in html
            assert 'id="room-join"' in html and "bounceback/video.js" in html
            assert "<script>" not in html  # no inline script (CSP)
            assert 'href="/messages/"' in html and 'href="tel:+15550101"' in html  # the fallback, ready
            assert "no-store" in response["Cache-Control"]
            assert "no-store" in client_of(user).post(visit.room_url + "news/")["Cache-Control"]


def test_anyone_else_gets_the_same_404_as_a_missing_visit(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        for who, client in outsiders(visit).items():
            response = client.get(visit.room_url)
            assert response.status_code == 404, who
            assert response.content == not_found_body(client), who
            for endpoint in ENDPOINTS:
                posted = client.post(visit.room_url + endpoint, offer() if endpoint == "signal/" else {})
                assert posted.status_code == 404, (who, endpoint)
                assert posted.content == not_found_body(client), (who, endpoint)
    assert not Signal.objects.exists() and not Presence.objects.exists()


@pytest.mark.parametrize("segment", ["not-an-id", "9" * 4301, "%3Cscript%3E", str(uuid.uuid4())])
def test_a_hostile_or_missing_id_is_404(visit: Visit, segment: str) -> None:
    with time_machine.travel(DURING, tick=False):
        client = client_of(visit.member)
        assert client.get(f"/visits/{segment}/room/").status_code == 404
        assert client.post(f"/visits/{segment}/room/join/").status_code == 404


def test_before_the_window_the_page_waits_and_the_endpoints_are_404(visit: Visit) -> None:
    member = client_of(visit.member)
    opens = START - OPENS_BEFORE
    with time_machine.travel(opens - timedelta(seconds=1), tick=False):
        response = member.get(visit.room_url)
        assert response.status_code == 200
        assert "Your visit opens at 10:50 (America/New_York)." in response.content.decode()
        assert 'data-opens-in="1"' in response.content.decode()  # the page shows the room when it opens
        assert 'id="room-join"' not in response.content.decode()
        for endpoint in ENDPOINTS:
            assert member.post(visit.room_url + endpoint).status_code == 404, endpoint
    with time_machine.travel(opens, tick=False):
        assert member.post(visit.room_url + "join/").status_code == 200


def test_the_waiting_page_speaks_the_clinicians_time_zone(visit: Visit) -> None:
    visit.clinician.time_zone = "Europe/London"
    visit.clinician.save()
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        html = client_of(visit.clinician).get(visit.room_url).content.decode()
    assert "Your visit opens at 14:50 (Europe/London)." in html


def test_after_the_window_the_room_is_gone(visit: Visit) -> None:
    closes = visit.appointment.ends_at + CLOSES_AFTER
    member = client_of(visit.member)
    with time_machine.travel(closes - timedelta(seconds=1), tick=False):
        assert member.post(visit.room_url + "join/").status_code == 200
    with time_machine.travel(closes, tick=False):
        assert member.get(visit.room_url).status_code == 404
        assert member.post(visit.room_url + "news/").status_code == 404


def test_a_cancelled_visit_or_ended_care_has_no_room(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        member = client_of(visit.member)
        Appointment.objects.filter(pk=visit.appointment.pk).update(status="cancelled")
        assert member.get(visit.room_url).status_code == 404
        assert member.get(visit.room_url).content == not_found_body(member)
        Appointment.objects.filter(pk=visit.appointment.pk).update(status="booked")
        CareRelationship.objects.filter(pk=visit.appointment.relationship_id).update(ended_at=timezone.now())
        assert member.get(visit.room_url).status_code == 404


def test_signals_reach_only_the_other_participant(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=True):
        member, clinician = client_of(visit.member), client_of(visit.clinician)
        member_since = member.post(visit.room_url + "join/").json()["since"]
        joined = clinician.post(visit.room_url + "join/").json()
        assert joined["ice_servers"] == []  # default: host candidates only

        sent = clinician.post(visit.room_url + "signal/", offer())
        assert sent.status_code == 201

        news = member.post(visit.room_url + "news/", {"since": member_since, "state": "connecting"}).json()
        assert [s["kind"] for s in news["signals"]] == ["hello", "offer"]
        assert json.loads(news["signals"][1]["payload"]) == {"session": "s1", "sdp": SDP}
        assert news["other"] == {"present": True, "state": "joining"}

        own = clinician.post(visit.room_url + "news/", {"since": 0, "state": "connecting"}).json()
        assert own["signals"] == [s for s in own["signals"] if s["kind"] != "offer"]  # never one's own
        assert own["other"] == {"present": True, "state": "connecting"}  # what the member said


def test_each_side_sees_whether_the_other_is_in_the_room(visit: Visit) -> None:
    member, clinician = client_of(visit.member), client_of(visit.clinician)
    with time_machine.travel(DURING, tick=False) as clock:
        member.post(visit.room_url + "join/")
        assert member.post(visit.room_url + "news/").json()["other"] == {"present": False, "state": "away"}
        clinician.post(visit.room_url + "join/")
        assert member.post(visit.room_url + "news/").json()["other"]["present"] is True
        clock.shift(timedelta(seconds=11))  # the clinician's browser stopped asking
        assert member.post(visit.room_url + "news/").json()["other"]["present"] is False


def test_leaving_says_so_and_the_last_to_leave_deletes_the_signals(visit: Visit) -> None:
    member, clinician = client_of(visit.member), client_of(visit.clinician)
    with time_machine.travel(DURING, tick=True):
        member.post(visit.room_url + "join/")
        clinician.post(visit.room_url + "join/")
        clinician.post(visit.room_url + "signal/", offer())
        member.post(visit.room_url + "signal/", {"kind": "bye"})
        assert clinician.post(visit.room_url + "news/").json()["other"]["present"] is False
        assert Signal.objects.exists()
        clinician.post(visit.room_url + "signal/", {"kind": "bye"})
        assert not Signal.objects.exists()
    verbs = list(AuditEvent.objects.filter(target_type="appointment").values_list("action", flat=True))
    assert verbs.count("video.join") == 2 and verbs.count("video.leave") == 2


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"kind": "<script>alert(1)</script>", "payload": "{}"}, 400, "kind: must be one of"),
        ({"payload": "{}"}, 400, "kind: must be one of"),
        ({"kind": "offer", "payload": "x" * 40_000}, 400, "payload: too long (at most 32,000 characters)"),
        ({"kind": "offer", "payload": "\x00"}, 400, "payload: contains a character that is not allowed"),
        ({"kind": "offer", "payload": '"><img src=x onerror=alert(1)>'}, 400, "payload: must be a JSON object"),
        ({"kind": "offer", "payload": json.dumps({"session": "<b>", "sdp": SDP})}, 400, "payload.session"),
        ({"kind": "candidate", "payload": json.dumps({"session": "a", "candidate": "c" * 1001})}, 400,
         "payload.candidate: too long (at most 1,000 characters)"),
    ],
)  # fmt: skip
def test_hostile_signals_are_refused_naming_the_field(
    visit: Visit, fields: dict[str, str], status: int, words: str
) -> None:
    with time_machine.travel(DURING, tick=False):
        member = client_of(visit.member)
        member.post(visit.room_url + "join/")
        response = member.post(visit.room_url + "signal/", fields)
        assert response.status_code == status
        assert words in response.json()["error"]
        assert b"<script>" not in response.content and b"<img" not in response.content
    assert list(Signal.objects.values_list("kind", flat=True)) == ["hello"]


@pytest.mark.parametrize(("field", "value"), [("since", "-1"), ("since", "9" * 4301), ("state", "<b>on</b>")])
def test_hostile_news_requests_are_refused_naming_the_field(visit: Visit, field: str, value: str) -> None:
    with time_machine.travel(DURING, tick=False):
        response = client_of(visit.member).post(visit.room_url + "news/", {field: value})
    assert response.status_code == 400
    assert response.json()["field"] == field and b"<b>" not in response.content


def test_a_browser_may_not_flood_the_room(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        member = client_of(visit.member)
        member.post(visit.room_url + "join/")
        Signal.objects.bulk_create(
            Signal(appointment=visit.appointment, sender=visit.member, kind="candidate", payload="{}")
            for _ in range(500)
        )
        response = member.post(visit.room_url + "signal/", offer())
        assert response.status_code == 429 and "too many signals" in response.json()["error"]
        member.post(visit.room_url + "join/")  # joining again starts afresh
        assert member.post(visit.room_url + "signal/", offer()).status_code == 201


def test_the_page_and_endpoints_only_answer_their_methods(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        member = client_of(visit.member)
        assert member.post(visit.room_url).status_code == 405
        assert member.get(visit.room_url + "news/").status_code == 405


@override_settings(
    BOUNCEBACK_ICE_SERVERS=[{"urls": "stun:turn.example.org"}, {"urls": "turns:turn.example.org:5349"}],
    BOUNCEBACK_TURN_SECRET="coturn shared secret",
)
def test_join_hands_out_time_limited_turn_credentials_not_the_secret(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        response = client_of(visit.member).post(visit.room_url + "join/")
    servers = response.json()["ice_servers"]
    assert servers[0] == {"urls": "stun:turn.example.org"}
    username = servers[1]["username"]
    assert int(username.split(":")[0]) == int((DURING + timedelta(hours=4)).timestamp())
    assert b"coturn shared secret" not in response.content


def test_health_says_whether_turn_is_configured(client: Client) -> None:
    body = client.get("/health/").json()
    assert body["video"] == {"turn": "not configured"}
    with override_settings(PRODUCTION=True):
        assert client.get("/health/").json()["status"] == "degraded"
    with override_settings(
        PRODUCTION=True, BOUNCEBACK_ICE_SERVERS=[{"urls": "turn:t.example.org"}], BOUNCEBACK_TURN_SECRET="s"
    ):
        assert client.get("/health/").json()["video"] == {"turn": "configured"}


def test_a_clinic_with_an_external_meeting_service_gets_a_link_to_the_visits_own_room(visit: Visit) -> None:
    clinic = visit.appointment.relationship.clinic
    clinic.external_meeting_url = "https://meet.example.org/{room}"
    clinic.save()
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        html = client_of(visit.member).get(visit.room_url).content.decode()
        assert "meet.example.org" not in html and "Your visit opens at" in html
    with time_machine.travel(DURING, tick=False):
        html = client_of(visit.member).get(visit.room_url).content.decode()
        visit.appointment.refresh_from_db()
        room = visit.appointment.room
        assert len(room) >= 24
        assert f'href="https://meet.example.org/{room}"' in html and "Join the visit" in html
        assert "video.js" not in html
        again = client_of(visit.clinician).get(visit.room_url).content.decode()
        assert f"https://meet.example.org/{room}" in again  # the same room for both
        assert client_of(make_user("otto")).get(visit.room_url).status_code == 404


def test_the_join_tag_shows_participants_the_way_in(visit: Visit) -> None:
    template = Template("{% load video %}{% video_join appointment %}")

    def render(user: object) -> str:
        request = RequestFactory().get("/")
        request.user = user  # type: ignore[assignment]
        return template.render(Context({"request": request, "appointment": visit.appointment}))

    with time_machine.travel(START - timedelta(hours=1), tick=False):
        assert "The video room opens at 10:50 (America/New_York)" in render(visit.member)
    with time_machine.travel(DURING, tick=False):
        assert f'href="{visit.room_url}"' in render(visit.clinician)
        assert "Join the video visit" in render(visit.member)
        assert render(make_user("otto")).strip() == ""


def test_closed_rooms_are_purged(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        client_of(visit.member).post(visit.room_url + "join/")
    later = book(START + timedelta(days=1), prefix="b")
    with time_machine.travel(START + timedelta(days=1, minutes=1), tick=False):
        client_of(later.member).post(later.room_url + "join/")  # joining purges closed rooms
    assert list(Signal.objects.values_list("appointment_id", flat=True)) == [later.appointment.pk]
    assert list(Presence.objects.values_list("appointment_id", flat=True)) == [later.appointment.pk]
    with time_machine.travel(START + timedelta(days=2), tick=False):
        call_command("purge_video", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Signal.objects.exists() and not Presence.objects.exists()


def test_signal_payloads_never_reach_the_logs(visit: Visit, caplog: pytest.LogCaptureFixture) -> None:
    secret_sdp = "v=0\r\no=- 1 2 IN IP4 203.0.113.9\r\ns=unmistakable-session\r\nt=0 0\r\n"
    with caplog.at_level(logging.DEBUG), time_machine.travel(DURING, tick=False):
        clinician = client_of(visit.clinician)
        clinician.post(visit.room_url + "join/")
        clinician.post(
            visit.room_url + "signal/",
            {"kind": "offer", "payload": json.dumps({"session": "s", "sdp": secret_sdp})},
        )
        clinician.post(visit.room_url + "signal/", {"kind": "offer", "payload": "x" * 40_000})  # refused
        client_of(visit.member).post(visit.room_url + "news/")
    assert "unmistakable-session" not in caplog.text and "203.0.113.9" not in caplog.text
    assert "xxxxxxxx" not in caplog.text


def test_erasing_a_member_erases_their_rooms(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        client_of(visit.member).post(visit.room_url + "join/")
        client_of(visit.clinician).post(visit.room_url + "join/")
    deleted = personal.erase(visit.member)
    assert deleted == {"video.Signal": 2, "video.Presence": 2}
    assert not Signal.objects.exists() and not Presence.objects.exists()


def test_the_visits_list_shows_each_side_the_way_in_while_the_room_is_open(visit: Visit) -> None:
    with time_machine.travel(DURING, tick=False):
        for person in (visit.member, visit.clinician):
            page = client_of(person).get("/visits/").content.decode()
            assert f'href="{visit.room_url}"' in page and "Join the video visit" in page
