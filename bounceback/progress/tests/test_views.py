"""The progress page: members only, only their own data, a constant number of queries whatever the history,
nothing written but the read's audit entry; and the results page's comparison with earlier check-ups."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.checkups import actions
from bounceback.checkups.models import CheckUp, StoredResult
from bounceback.progress.access import STORED_COLUMNS, stored_result
from bounceback.test import CALM_ANSWERS, enable_two_factor, make_user, member_checkup
from bounceback.tests.test_layout import _writes
from bounceback.tracking.actions import save_checkin
from bounceback.tracking.models import CheckIn

# Stepped up to the full PHQ-9 (16), GAD-2 below 3.
LOW_ANSWERS = {
    **CALM_ANSWERS,
    "phq9_1": 3,
    "phq9_2": 2,
    **{f"phq9_{n}": 2 for n in range(3, 8)},
    "phq9_8": 1,
    "phq9_9": 0,
    "phq9_10": 1,
}
BETTER_ANSWERS = {
    **LOW_ANSWERS,
    "phq9_1": 2,
    "phq9_2": 1,
    **{f"phq9_{n}": 1 for n in range(3, 7)},
    "phq9_7": 0,
    "phq9_8": 0,
}


def ordered(answers: dict[str, int]) -> dict[str, int]:
    """The answers in the stepped battery's order (the PHQ-9's first two items before the rest)."""
    first = [k for k in answers if k.startswith("brs_")] + ["phq9_1", "phq9_2"]
    return {**{k: answers[k] for k in first}, **{k: v for k, v in answers.items() if k not in first}}


def completed(user: User, answers: dict[str, int], days_ago: int) -> CheckUp:
    checkup = member_checkup(user, ordered(answers))
    assert actions.complete_if_done(checkup, actor=user)
    started = timezone.now() - timedelta(days=days_ago)
    actions.backdate_for_demo(checkup, started_at=started, completed_at=started + timedelta(minutes=8))
    return checkup


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ProgressPageTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        completed(self.alice, LOW_ANSWERS, 30)
        completed(self.alice, BETTER_ANSWERS, 2)
        today = timezone.localdate()
        for n in range(3):
            save_checkin(self.alice, today - timedelta(days=n), {"mood": 7, "exercise_minutes": 25})

    def test_a_visitor_is_sent_to_sign_in(self) -> None:
        response = Client().get("/progress/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/?next=/progress/"))

    def test_it_draws_each_questionnaire_with_its_threshold_and_a_table(self) -> None:
        response = signed_in(self.alice).get("/progress/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('aria-labelledby="chart-phq9-title"', html)
        self.assertIn("A change of 5 points or more is reliable", html)
        self.assertIn("First 16 (Moderately severe)", html)
        self.assertIn("Down 9 points: a reliable improvement", html)
        self.assertIn('class="mark mark-improved"', html)
        self.assertIn("No reliable-change parameters are published for this questionnaire", html)  # UCLA-3
        self.assertIn('aria-labelledby="chart-mood-title"', html)
        self.assertIn("You checked in on 3 of the last", html)
        self.assertIn("not enough days yet", html)
        self.assertNotIn("style=", html.split("<main", 1)[1])
        self.assertEqual(response["Cache-Control"].count("no-store"), 1)

    def test_another_members_data_never_appears(self) -> None:
        bob = make_user("bob")
        html = signed_in(bob).get("/progress/").content.decode()
        self.assertIn("Nothing to show yet", html)
        self.assertNotIn("<svg role", html)
        self.assertNotIn("chart-phq9", html)
        self.assertNotIn("Moderately severe", html)
        completed(bob, CALM_ANSWERS, 1)
        html = signed_in(bob).get("/progress/").content.decode()
        self.assertIn("chart-brs", html)
        self.assertNotIn("chart-phq9", html)  # bob's PHQ-2 was below 3: his is charted as PHQ-2 alone
        self.assertNotIn("Moderately severe", html)  # alice's first PHQ-9 band
        self.assertNotIn("chart-mood", html)  # alice's check-ins are hers alone

    def test_a_clinician_sees_their_own_results_and_no_check_ins(self) -> None:
        carol = make_user("carol", role=Role.CLINICIAN)
        enable_two_factor(carol)
        html = signed_in(carol).get("/progress/").content.decode()
        self.assertIn("Nothing to show yet", html)
        self.assertNotIn("Daily check-in</a>", html.split("<main", 1)[1])

    def test_the_read_is_audited_and_nothing_else_is_written(self) -> None:
        client = signed_in(self.alice)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(client.get("/progress/").status_code, 200)
        self.assertEqual(_writes(ctx.captured_queries), [])
        event = AuditEvent.objects.filter(action="progress.read").get()
        self.assertEqual((event.target_type, event.target_id), ("user", str(self.alice.public_id)))

    def test_the_navigation_links_progress_for_signed_in_people(self) -> None:
        self.assertIn('href="/progress/">Progress</a>', signed_in(self.alice).get("/").content.decode())
        self.assertNotIn('href="/progress/"', Client().get("/").content.decode())


def grow(user: User, checkups: int, checkin_days: int) -> None:
    """Copy the member's first check-up's stored results into more completed check-ups, fortnightly, and fill in
    daily check-ins (bulk rows: the shape of a long history, quickly; the actions are tested elsewhere)."""
    template = list(StoredResult.objects.filter(checkup__owner=user).order_by("id"))
    first = template[0].checkup_id
    rows = [r for r in template if r.checkup_id == first]
    now = timezone.now()
    for n in range(checkups):
        at = now - timedelta(days=14 * (n + 1) + 60)
        checkup = CheckUp.objects.create(owner=user, country="US", completed_at=at)
        StoredResult.objects.bulk_create(
            StoredResult(
                checkup=checkup,
                instrument_id=r.instrument_id,
                instrument_version=r.instrument_version,
                total=r.total,
                exact_total=r.exact_total,
                band=r.band,
                complete=r.complete,
                flags=r.flags,
                completed_at=at,
            )
            for r in rows
        )
    today = timezone.localdate()
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=user,
            day=today - timedelta(days=n + 1),
            mood=n % 11,
            sleep_hours=Decimal("7.5"),
            sleep_quality=3,
            exercise_minutes=(n % 4) * 15,
            mindfulness_minutes=n % 3 * 5,
            connected=n % 2 == 0,
        )
        for n in range(checkin_days)
    )


class ConstantQueriesTest(TestCase):
    def queries_for(self, user: User) -> list[dict[str, Any]]:
        client = signed_in(user)
        client.get("/progress/")  # warm up: the session, the first audit entry
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/progress/")
        self.assertEqual(response.status_code, 200)
        return ctx.captured_queries

    def test_it_runs_the_same_queries_for_3_check_ups_as_for_50_and_two_years_of_check_ins(self) -> None:
        small, large = make_user("small"), make_user("large")
        for user in (small, large):
            completed(user, LOW_ANSWERS, 20)
        grow(small, 2, 10)
        grow(large, 49, 730)
        self.assertEqual(CheckUp.objects.filter(owner=large).count(), 50)
        few, many = self.queries_for(small), self.queries_for(large)
        self.assertEqual(len(few), len(many), [q["sql"][:80] for q in many])
        self.assertLessEqual(len(many), 12, [q["sql"][:80] for q in many])
        health = [
            q["sql"] for q in many if "checkups_storedresult" in q["sql"] or "tracking_checkin" in q["sql"]
        ]
        self.assertEqual(len(health), 2, health)  # one query each: results, check-ins (never the journal)
        self.assertNotIn('"note"', " ".join(health))


class StoredResultTest(TestCase):
    def test_the_rows_become_exactly_the_results_the_model_gives(self) -> None:
        alice = make_user("alice")
        completed(alice, LOW_ANSWERS, 10)
        flagged = {**LOW_ANSWERS, "phq9_9": 1, "asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}
        completed(alice, flagged, 3)
        rows = StoredResult.objects.filter(checkup__owner=alice)
        self.assertGreaterEqual(rows.count(), 19)  # nine results, and the ASQ in the second
        self.assertTrue(rows.filter(instrument_id="brs").exists() and rows.exclude(flags="").exists())
        for row in rows:
            columns = [getattr(row, c) for c in STORED_COLUMNS]
            self.assertEqual(stored_result(*columns), row.as_result(), row.instrument_id)


class SinceLastTimeTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.first = completed(self.alice, LOW_ANSWERS, 30)
        self.second = completed(self.alice, BETTER_ANSWERS, 2)

    def test_the_results_page_compares_each_result_with_the_earlier_one(self) -> None:
        html = signed_in(self.alice).get(f"/checkup/{self.second.public_id}/results/").content.decode()
        self.assertIn("Since your earlier check-ups", html)
        row = html.split('data-label="Questionnaire">PHQ-9</th>', 1)[1].split("</tr>", 1)[0]
        self.assertIn(">16 <", row)
        self.assertIn(">7</td>", row)
        self.assertIn("Down 9 points: a reliable improvement", row)
        self.assertIn("reliable: more than 4.7 points", row)
        self.assertIn("No change: within the range of chance", html)  # BRS, the same answers
        self.assertIn("no reliable-change verdict for this questionnaire", html)  # UCLA-3

    def test_the_first_check_up_has_nothing_to_compare_with(self) -> None:
        html = signed_in(self.alice).get(f"/checkup/{self.first.public_id}/results/").content.decode()
        self.assertNotIn("Since your earlier check-ups", html)

    def test_another_members_earlier_results_are_never_used(self) -> None:
        bob = make_user("bob")
        completed(bob, LOW_ANSWERS, 40)
        mine = completed(bob, BETTER_ANSWERS, 1)
        html = signed_in(bob).get(f"/checkup/{mine.public_id}/results/").content.decode()
        self.assertIn("Down 9 points", html)
        dave = make_user("dave")
        only = completed(dave, BETTER_ANSWERS, 1)
        self.assertNotIn(
            "Since your earlier", signed_in(dave).get(f"/checkup/{only.public_id}/results/").content.decode()
        )

    def test_an_unfinished_check_up_compares_nothing(self) -> None:
        draft = member_checkup(self.alice, {"brs_1": 3})
        html = signed_in(self.alice).get(f"/checkup/{draft.public_id}/results/").content.decode()
        self.assertNotIn("Since your earlier check-ups", html)
