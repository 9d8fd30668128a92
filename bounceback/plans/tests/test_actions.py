"""Writes for plans: each with an audit entry naming the record by its opaque public id."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase, TransactionTestCase

from bounceback.audit.models import AuditEvent
from bounceback.plans.actions import PracticeError, record_practice
from bounceback.plans.models import MindfulnessSession
from bounceback.test import make_user


class RecordPracticeTest(TestCase):
    def test_it_audits_the_session_by_its_public_id_never_its_primary_key(self) -> None:
        alice = make_user("alice")
        session = record_practice(alice, 10)
        event = AuditEvent.objects.get(target_type="practice")  # the day's check-in has its own entry
        self.assertEqual(
            (event.actor_id, event.action, event.target_type, event.target_id),
            (alice.pk, "practice.create", "practice", str(session.public_id)),
        )
        self.assertNotEqual(event.target_id, str(session.pk))
        self.assertRegex(event.target_id, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")

    def test_it_gives_each_session_its_own_public_id(self) -> None:
        alice = make_user("alice")
        ids = {record_practice(alice, 5).public_id for _ in range(3)}
        self.assertEqual(len(ids), 3)

    def test_it_writes_nothing_for_an_invalid_length(self) -> None:
        with pytest.raises(PracticeError, match="minutes: 7 is not a timer length"):
            record_practice(make_user("alice"), 7)
        self.assertFalse(MindfulnessSession.objects.exists())
        self.assertFalse(AuditEvent.objects.exists())


class PublicIdMigrationTest(TransactionTestCase):
    """Sessions recorded before public ids existed each get their own (0002 to 0004)."""

    before = [("plans", "0001_initial")]
    after = [("plans", "0004_mindfulnesssession_public_id_unique")]

    def test_it_fills_a_distinct_public_id_for_every_existing_session(self) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate(self.before)
        old = executor.loader.project_state(self.before).apps
        user = old.get_model("accounts", "User").objects.create(username="old", email="old@example.org")
        Session = old.get_model("plans", "MindfulnessSession")
        for minutes in (5, 10, 20):
            Session.objects.create(user=user, minutes=minutes)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(self.after)
        new = executor.loader.project_state(self.after).apps.get_model("plans", "MindfulnessSession")
        ids = list(new.objects.values_list("public_id", flat=True))
        self.assertEqual(len(ids), 3)
        self.assertNotIn(None, ids)
        self.assertEqual(len(set(ids)), 3)
