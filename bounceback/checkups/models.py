"""Check-ups, their raw answers, and the results stored beside them when a check-up completes.

The raw answers are the source of truth: a stored result is recomputed from them (``bounceback rescore``), never
edited on its own."""

from __future__ import annotations

import uuid
from fractions import Fraction

from django.conf import settings
from django.db import models

from bounceback.instruments import Method, Result, get
from bounceback.instruments.battery import Battery, battery_for
from bounceback.safety.rules import SafetyState, safety_state

LIFE_EVENTS = (
    ("loss", "Losing someone I love"),
    ("breakup", "A breakup or divorce"),
    ("disaster", "A natural disaster"),
    ("illness", "A medical emergency or illness"),
    ("job_loss", "Losing a job"),
    ("money", "Money trouble"),
    ("tragedy", "Surviving or witnessing a tragedy"),
    ("pandemic", "A pandemic"),
    ("other", "Something else"),
)
LIFE_EVENT_CODES = frozenset(code for code, _label in LIFE_EVENTS)


class CheckUp(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="checkups"
    )
    visitor_key = models.CharField(max_length=64, blank=True, db_index=True)
    """SHA-256 of the secret a visitor's browser holds; emptied when the check-up is claimed by an account."""
    context = models.JSONField(default=list, blank=True)
    """What the person is going through (LIFE_EVENTS codes): tailors the plan, never scored."""
    declined = models.JSONField(default=list, blank=True)
    """Offered follow-ups the person chose not to take (battery step ids, e.g. "pcl5")."""
    instruments = models.JSONField(default=list, blank=True)
    """Empty for the default stepped check-up; the instrument ids of a focused re-assessment (asked in full)."""
    country = models.CharField(max_length=2, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    safe_confirmed_at = models.DateTimeField(null=True, blank=True)
    """When the person confirmed they are safe right now, after a suicide-risk flag."""

    class Meta:
        indexes = [models.Index(fields=["owner", "-started_at"])]

    def __str__(self) -> str:
        return f"check-up {self.public_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def battery(self) -> Battery:
        """The steps this check-up walks (the default stepped check-up, or a focused re-assessment)."""
        return battery_for(self.instruments)

    def answer_map(self) -> dict[str, int]:
        return {a.item_id: a.value for a in self.answers.all()}

    def safety_state(self) -> SafetyState:
        """Where this check-up stands on safety (the pure rule over its append-only events; one query)."""
        return safety_state(self.safety_events.values_list("kind", "created_at"), self.safe_confirmed_at)


class Answer(models.Model):
    """One item's answer, saved the moment it is given; unique per check-up and item (upserted)."""

    checkup = models.ForeignKey(CheckUp, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=32)
    instrument_id = models.CharField(max_length=16)
    instrument_version = models.PositiveSmallIntegerField()
    value = models.SmallIntegerField()
    declined = models.BooleanField(default=False)
    """The person chose "I'd rather not answer" (ASQ: recorded as "yes", the toolkit's rule)."""
    revision = models.PositiveIntegerField(default=1)
    """Bumped on every change; a write based on an older revision is refused (a stale tab, hazard H16)."""
    writer = models.CharField(max_length=32, blank=True)
    """The page (one load of one tab) that last wrote it: a page never conflicts with its own writes."""
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkup", "item_id"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id} in {self.checkup_id}"

    @staticmethod
    def instrument_of(item_id: str) -> tuple[str, int]:
        instrument_id = item_id.rsplit("_", 1)[0]
        return instrument_id, get(instrument_id).version


class StoredResultQuerySet(models.QuerySet["StoredResult"]):
    """Questions charts, the dashboard and exports ask of results, answered in SQL."""

    def of_owner(self, owner_id: int) -> StoredResultQuerySet:
        return self.filter(checkup__owner_id=owner_id)

    def of_instrument(self, instrument_id: str) -> StoredResultQuerySet:
        return self.filter(instrument_id=instrument_id)

    def scored(self) -> StoredResultQuerySet:
        """Complete results only (an incomplete one has no total and no band)."""
        return self.filter(complete=True)

    def total_at_least(self, total: float) -> StoredResultQuerySet:
        return self.filter(complete=True, total__gte=total)

    def flagged(self, flag: str) -> StoredResultQuerySet:
        """Results carrying this flag (flags are kept as ";flag;" strings so every database can match them)."""
        return self.filter(flags__contains=f";{flag};")

    def chronological(self) -> StoredResultQuerySet:
        return self.order_by("completed_at", "id")


class StoredResult(models.Model):
    """One instrument's result of a completed check-up, as scored when it completed."""

    checkup = models.ForeignKey(CheckUp, on_delete=models.CASCADE, related_name="results")
    instrument_id = models.CharField(max_length=16)
    instrument_version = models.PositiveSmallIntegerField()
    total = models.FloatField(null=True, blank=True)
    """The total as shown (BRS: the mean); None when incomplete."""
    exact_total = models.CharField(max_length=32, blank=True)
    """The exact total as a fraction ("13/6"); bands were decided on it."""
    band = models.CharField(max_length=32, blank=True)
    complete = models.BooleanField()
    flags = models.CharField(max_length=200, blank=True)
    """Flag codes, sorted, as ";a;b;" (empty when none)."""
    completed_at = models.DateTimeField()

    objects = StoredResultQuerySet.as_manager()

    SCORED_COLUMNS = ("instrument_version", "total", "exact_total", "band", "complete", "flags")
    """The columns recomputed from the answers (``fields_for``)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkup", "instrument_id"], name="one_result_per_instrument")
        ]
        indexes = [
            models.Index(fields=["instrument_id", "total"]),
            models.Index(fields=["checkup", "completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} of {self.checkup_id}"

    @staticmethod
    def fields_for(result: Result) -> dict[str, object]:
        """The stored columns of a scored result (used to store and to compare when re-scoring)."""
        exact = result.exact_total
        values = (
            result.version,
            None if result.total is None else float(result.total),
            "" if exact is None else str(exact),
            result.band or "",
            result.complete,
            f";{';'.join(sorted(result.flags))};" if result.flags else "",
        )
        return dict(zip(StoredResult.SCORED_COLUMNS, values, strict=True))

    @property
    def flag_set(self) -> frozenset[str]:
        return frozenset(f for f in self.flags.split(";") if f)

    def as_result(self) -> Result:
        """The instrument library's result, as stored (exact total, band, flags; not which items were missing)."""
        exact = Fraction(self.exact_total) if self.exact_total else None
        total: int | float | None = None
        if exact is not None:
            total = float(exact) if get(self.instrument_id).method is Method.MEAN else int(exact)
        return Result(
            self.instrument_id,
            self.instrument_version,
            total,
            self.band or None,
            self.complete,
            self.flag_set,
            (),
            exact,
        )
