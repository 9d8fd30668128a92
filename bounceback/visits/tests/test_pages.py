"""Finding care, booking and visit pages, and the calendar file: the member's zone with its name, only the two
participants see a visit (the same 404 for anyone else), the ICS in UTC with no health data (hazard H22, T22)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client, TestCase
from icalendar import Calendar

from bounceback.accounts.models import User
from bounceback.checkups.tests.test_results_page import WORRIED
from bounceback.clinics.availability import format_start
from bounceback.clinics.models import ClinicianProfile
from bounceback.test import make_clinic, make_clinician, make_user, member_checkup
from bounceback.visits import access, actions
from bounceback.visits.models import Appointment, Status

NOW = datetime(2027, 3, 3, 12, tzinfo=UTC)
"""A Wednesday; the first free time is Thursday 4 March 09:00 in New York: 14:00 in London."""
REASON = "Panic at night since the move"
HELP_LINE = "If you are in danger now"


def member(name: str, region: str = "US-NY", zone: str = "Europe/London") -> User:
    user = make_user(name)
    user.region = region
    user.time_zone = zone
    user.save(update_fields=["region", "time_zone"])
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
class FindAndBookTest(TestCase):
    def setUp(self) -> None:
        clinic = make_clinic()
        self.clinician = make_clinician("casey", clinic)
        self.profile = ClinicianProfile.objects.get(user=self.clinician)
        self.elsewhere = make_clinician("drew", clinic, regions=("US-CA",))
        self.full = make_clinician("erin", clinic)
        ClinicianProfile.objects.filter(user=self.full).update(accepting=False)
        self.alice = member("alice")

    def test_find_care_lists_clinicians_licensed_where_the_member_lives_with_times_in_their_zone(
        self,
    ) -> None:
        page = client_for(self.alice).get("/care/find/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Casey Example" in text and "LCSW" in text and "English" in text
        assert "Drew Example" not in text, "not licensed in New York"
        assert "Erin Example" not in text, "not taking new members"
        assert "Europe/London" in text
        assert "Thursday 4 March 2027, 14:00" in text
        assert HELP_LINE in text and 'href="/help/"' in text
        assert len(re.findall(r"/book/\?start=", text)) == 3

    def test_a_member_without_a_region_is_asked_for_it(self) -> None:
        bob = member("bob", region="")
        text = client_for(bob).get("/care/find/").content.decode()
        assert "Where do you live?" in text and "Casey Example" not in text

    def test_the_clinicians_page_groups_two_weeks_of_times_by_the_members_day(self) -> None:
        kolkata = member("kiran", zone="Asia/Kolkata")
        page = client_for(kolkata).get(f"/care/clinicians/{self.clinician.public_id}/")
        text = page.content.decode()
        assert page.status_code == 200
        # New York 09:00 on Thursday 4 March is 19:30 in Kolkata; 13:00 there is 23:30; 14:00 is Friday 00:30.
        assert "Thursday 4 March 2027" in text and ">19:30<" in text and ">23:30<" in text
        assert "Asia/Kolkata (IST)" in text
        # After New York's change on 14 March, 09:00 there is 18:30 in Kolkata.
        assert "Monday 15 March 2027" in text and ">18:30<" in text
        for other in (self.elsewhere, self.full, make_user("not-a-clinician")):
            assert client_for(kolkata).get(f"/care/clinicians/{other.public_id}/").status_code == 404
        assert client_for(kolkata).get("/care/clinicians/nonsense/").status_code == 404
        assert client_for(self.clinician).get("/care/find/").status_code == 404

    def test_booking_a_first_visit_through_the_form(self) -> None:
        slot = access.free_slots(self.profile)[0]
        url = f"/care/clinicians/{self.clinician.public_id}/book/"
        client = client_for(self.alice)
        form = client.get(url, {"start": format_start(slot.starts_at)})
        text = form.content.decode()
        assert form.status_code == 200
        assert (
            "Thursday 4 March 2027, 14:00 to 14:50" in text and "Your time zone: Europe/London (GMT)" in text
        )
        assert "I agree to start care" in text and HELP_LINE in text
        assert 'value="2027-03-18"' in text, "sharing until the visit's date plus 14 days by default"
        posted = {
            "start": format_start(slot.starts_at),
            "reason": REASON,
            "share": ["results"],
            "share_until": "2027-03-18",
        }
        refused = client.post(url, posted)
        assert refused.status_code == 400 and "agree to start care" in refused.content.decode()
        assert not Appointment.objects.exists()
        done = client.post(url, posted | {"agree": "on"})
        visit = Appointment.objects.get()
        assert done.status_code == 302 and done["Location"] == f"/visits/{visit.public_id}/"
        assert visit.reason == REASON and visit.share is not None and visit.share.kinds() == ["results"]
        again = client.get(url, {"start": format_start(slot.starts_at)})
        assert "no longer available" in again.content.decode()
        late = client.post(url, posted | {"agree": "on"})
        assert late.status_code == 409
        assert Appointment.objects.count() == 1

    def test_the_booking_form_refuses_hostile_values_naming_the_field(self) -> None:
        slot = access.free_slots(self.profile)[0]
        url = f"/care/clinicians/{self.clinician.public_id}/book/"
        base = {"start": format_start(slot.starts_at), "agree": "on"}
        client = client_for(self.alice)
        for extra, words in (
            ({"reason": "x" * 1001}, "1000 characters"),
            ({"share": ["everything"]}, "Choose what to share"),
            ({"share": ["results"], "share_until": "<script>"}, "Enter the last day as a date"),
            ({"share": ["results"]}, "Choose the last day"),
            ({"share": ["results"], "share_until": "2020-01-01"}, "today or later"),
        ):
            response = client.post(url, base | extra)
            assert response.status_code == 400, extra
            assert words in response.content.decode(), extra
            assert "<script>" not in response.content.decode()
        assert client.post(url, {"start": "<script>"}).status_code == 409
        assert not Appointment.objects.exists()

    def test_the_results_page_offers_finding_care_to_members(self) -> None:
        client = client_for(self.alice)
        checkup = member_checkup(self.alice, WORRIED)
        client.post(f"/checkup/{checkup.public_id}/", {"action": "safe"})
        text = client.get(f"/checkup/{checkup.public_id}/results/").content.decode()
        assert 'id="pro-help-heading"' in text
        assert 'href="/care/find/"' in text and "is coming" not in text


@time_machine.travel(NOW, tick=False)
class VisitPagesTest(TestCase):
    def setUp(self) -> None:
        self.clinician = make_clinician("casey", make_clinic())
        self.profile = ClinicianProfile.objects.get(user=self.clinician)
        self.alice = member("alice")
        self.slots = access.free_slots(self.profile)
        self.visit = actions.book_visit(
            self.alice, self.clinician, self.slots[0].starts_at, reason=REASON, agree=True
        )
        self.url = f"/visits/{self.visit.public_id}/"

    def test_each_side_sees_the_visit_in_their_own_zone_and_nobody_else_sees_it(self) -> None:
        mine = client_for(self.alice).get(self.url).content.decode()
        assert "14:00 to 14:50" in mine and "Europe/London (GMT)" in mine and REASON in mine
        theirs = client_for(self.clinician).get(self.url).content.decode()
        assert "09:00 to 09:50" in theirs and "America/New_York (EST)" in theirs
        assert "Casey Example" in client_for(self.alice).get("/visits/").content.decode()
        assert "alice" in client_for(self.clinician).get("/visits/").content.decode()
        stranger = client_for(member("mallory"))
        gone = stranger.get(self.url)
        missing = stranger.get("/visits/00000000-0000-0000-0000-000000000000/")
        assert gone.status_code == missing.status_code == 404
        assert gone.content == missing.content
        assert stranger.get(self.url + "invite.ics").status_code == 404
        assert stranger.post(self.url + "cancel/").status_code == 404
        assert "Casey" not in stranger.get("/visits/").content.decode()
        self.clinician.staff.active = False
        self.clinician.staff.save()
        assert client_for(self.clinician).get(self.url).status_code == 404

    def test_the_calendar_file_is_utc_with_no_health_data_and_cancels_with_the_same_uid(self) -> None:
        response = client_for(self.alice).get(self.url + "invite.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "no-store" in response["Cache-Control"]
        raw = response.content.decode()
        assert "DTSTART:20270304T140000Z" in raw and "DTEND:20270304T145000Z" in raw
        for secret in ("Panic", "LCSW", "Casey", "alice"):
            assert secret not in raw
        calendar = Calendar.from_ical(response.content)
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == datetime(2027, 3, 4, 14, tzinfo=UTC)
        assert event.decoded("DTEND") == datetime(2027, 3, 4, 14, 50, tzinfo=UTC)
        assert str(event["SUMMARY"]) == "Bounceback visit"
        assert str(event["URL"]).endswith(self.url)
        assert int(str(event["SEQUENCE"])) == 0
        uid = str(event["UID"])
        assert str(self.visit.public_id) in uid
        assert client_for(self.clinician).get(self.url + "invite.ics").status_code == 200
        actions.cancel_visit(self.clinician, self.visit)
        cancelled = Calendar.from_ical(client_for(self.alice).get(self.url + "invite.ics").content)
        [event] = cancelled.walk("VEVENT")
        assert str(cancelled["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == uid and int(str(event["SEQUENCE"])) == 1

    def test_the_member_cancels_and_moves_from_the_visit_page(self) -> None:
        client = client_for(self.alice)
        page = client.get(self.url).content.decode()
        assert "Cancel this visit" in page and "Move to another time" in page
        new = self.slots[2]
        moved = client.post(self.url + "reschedule/", {"start": format_start(new.starts_at)})
        self.visit.refresh_from_db()
        assert self.visit.status == Status.CANCELLED and self.visit.rescheduled_to is not None
        assert (
            moved.status_code == 302
            and moved["Location"] == f"/visits/{self.visit.rescheduled_to.public_id}/"
        )
        bad = client.post(f"/visits/{self.visit.rescheduled_to.public_id}/reschedule/", {"start": "<script>"})
        assert bad.status_code == 400 and "Choose a time from the list" in bad.content.decode()
        assert "<script>" not in bad.content.decode()
        client.post(f"/visits/{self.visit.rescheduled_to.public_id}/cancel/")
        assert not Appointment.objects.booked().exists()

    def test_after_the_cutoff_the_member_is_told_how_to_change_it(self) -> None:
        with time_machine.travel(self.visit.starts_at - timedelta(hours=3), tick=False):
            page = client_for(self.alice).get(self.url).content.decode()
            assert "Cancel this visit" not in page and "send your clinician a message" in page
            client_for(self.alice).post(self.url + "cancel/")
            self.visit.refresh_from_db()
            assert self.visit.status == Status.BOOKED
            assert "Cancel this visit" in client_for(self.clinician).get(self.url).content.decode()
