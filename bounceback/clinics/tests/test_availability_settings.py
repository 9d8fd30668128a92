"""The clinician's diary: weekly hours in several blocks a weekday (wall clock in their zone; overlapping blocks
and an end not after its start refused, naming the weekday and block), slot length, buffer, notice, horizon,
cancellation cut-off, time zone, and time off as whole local days."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.test import Client, SimpleTestCase, TestCase

from bounceback.audit.models import AuditEvent
from bounceback.clinics import actions
from bounceback.clinics.hours import check_week
from bounceback.clinics.models import ClinicianProfile, TimeOff, WeeklyHours
from bounceback.clinics.tests.helpers import ClinicianSignedInTest, asks_to_sign_in
from bounceback.test import make_clinic, make_clinician, make_user


class CheckWeekTest(SimpleTestCase):
    def test_it_keeps_blocks_in_order_and_skips_empty_ones(self) -> None:
        blocks, problems = check_week(
            {
                (0, 0): (time(13), time(17)),
                (0, 1): (time(9), time(12)),
                (0, 2): (None, None),
                (2, 0): (time(9), time(12)),
            }
        )
        self.assertEqual(problems, [])
        self.assertEqual([(b.weekday, b.start, b.end) for b in blocks], [
            (0, time(9), time(12)), (0, time(13), time(17)), (2, time(9), time(12))
        ])  # fmt: skip

    def test_touching_blocks_are_fine_overlapping_ones_are_named(self) -> None:
        _blocks, problems = check_week({(1, 0): (time(9), time(12)), (1, 1): (time(12), time(17))})
        self.assertEqual(problems, [])
        _blocks, problems = check_week(
            {(1, 0): (time(9), time(17)), (1, 1): (time(10), time(11)), (1, 2): (time(12), time(13))}
        )
        self.assertEqual(
            [p.message for p in problems],
            ["Tuesday: blocks 1 and 2 overlap.", "Tuesday: blocks 1 and 3 overlap."],
        )
        _blocks, problems = check_week({(4, 0): (time(9), time(10)), (4, 1): (time(9), time(10))})
        self.assertEqual([p.message for p in problems], ["Friday: blocks 1 and 2 overlap."])

    def test_an_end_not_after_its_start_and_half_blocks_are_named(self) -> None:
        _blocks, problems = check_week(
            {
                (6, 0): (time(17), time(9)),
                (6, 1): (time(9), time(9)),
                (3, 1): (time(9), None),
                (3, 2): (None, time(9)),
            }
        )
        self.assertEqual(
            [p.message for p in problems],
            [
                "Thursday, block 2: give the end time too.",
                "Thursday, block 3: give the start time too.",
                "Sunday, block 1: the end must be after the start.",
                "Sunday, block 2: the end must be after the start.",
            ],
        )


def diary_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "time_zone": "America/Chicago",
        "slot_minutes": "45",
        "buffer_minutes": "15",
        "min_notice_hours": "24",
        "horizon_days": "42",
        "cancel_cutoff_hours": "12",
        "hours_0_0_start": "09:00",
        "hours_0_0_end": "12:00",
        "hours_0_1_start": "13:00",
        "hours_0_1_end": "17:30",
        "hours_5_0_start": "10:00",
        "hours_5_0_end": "14:00",
    }
    return {**data, **changes}


class AvailabilityPageTest(ClinicianSignedInTest):
    def test_it_works(self) -> None:
        response = self.client.get("/clinician/availability/")
        self.assertContains(response, "<legend>Monday</legend>")
        self.assertContains(response, 'name="hours_0_0_start"')
        self.assertContains(response, 'value="09:00"')
        self.assertContains(response, "Monday, block 1, start")
        self.assertContains(response, "No time off planned")

    def test_it_requires_login(self) -> None:
        for url in ("/clinician/availability/", "/clinician/availability/time-off/"):
            self.assertTrue(asks_to_sign_in(Client().post(url)))

    def test_it_saves_hours_and_settings_together(self) -> None:
        self.assertRedirects(
            self.client.post("/clinician/availability/", diary_post()), "/clinician/availability/"
        )
        hours = [(h.weekday, h.start, h.end) for h in WeeklyHours.objects.filter(clinician=self.carl)]
        self.assertEqual(
            hours, [(0, time(9), time(12)), (0, time(13), time(17, 30)), (5, time(10), time(14))]
        )
        profile = ClinicianProfile.objects.get(user=self.carl)
        self.assertEqual(
            (profile.time_zone, profile.slot_minutes, profile.buffer_minutes, profile.min_notice_hours),
            ("America/Chicago", 45, 15, 24),
        )
        self.assertEqual((profile.horizon_days, profile.cancel_cutoff_hours), (42, 12))
        self.assertTrue(AuditEvent.objects.filter(action="clinician.diary.write"))
        page = self.client.get("/clinician/availability/")
        self.assertContains(page, 'name="hours_0_2_start"')  # an empty third block for Monday
        self.assertNotContains(page, 'name="hours_1_2_start"')

    def test_overlaps_and_backwards_blocks_are_refused_naming_weekday_and_block(self) -> None:
        response = self.client.post(
            "/clinician/availability/",
            diary_post(hours_0_1_start="11:00", hours_5_0_start="15:00", hours_2_0_start="09:00"),
        )
        self.assertContains(response, "Monday: blocks 1 and 2 overlap.", status_code=400)
        self.assertContains(response, "Saturday, block 1: the end must be after the start.", status_code=400)
        self.assertContains(response, "Wednesday, block 1: give the end time too.", status_code=400)
        self.assertContains(response, 'href="#id_hours_0_1_start"', status_code=400)
        self.assertContains(response, 'aria-describedby="id_hours_0_1_start_error"', status_code=400)
        self.assertEqual(WeeklyHours.objects.filter(clinician=self.carl).count(), 5, "unchanged")
        self.assertEqual(ClinicianProfile.objects.get(user=self.carl).slot_minutes, 50, "unchanged")

    def test_settings_out_of_range_are_named(self) -> None:
        for field, value in (
            ("slot_minutes", "5"),
            ("buffer_minutes", "-1"),
            ("horizon_days", "0"),
            ("min_notice_hours", "9" * 30),
            ("time_zone", "Mars/Olympus"),
            ("hours_3_0_start", "25:00"),
        ):
            response = self.client.post("/clinician/availability/", diary_post(**{field: value}))
            self.assertContains(response, f'href="#id_{field}"', status_code=400, msg_prefix=field)

    def test_time_off_is_added_listed_and_removed(self) -> None:
        response = self.client.post(
            "/clinician/availability/time-off/", {"first_day": "2027-01-04", "last_day": "2027-01-08"}
        )
        self.assertRedirects(response, "/clinician/availability/")
        page = self.client.get("/clinician/availability/")
        self.assertContains(page, "Monday 4 January 2027 to Friday 8 January 2027")
        time_off = TimeOff.objects.get(clinician=self.carl)
        self.assertEqual((time_off.first_day, time_off.last_day), (date(2027, 1, 4), date(2027, 1, 8)))
        url = f"/clinician/availability/time-off/{time_off.public_id}/remove/"
        self.assertRedirects(self.client.post(url), "/clinician/availability/")
        self.assertFalse(TimeOff.objects.exists())
        self.assertEqual(
            list(AuditEvent.objects.filter(target_type="time_off").values_list("action", flat=True)),
            ["clinician.time_off.create", "clinician.time_off.delete"],
        )

    def test_time_off_in_the_wrong_order_is_refused(self) -> None:
        response = self.client.post(
            "/clinician/availability/time-off/", {"first_day": "2027-01-08", "last_day": "2027-01-04"}
        )
        self.assertContains(response, "on or after the first day", status_code=400)
        self.assertContains(response, 'href="#id_last_day"', status_code=400)
        self.assertFalse(TimeOff.objects.exists())

    def test_checks_access(self) -> None:
        """Another clinician (of this clinic or another), a member: the same 404 as missing time off."""
        time_off = actions.add_time_off(self.carl, date(2027, 1, 4), date(2027, 1, 4))
        url = f"/clinician/availability/time-off/{time_off.public_id}/remove/"
        for person in (
            make_clinician("dora", self.clinic),
            make_clinician("olivia", make_clinic("Hillside")),
            make_user("mia"),
        ):
            client = Client()
            client.force_login(person)
            missing = client.post(
                "/clinician/availability/time-off/00000000-0000-0000-0000-000000000000/remove/"
            )
            response = client.post(url)
            self.assertEqual(response.status_code, 404, person)
            self.assertEqual(response.content, missing.content, person)
        self.assertTrue(TimeOff.objects.filter(pk=time_off.pk).exists())


class DiaryActionTest(TestCase):
    def test_it_replaces_the_week_in_one_go_and_refuses_all_problems_at_once(self) -> None:
        carl = make_clinician("carl", make_clinic())
        diary = actions.Diary("Europe/London", 50, 10, 12, 28, 24)
        with self.assertRaises(actions.WeekError) as caught:
            actions.save_diary(
                carl,
                diary,
                {(0, 0): (time(9), time(12)), (0, 1): (time(11), time(13)), (1, 0): (time(9), time(8))},
            )
        self.assertEqual(
            caught.exception.problems,
            [
                (1, 1, "Tuesday, block 1: the end must be after the start."),
                (0, 2, "Monday: blocks 1 and 2 overlap."),
            ],
        )
        self.assertEqual(WeeklyHours.objects.filter(clinician=carl).count(), 5)
        actions.save_diary(carl, diary, {(2, 0): (time(8), time(20))})
        self.assertEqual(
            [(h.weekday, h.start, h.end) for h in WeeklyHours.objects.filter(clinician=carl)],
            [(2, time(8), time(20))],
        )

    def test_it_refuses_values_out_of_range(self) -> None:
        carl = make_clinician("carl", make_clinic())
        with self.assertRaises(actions.ClinicError) as caught:
            actions.save_diary(carl, actions.Diary("UTC", 5, 10, 12, 28, 24), {})
        self.assertEqual(caught.exception.field, "slot_minutes")
        with self.assertRaises(actions.ClinicError) as caught:
            actions.save_diary(carl, actions.Diary("Nowhere/City", 50, 10, 12, 28, 24), {})
        self.assertEqual(caught.exception.field, "time_zone")

    def test_time_off_belongs_to_its_clinician(self) -> None:
        clinic = make_clinic()
        carl, dora = make_clinician("carl", clinic), make_clinician("dora", clinic)
        time_off = actions.add_time_off(carl, date(2027, 1, 4), date(2027, 1, 4))
        with self.assertRaises(actions.ClinicError):
            actions.remove_time_off(dora, time_off)
        with self.assertRaises(actions.ClinicError):
            actions.add_time_off(carl, date(2027, 1, 4), date(2028, 1, 6))
