"""The clinician's dashboard, assigning measures and the clinic's outcomes: each works, asks for sign-in and
refuses everyone else with the page a missing id gets; only what a member shares now is shown, and each read is
in the member's access log; the dashboard's queries do not grow with the caseload or the histories."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.core import mail
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.alerts.models import Alert
from bounceback.audit.models import AuditEvent
from bounceback.audit.verify import verify
from bounceback.care import actions as care
from bounceback.care.models import ClinicianRead, Share
from bounceback.checkups.models import CheckUp, StoredResult
from bounceback.clinics.models import Clinic
from bounceback.dashboard import actions
from bounceback.dashboard.models import Assignment
from bounceback.reminders import outbox
from bounceback.reminders.channels import BODY, SUBJECT
from bounceback.reminders.models import Channel, Outbox, ReminderSettings
from bounceback.test import (
    make_clinic,
    make_clinic_admin,
    make_clinician,
    make_user,
    start_care,
)
from bounceback.tracking.models import CheckIn


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def named(name: str, first: str, last: str) -> User:
    user = make_user(name)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def history(member: User, totals: dict[str, list[float]], end: datetime | None = None) -> None:
    """Completed check-ups a fortnight apart, the last ``end`` (default: a day ago), with these totals."""
    end = end or timezone.now() - timedelta(days=1)
    count = max(len(v) for v in totals.values())
    checkups = CheckUp.objects.bulk_create(
        [CheckUp(owner=member, completed_at=end - timedelta(days=14 * (count - 1 - n))) for n in range(count)]
    )
    results = []
    for instrument, values in totals.items():
        for n, total in enumerate(values):
            checkup = checkups[count - len(values) + n]
            results.append(
                StoredResult(
                    checkup=checkup,
                    instrument_id=instrument,
                    instrument_version=1,
                    total=total,
                    exact_total=str(total),
                    band="",
                    complete=True,
                    completed_at=checkup.completed_at or end,
                )
            )
    StoredResult.objects.bulk_create(results)


def alert(member: User, clinic: Clinic, kind: str = "suicide_risk") -> Alert:
    checkup = CheckUp.objects.create(owner=member, completed_at=timezone.now())
    return Alert.objects.create(checkup=checkup, member=member, clinic=clinic, kind=kind)


class DashboardBase(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.maya = make_clinician("maya", self.clinic)
        self.alice = named("alice", "Alice", "Example")
        self.bea = named("bea", "Bea", "Example")
        self.cal = named("cal", "Cal", "Example")
        start_care(self.alice, self.maya)
        start_care(self.bea, self.maya, kinds=("checkins",))  # no results shared
        start_care(self.cal, self.maya)
        history(self.alice, {"phq9": [6, 8, 15], "gad7": [9, 9]})
        history(self.bea, {"phq9": [3, 21]})
        history(self.cal, {"phq9": [12, 11]})
        alert(self.cal, self.clinic)


class CaseloadTest(DashboardBase):
    def test_it_works(self) -> None:
        response = signed_in(self.maya).get("/clinician/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        # Cal's open alert first, then Alice's reliable worsening (8 → 15), then Bea.
        self.assertLess(html.index("Cal Example"), html.index("Alice Example"))
        self.assertLess(html.index("Alice Example"), html.index("Bea Example"))
        self.assertIn("Open safety alert", html)
        self.assertIn('href="/alerts/"', html)
        self.assertIn("Reliably worse", html)
        self.assertIn("mark-worsened", html)
        self.assertIn(f'href="/clinician/members/{self.alice.public_id}/"', html)
        self.assertIn("PHQ-9, the last 3 results", html)  # the text alternative
        self.assertIn('<a href="/clinician/">Dashboard</a>', html)

    def test_it_requires_login(self) -> None:
        response = Client().get("/clinician/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_checks_access(self) -> None:
        other_clinic = make_clinic("Hillside")
        stranger = make_clinician("stranger", other_clinic)
        colleague = make_clinician("colleague", self.clinic)
        admin = make_clinic_admin("admin", self.clinic)
        for user in (self.alice, admin):
            self.assertEqual(signed_in(user).get("/clinician/").status_code, 404)
        for user in (stranger, colleague):
            html = signed_in(user).get("/clinician/").content.decode()
            self.assertNotIn("Alice", html)
            self.assertIn("Nobody is in your care", html)
        self.assertFalse(ClinicianRead.objects.exclude(clinician=self.maya).exists())

    def test_only_what_is_shared_now_is_shown_and_each_read_is_logged(self) -> None:
        html = signed_in(self.maya).get("/clinician/").content.decode()
        bea = html[html.index("Bea Example") :].split('<li class="card">')[0]
        self.assertIn("Results not shared with you now", bea)
        self.assertNotIn("PHQ-9", bea)
        # The caseload reads results only (check-ins stay on each member's page): one read each, Bea none.
        reads = sorted(ClinicianRead.objects.values_list("member__username", "what"))
        self.assertEqual(reads, [("alice", "results"), ("cal", "results")])
        self.assertIn("Shares with you now: daily check-ins.", bea)
        Share.objects.filter(relationship__member=self.alice).update(revoked_at=timezone.now())
        html = signed_in(self.maya).get("/clinician/").content.decode()
        alice = html[html.index("Alice Example") :].split('<li class="card">')[0]
        self.assertNotIn("Reliably worse", alice)
        self.assertIn("Results not shared with you now", alice)

    def test_the_reads_are_in_the_audit_trail_and_the_chain_holds(self) -> None:
        signed_in(self.maya).get("/clinician/")
        signed_in(self.maya).get("/clinician/")
        read = AuditEvent.objects.filter(action="care.read.results").values_list("target_id", flat=True)
        self.assertEqual(sorted(read), sorted([str(self.alice.public_id), str(self.cal.public_id)] * 2))
        walked = verify()
        self.assertIsNone(walked.broken)
        self.assertEqual(walked.count, AuditEvent.objects.count())

    def test_a_long_caseload_comes_in_pages_most_in_need_first(self) -> None:
        for n in range(50):
            start_care(make_user(f"extra{n:02}"), self.maya, kinds=("checkins",))
        client = signed_in(self.maya)
        html = client.get("/clinician/").content.decode()
        self.assertEqual(html.count('<li class="card">'), 50)
        self.assertIn("Cal Example", html)  # the open alert is on the first page
        self.assertIn('href="?page=2">Next members</a>', html)
        second = client.get("/clinician/?page=2").content.decode()
        self.assertEqual(second.count('<li class="card">'), 3)
        self.assertIn('href="?page=1">Previous 50</a>', second)
        for page in ("0", "99", "x", "1e9"):
            self.assertEqual(client.get("/clinician/", {"page": page}).status_code, 200)
        filtered = client.get("/clinician/?show=alerts&page=1").content.decode()
        self.assertNotIn("Next members", filtered)

    def test_filters(self) -> None:
        client = signed_in(self.maya)
        html = client.get("/clinician/?show=alerts").content.decode()
        self.assertIn("Cal Example", html)
        self.assertNotIn("Alice Example", html)
        html = client.get("/clinician/?show=deteriorating&measure=phq9").content.decode()
        self.assertIn("Alice Example", html)
        self.assertNotIn("Cal Example", html)
        self.assertEqual(client.get("/clinician/?show=<script>&measure=x").status_code, 200)


class ConstantQueriesTest(TestCase):
    def caseload(self, size: int, checkups: int) -> tuple[int, list[str]]:
        clinic = make_clinic(f"Clinic {size}")
        clinician = make_clinician(f"c{size}", clinic)
        for n in range(size):
            member = make_user(f"m{size}-{n}")
            start_care(member, clinician)
            history(member, {i: [float(k % 10) for k in range(checkups)] for i in ("phq9", "gad7")})
            CheckIn.objects.bulk_create(
                [
                    CheckIn(owner=member, day=timezone.now().date() - timedelta(days=d), mood=5)
                    for d in range(20)
                ]
            )
            if n % 3 == 0:
                alert(member, clinic)
        client = signed_in(clinician)
        client.get("/clinician/")  # the session and caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/clinician/")
        self.assertEqual(response.status_code, 200)
        return len(queries), [q["sql"][:60] for q in queries.captured_queries]

    def test_the_dashboard_s_queries_do_not_grow_with_the_caseload_or_the_histories(self) -> None:
        small, _sql = self.caseload(3, 3)
        large, large_sql = self.caseload(30, 40)
        self.assertEqual(small, large, "\n".join(large_sql))


class OutcomesTest(DashboardBase):
    def test_it_works(self) -> None:
        admin = make_clinic_admin("admin", self.clinic)
        response = signed_in(admin).get("/clinic/outcomes/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("too few to show", html)
        self.assertIn("(2 members)", html)  # Alice and Cal share results; Bea does not
        for name in ("Alice", "Bea", "Cal"):
            self.assertNotIn(name, html)
        self.assertIn("PHQ-9", html)

    def test_it_requires_login(self) -> None:
        self.assertEqual(Client().get("/clinic/outcomes/").status_code, 302)

    def test_it_checks_access(self) -> None:
        other = make_clinic_admin("other", make_clinic("Hillside"))
        self.assertEqual(signed_in(other).get("/clinic/outcomes/").status_code, 200)
        self.assertIn("(0 members)", signed_in(other).get("/clinic/outcomes/").content.decode())
        for user in (self.maya, self.alice):
            self.assertEqual(signed_in(user).get("/clinic/outcomes/").status_code, 404)


class AssignTest(DashboardBase):
    def url(self, member: User) -> str:
        return f"/clinician/assign/{member.public_id}/"

    def assign(self, client: Client, member: User, **data: object) -> object:
        return client.post(
            self.url(member),
            {
                "instruments": ["phq9"],
                "every_days": "14",
                "reason": "To see how sleep affects your mood",
                **data,
            },
        )

    def test_it_works(self) -> None:
        client = signed_in(self.maya)
        self.assertEqual(client.get(self.url(self.alice)).status_code, 200)
        response = self.assign(client, self.alice)
        self.assertEqual(response.status_code, 302)  # type: ignore[attr-defined]
        assignment = Assignment.objects.get()
        self.assertEqual((assignment.instrument, assignment.every_days), ("phq9", 14))
        with connection.cursor() as cursor:
            cursor.execute("SELECT reason FROM dashboard_assignment")
            self.assertNotIn("sleep", cursor.fetchone()[0])  # encrypted at rest
        member = signed_in(self.alice)
        for page in ("/reminders/", "/checkup/due/"):
            html = member.get(page).content.decode()
            self.assertIn("Maya Example asked you to answer the PHQ-9 every 14 days", html, page)
            self.assertIn("To see how sleep affects your mood", html, page)
        # Stopping it.
        response = client.post(f"{self.url(self.alice)}{assignment.public_id}/stop/")
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("Maya Example asked", member.get("/reminders/").content.decode())

    def test_it_requires_login(self) -> None:
        self.assertEqual(Client().get(self.url(self.alice)).status_code, 302)

    def test_it_checks_access(self) -> None:
        stranger = make_clinician("stranger", make_clinic("Hillside"))
        colleague = make_clinician("colleague", self.clinic)
        for user in (stranger, colleague, self.bea):
            client = signed_in(user)
            self.assertEqual(client.get(self.url(self.alice)).status_code, 404)
            self.assertEqual(self.assign(client, self.alice).status_code, 404)  # type: ignore[attr-defined]
        self.assertEqual(signed_in(self.maya).get(f"/clinician/assign/{uuid.uuid4()}/").status_code, 404)
        self.assertFalse(Assignment.objects.exists())

    def test_a_bad_form_names_the_field(self) -> None:
        client = signed_in(self.maya)
        response = self.assign(client, self.alice, reason="x" * 301)
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.assertIn("Keep the reason to 300 characters", response.content.decode())  # type: ignore[attr-defined]
        response = self.assign(client, self.alice, instruments=["asq"])
        self.assertIn("Choose measures from the list", response.content.decode())  # type: ignore[attr-defined]
        self.assertFalse(Assignment.objects.exists())


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class AssignedRemindersTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.maya = make_clinician("maya", self.clinic)
        self.alice = make_user("alice")
        self.alice.time_zone = "UTC"
        self.alice.date_joined = datetime(2026, 1, 1, tzinfo=UTC)
        self.alice.save()
        ReminderSettings.objects.create(member=self.alice, instruments="")  # her own schedule: nothing
        self.relationship, _share = start_care(self.alice, self.maya)

    def test_planning_includes_the_assigned_measure_and_ending_care_stops_it(self) -> None:
        asked = datetime(2026, 3, 2, 8, tzinfo=UTC)
        with time_machine.travel(asked, tick=False):
            actions.assign(self.maya, self.relationship, ["phq9"], 14, "Your sleep")
        with time_machine.travel(asked + timedelta(minutes=5), tick=False):
            outbox.scheduler_round()
        row = Outbox.objects.get(member=self.alice, channel=Channel.EMAIL)
        self.assertEqual((row.instruments, str(row.due_date)), ("phq9", "2026-03-02"))
        with time_machine.travel(datetime(2026, 3, 2, 9, 1, tzinfo=UTC), tick=False):
            self.assertEqual(outbox.deliver(row.pk), "sent")
        message = mail.outbox[0]
        self.assertEqual(message.subject, SUBJECT)
        self.assertNotIn("PHQ", message.body)
        self.assertNotIn("sleep", message.body)
        self.assertTrue(message.body.startswith(BODY.split("{")[0]))
        # Still unanswered two weeks later: due again (the next cycle); ending care cancels that reminder.
        with time_machine.travel(datetime(2026, 3, 16, 7, tzinfo=UTC), tick=False):
            outbox.scheduler_round()
            self.assertTrue(
                Outbox.objects.filter(member=self.alice, due_date="2026-03-16", status="pending").exists()
            )
            care.end_care(self.alice, self.relationship)
            outbox.scheduler_round()
        self.assertFalse(Outbox.objects.filter(member=self.alice, status="pending").exists())
        self.assertNotIn("asked you", signed_in(self.alice).get("/reminders/").content.decode())
