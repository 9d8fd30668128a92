"""No personal model can be forgotten: every installed model with a foreign-key path to the user model is in
the export (or left out of it on purpose, with the reason) and is deleted with the account (or kept on purpose,
with the reason), as some app's ``personal.py`` declares (``bounceback/datarights/registry.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from bounceback.accounts.models import User
from bounceback.datarights.registry import parts, tables


def linked_to_a_person(candidates: Iterable[type[models.Model]]) -> dict[type[models.Model], str]:
    """Each model with a foreign-key path to the user model (the user model itself included), with that path."""
    person = get_user_model()
    candidates = list(candidates)
    paths: dict[type[models.Model], str] = {person: person._meta.label}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in paths:
                continue
            for field in model._meta.concrete_fields:
                target = field.related_model if field.is_relation else None
                if isinstance(target, type) and target in paths:
                    paths[model] = f"{model._meta.label}.{field.name} → {paths[target]}"
                    grew = True
                    break
    return paths


def uncovered(candidates: Iterable[type[models.Model]]) -> list[str]:
    exported = {t.model for t in tables()} | {m for p in parts() for m in p.not_exported}
    deleted = {m for p in parts() for m in p.erased} | {m for p in parts() for m in p.kept}
    problems = []
    for model, path in sorted(linked_to_a_person(candidates).items(), key=lambda kv: kv[0]._meta.label):
        if model not in exported:
            problems.append(f"{model._meta.label} ({path}) is not exported: add it to TABLES or NOT_EXPORTED")
        if model not in deleted:
            problems.append(
                f"{model._meta.label} ({path}) is not deleted with the account: add it to ERASED or KEPT"
            )
    return problems


def test_every_model_linked_to_a_person_is_exported_and_deleted_or_kept_on_purpose() -> None:
    problems = uncovered(apps.get_models(include_auto_created=True))
    assert problems == [], "describe these in their app's personal.py:\n" + "\n".join(problems)


def test_the_walk_finds_what_it_must() -> None:
    linked = {m._meta.label for m in linked_to_a_person(apps.get_models(include_auto_created=True))}
    expected = {
        "accounts.User",
        "account.EmailAddress",
        "account.EmailConfirmation",  # through the email address
        "mfa.Authenticator",
        "usersessions.UserSession",
        "admin.LogEntry",
        "audit.AuditEvent",
        "safety.SafetyEvent",
        "checkups.CheckUp",
        "checkups.Answer",  # through the check-up
        "checkups.StoredResult",
        "tracking.CheckIn",
        "plans.MindfulnessSession",
        "reminders.ReminderSettings",
        "reminders.Outbox",
        "reminders.Notification",
    }
    assert expected <= linked, sorted(expected - linked)
    assert any(label.startswith("accounts.User_") for label in linked)  # the many-to-many tables


@isolate_apps("bounceback.datarights")
def test_a_new_personal_model_that_no_app_describes_fails_naming_it() -> None:
    class Diary(models.Model):
        writer = models.ForeignKey(User, on_delete=models.CASCADE)

        class Meta:
            app_label = "datarights"

        def __str__(self) -> str:
            return "a diary"

    class Page(models.Model):
        diary = models.ForeignKey(Diary, on_delete=models.CASCADE)

        class Meta:
            app_label = "datarights"

        def __str__(self) -> str:
            return "a page"

    problems = uncovered([User, Diary, Page])
    assert [p.split(" (")[0] for p in problems] == ["datarights.Diary"] * 2 + ["datarights.Page"] * 2
    assert "datarights.Page.diary → datarights.Diary.writer → accounts.User" in problems[2]


def test_every_table_has_unique_columns_and_each_leaves_out_is_explained() -> None:
    for table in tables():
        assert len(set(table.columns)) == len(table.columns), table.name
    for part in parts():
        assert all(why.strip() for why in [*part.not_exported.values(), *part.kept.values()]), part.app
