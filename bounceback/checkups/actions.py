"""Every write to a check-up: one function each, owning its transaction and its audit entry.

The web views, the API and the CLI all call these; nothing else writes check-ups, answers or safety events.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bounceback.audit.record import record
from bounceback.instruments import ScoringError, get
from bounceback.instruments.base import clean_value
from bounceback.instruments.battery import focused
from bounceback.safety.actions import raise_safety_events, touches_safety
from bounceback.safety.models import SafetyEvent

from .models import LIFE_EVENT_CODES, Answer, CheckUp, StoredResult

Actor = AbstractBaseUser | AnonymousUser | None


class CheckUpError(ValueError):
    """A write that cannot be made, with a message that says what was wrong."""

    def __init__(self, item_id: str, message: str) -> None:
        self.item_id = item_id
        super().__init__(message)


class StaleAnswer(CheckUpError):
    """The answer changed elsewhere (another tab or device) after this page was loaded."""


class CheckUpClosed(CheckUpError):
    """The check-up is complete: its answers are locked (a new check-up takes new answers)."""


CLOSED_MESSAGE = (
    "This check-up is finished, so its answers can no longer change. Start a new check-up to answer again."
)
NOT_ASKED_MESSAGE = (
    "This question is not part of your check-up given your answers so far, so it was not saved."
)


def visitor_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_checkup(
    *, actor: Actor, context: Iterable[str], country: str, instruments: Sequence[str] | None = None
) -> tuple[CheckUp, str]:
    """Start a check-up for a member, or for a visitor (returns the secret the visitor's session keeps).

    ``instruments`` None: the default stepped check-up; a list: a focused re-assessment asking those
    instruments in full (BRS, PHQ-9 with the ASQ after item 9, GAD-7), for a member's tracking."""
    codes = list(dict.fromkeys(context))
    unknown = [c for c in codes if c not in LIFE_EVENT_CODES]
    if unknown:
        raise CheckUpError("context", f"unknown life event: {', '.join(unknown)}")
    chosen: list[str] = []
    if instruments is not None:
        try:
            chosen = [s.instrument_id for s in focused(instruments).steps if s.instrument_id != "asq"]
        except ValueError as exc:
            raise CheckUpError("instruments", str(exc)) from None
    secret = ""
    with transaction.atomic():
        checkup = CheckUp(context=codes, country=country[:2].upper(), instruments=chosen)
        if actor is not None and actor.is_authenticated:
            checkup.owner = actor  # type: ignore[assignment]
        else:
            secret = secrets.token_urlsafe(32)
            checkup.visitor_key = visitor_key(secret)
        checkup.save()
        record(actor, "checkup.create", "checkup", str(checkup.public_id))
    return checkup, secret


@dataclass
class Saved:
    answer: Answer
    new_events: list[SafetyEvent] = field(default_factory=list)


def _validate(checkup: CheckUp, item_id: str, value: object) -> int:
    if item_id not in checkup.battery.items:
        raise CheckUpError(item_id, f"{item_id} is not a question of this check-up")
    instrument_id, _version = Answer.instrument_of(item_id)
    item = get(instrument_id).item(item_id)
    try:
        clean = clean_value(instrument_id, item, value)
    except ScoringError as exc:
        raise CheckUpError(item_id, str(exc)) from None
    if clean is None:
        raise CheckUpError(item_id, f"{item_id}: an answer is needed")
    return clean


def save_answer(
    checkup: CheckUp,
    item_id: str,
    value: object,
    *,
    actor: Actor,
    base_revision: int | None = None,
    declined: bool = False,
    writer: str = "",
) -> Saved:
    """Save one answer (insert or update), raise any safety event it implies, in one transaction.

    ``base_revision`` is the revision the person's page showed and ``writer`` that page's token; when another
    page changed the answer since, the write is refused with :class:`StaleAnswer` rather than overwriting the
    newer answer (e.g. item 9 set back to 0 by a stale tab). Double submits and concurrent requests end as one
    row (unique per check-up and item).

    Only what the stepped check-up would ask now can be saved (a follow-up such as the ASQ only after the answer
    that opens it), and a completed check-up is locked: :class:`CheckUpClosed`, also when it completes
    concurrently (the check-up row's update below finds it complete and the whole write rolls back).
    """
    clean = _validate(checkup, item_id, value)
    if checkup.completed_at is not None:
        raise CheckUpClosed(item_id, CLOSED_MESSAGE)
    battery = checkup.battery
    if item_id not in battery.always_asked and not battery.is_asked(
        item_id, checkup.answer_map(), checkup.declined
    ):
        raise CheckUpError(item_id, NOT_ASKED_MESSAGE)
    instrument_id, version = Answer.instrument_of(item_id)
    fresh = Answer(
        checkup=checkup,
        item_id=item_id,
        instrument_id=instrument_id,
        instrument_version=version,
        value=clean,
        declined=declined,
        writer=writer,
    )
    with transaction.atomic():
        answer = _write(fresh, base_revision)
        if answer is None:  # the same answer again (a double submit): nothing changed, nothing to record
            return Saved(_stored(checkup, item_id))
        new_events = _safety_events(checkup) if touches_safety(item_id) else []
        if not CheckUp.objects.filter(pk=checkup.pk, completed_at__isnull=True).update(
            updated_at=timezone.now()
        ):
            raise CheckUpClosed(item_id, CLOSED_MESSAGE)  # completed since it was loaded: nothing is written
        record(actor, "checkup.answer.write", "checkup", str(checkup.public_id))
    return Saved(answer, new_events)


STALE_MESSAGE = (
    "This answer was changed in another window or device since this page opened. "
    "The page now shows the newer answer; change it again if you need to."
)


def _write(fresh: Answer, base_revision: int | None) -> Answer | None:
    """Update the stored answer in one conditional statement, or insert it; None when it was unchanged.

    The stale-tab check is part of the UPDATE's WHERE clause, so no concurrent write can slip between the check
    and the write (an insert that loses a race falls back to the same conditional update).
    """
    for _attempt in range(2):
        updated = _conditional_update(fresh, base_revision)
        if updated is not None:
            return updated
        current = Answer.objects.filter(checkup_id=fresh.checkup_id, item_id=fresh.item_id).first()
        if current is None:
            try:
                with transaction.atomic():
                    fresh.save(force_insert=True)
                return fresh
            except IntegrityError:  # a concurrent request inserted it first: check against that row
                continue
        if current.value == fresh.value and current.declined == fresh.declined:
            return None
        raise StaleAnswer(fresh.item_id, STALE_MESSAGE)
    raise StaleAnswer(fresh.item_id, STALE_MESSAGE)  # pragma: no cover - the row exists after a failed insert


def _conditional_update(fresh: Answer, base_revision: int | None) -> Answer | None:
    """One UPDATE … RETURNING (PostgreSQL and SQLite ≥ 3.35): the change only if it differs from what is stored
    and the page saw the newest revision (or wrote it itself)."""
    table = Answer._meta.db_table
    now = timezone.now()
    sql = (
        f"UPDATE {table} SET value = %s, declined = %s, writer = %s, revision = revision + 1, answered_at = %s "  # noqa: S608 - the table name is the model's own
        "WHERE checkup_id = %s AND item_id = %s AND NOT (value = %s AND declined = %s) "
        "AND (%s OR revision <= %s OR (writer <> '' AND writer = %s)) RETURNING id, revision"
    )
    params: list[bool | int | str | datetime | None] = [
        fresh.value,
        fresh.declined,
        fresh.writer,
        now,
        fresh.checkup_id,
        fresh.item_id,
        fresh.value,
        fresh.declined,
        base_revision is None,
        base_revision if base_revision is not None else 0,
        fresh.writer,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    fresh.pk, fresh.revision, fresh.answered_at = row[0], row[1], now
    fresh._state.adding = False
    return fresh


def _stored(checkup: CheckUp, item_id: str) -> Answer:
    return Answer.objects.get(checkup=checkup, item_id=item_id)


def _safety_events(checkup: CheckUp) -> list[SafetyEvent]:
    """Safety events the check-up's answers now imply, written in the same transaction as the answer."""
    answers = dict(Answer.objects.filter(checkup=checkup).values_list("item_id", "value"))
    return raise_safety_events(
        checkup,
        answers,
        checkup.declined,
        owner=checkup.owner,
        existing=set(checkup.safety_events.values_list("kind", flat=True)),
    )


def decline_step(checkup: CheckUp, step_id: str, *, actor: Actor) -> None:
    """Decline an offered follow-up (the PCL-5)."""
    step = checkup.battery.steps_by_id.get(step_id)
    if step is None or not step.declinable:
        raise CheckUpError(step_id, f"{step_id} is not an optional part of the check-up")
    if checkup.completed_at is not None:
        raise CheckUpClosed(step_id, CLOSED_MESSAGE)
    with transaction.atomic():
        locked = CheckUp.objects.select_for_update().get(pk=checkup.pk)
        if step_id not in locked.declined:
            locked.declined = [*locked.declined, step_id]
            locked.save(update_fields=["declined", "updated_at"])
        checkup.declined = locked.declined
        record(actor, "checkup.write", "checkup", str(checkup.public_id))


def confirm_safe(checkup: CheckUp, *, actor: Actor) -> None:
    """The person confirmed they are safe right now and wants to continue the check-up."""
    with transaction.atomic():
        now = timezone.now()
        CheckUp.objects.filter(pk=checkup.pk).update(safe_confirmed_at=now)
        checkup.safe_confirmed_at = now
        record(actor, "checkup.write", "checkup", str(checkup.public_id))


def complete_if_done(checkup: CheckUp, *, actor: Actor) -> bool:
    """Mark the check-up complete once no required question is left. Returns whether it is complete."""
    if checkup.completed_at is not None:
        return True
    if checkup.battery.next_step(checkup.answer_map(), checkup.declined) is not None:
        return False
    with transaction.atomic():
        now = timezone.now()
        done = CheckUp.objects.filter(pk=checkup.pk, completed_at__isnull=True).update(completed_at=now)
        if not done:  # completed concurrently (another tab): that request stored the results
            checkup.completed_at = CheckUp.objects.values_list("completed_at", flat=True).get(pk=checkup.pk)
            return True
        checkup.completed_at = now
        _store_results(checkup, now)
        record(actor, "checkup.complete", "checkup", str(checkup.public_id))
    return True


def _store_results(checkup: CheckUp, completed_at: datetime) -> None:
    """Each administered instrument's result, stored beside the raw answers (which stay the source of truth)."""
    results = checkup.battery.score(checkup.answer_map(), checkup.declined)
    StoredResult.objects.bulk_create(
        StoredResult(
            checkup=checkup,
            instrument_id=instrument_id,
            completed_at=completed_at,
            **StoredResult.fields_for(r),
        )
        for instrument_id, r in results.items()
    )


@dataclass(frozen=True)
class Difference:
    checkup: str
    instrument_id: str
    stored: dict[str, object] | None
    computed: dict[str, object] | None


def rescore(checkup: CheckUp, *, fix: bool, actor: Actor = None) -> list[Difference]:
    """Recompute a completed check-up's results from its raw answers; return where the stored ones differ,
    and (with ``fix``) replace them. Used by ``bounceback rescore`` after a scoring fix."""
    assert checkup.completed_at is not None, "only completed check-ups have stored results"
    computed = {
        instrument_id: StoredResult.fields_for(r)
        for instrument_id, r in checkup.battery.score(checkup.answer_map(), checkup.declined).items()
    }
    columns = StoredResult.SCORED_COLUMNS
    stored = {
        row["instrument_id"]: {c: row[c] for c in columns}
        for row in checkup.results.values("instrument_id", *columns)
    }
    differences = [
        Difference(str(checkup.public_id), i, stored.get(i), computed.get(i))
        for i in sorted(set(stored) | set(computed))
        if stored.get(i) != computed.get(i)
    ]
    if fix and differences:
        with transaction.atomic():
            checkup.results.all().delete()
            _store_results(checkup, checkup.completed_at)
            record(actor, "checkup.rescore", "checkup", str(checkup.public_id))
    return differences


def backdate_for_demo(checkup: CheckUp, *, started_at: datetime, completed_at: datetime) -> None:
    """Move a demo check-up back in time (the demo data only: ``seed_demo`` never runs in production)."""
    with transaction.atomic():
        CheckUp.objects.filter(pk=checkup.pk).update(started_at=started_at, completed_at=completed_at)
        checkup.results.update(completed_at=completed_at)
        checkup.started_at, checkup.completed_at = started_at, completed_at
        record(None, "checkup.backdate", "checkup", str(checkup.public_id))


def claim_checkups(user: AbstractBaseUser, secrets_by_id: dict[str, str]) -> list[CheckUp]:
    """Attach a visitor's check-ups (proved by their secrets) to the account they just created or used."""
    keys = {visitor_key(secret) for secret in secrets_by_id.values()}
    claimed = []
    with transaction.atomic():
        for checkup in CheckUp.objects.select_for_update().filter(
            public_id__in=list(secrets_by_id), owner__isnull=True, visitor_key__in=keys
        ):
            checkup.owner = user  # type: ignore[assignment]
            checkup.visitor_key = ""
            checkup.save(update_fields=["owner", "visitor_key", "updated_at"])
            for event in checkup.safety_events.filter(user__isnull=True):
                event.user = user  # type: ignore[assignment]
                event.save(update_fields=["user"])
            record(user, "checkup.claim", "checkup", str(checkup.public_id))
            claimed.append(checkup)
    return claimed


@dataclass(frozen=True)
class Purged:
    """What a purge of abandoned visitor check-ups deleted (or, in a dry run, would delete)."""

    checkups: int
    answers: int
    results: int
    safety_events: int


PURGE_BATCH = 500
"""Check-ups deleted per statement (SQLite bounds the parameters of one statement)."""


def purge_abandoned_visitor_checkups(*, days: int, dry_run: bool = False) -> Purged:
    """Delete the check-ups started without an account, never claimed, and untouched for ``days`` days, with
    their answers, stored results and safety events. The actor is the system; one audit entry holds the counts,
    never an id. A dry run counts and changes nothing (and writes no audit entry).

    Safety events are otherwise append-only, and this is the one place that deletes any: those of a visitor
    who never made an account. Nobody can follow them up (there is no person to reach, and the browser that
    held the check-up lost it after ``BOUNCEBACK_IDLE_MINUTES``), so keeping them would only keep, for no one's
    benefit, the most sensitive thing an anonymous person told us; deleting it is the privacy promise. A
    claimed check-up, and every member's, is never touched.
    """
    from datetime import timedelta

    if days < 1:
        raise ValueError(f"days: {days} would delete check-ups still in progress; use 1 or more")
    cutoff = timezone.now() - timedelta(days=days)
    abandoned = CheckUp.objects.filter(owner__isnull=True, updated_at__lt=cutoff)
    if dry_run:
        return Purged(
            checkups=abandoned.count(),
            answers=Answer.objects.filter(checkup__in=abandoned).count(),
            results=StoredResult.objects.filter(checkup__in=abandoned).count(),
            safety_events=SafetyEvent.objects.filter(checkup__in=abandoned).count(),
        )
    deleted: dict[str, int] = {}
    with transaction.atomic():
        ids = list(abandoned.select_for_update().values_list("pk", flat=True))
        for start in range(0, len(ids), PURGE_BATCH):
            batch = ids[start : start + PURGE_BATCH]
            # A queryset delete, which SafetyEvent.delete() (refusing any single delete) does not intercept.
            for _total, by_model in (
                SafetyEvent.objects.filter(checkup_id__in=batch).delete(),
                CheckUp.objects.filter(pk__in=batch).delete(),  # answers and stored results cascade
            ):
                for label, count in by_model.items():
                    deleted[label] = deleted.get(label, 0) + count
        purged = Purged(
            checkups=deleted.get(CheckUp._meta.label, 0),
            answers=deleted.get(Answer._meta.label, 0),
            results=deleted.get(StoredResult._meta.label, 0),
            safety_events=deleted.get(SafetyEvent._meta.label, 0),
        )
        record(
            None,
            "checkup.purge_visitors",
            "count",
            f"{purged.checkups} checkups; {purged.safety_events} safety events",
        )
    return purged
