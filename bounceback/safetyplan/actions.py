"""Every write to a personal safety plan: one function each, owning its transaction and its audit entry.

The web views (the plain form and the per-entry autosave), the API and commands all call these; nothing else
writes safety plans. Audit entries carry neutral verbs (``safetyplan.write``, ``safetyplan.review``) and the
plan's public id, never an entry's text, step or number.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.record import record

from .models import SafetyPlan, SafetyPlanEntry
from .steps import BY_ID, MAX_ENTRIES_PER_STEP, STEP_IDS, Unreadable, clean_phone, clean_text, entry_name


class SafetyPlanError(ValueError):
    """A write that cannot be made, naming the field (the page's id for it) and what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def keeps_safety_plan(user: User) -> bool:
    """Members keep a personal safety plan; clinicians, operators and researchers do not (here)."""
    return bool(user.is_authenticated and user.role == Role.MEMBER)


@dataclass(frozen=True)
class Edit:
    """New values for one entry: None leaves that value as it is; an empty text removes the entry."""

    text: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Addition:
    step: str
    text: str
    phone: str = ""
    field: str = ""
    """The page's id for the box it came from (for messages); the step's new-entry box when empty."""


@dataclass
class Outcome:
    plan: SafetyPlan | None
    added: list[SafetyPlanEntry] = field(default_factory=list)
    changed: list[SafetyPlanEntry] = field(default_factory=list)
    removed: int = 0
    missing: list[str] = field(default_factory=list)
    """Public ids asked for that are not (or no longer) in this member's plan: nothing was done to them."""

    @property
    def wrote(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _key(public_id: object) -> str:
    """An entry's public id in its one written form ("" when it is not a UUID at all)."""
    try:
        return str(uuid.UUID(str(public_id)[:64]))
    except ValueError:
        return ""


def _only_members(user: User) -> None:
    if not keeps_safety_plan(user):
        raise SafetyPlanError("owner", "Only members keep a safety plan.")


def _checked(entry_field: str, where: str, step_id: str, text: str | None, phone: str | None) -> Edit:
    """Values checked against the plan's bounds (typed callers: the form has already parsed them)."""
    step = BY_ID[step_id]
    try:
        clean = Edit(
            None if text is None else clean_text(text, f"{entry_field}-text", where),
            None if phone is None else clean_phone(phone, f"{entry_field}-phone", where),
        )
    except Unreadable as exc:
        raise SafetyPlanError(exc.field, str(exc)) from None
    if clean.phone and not step.contacts:
        raise SafetyPlanError(f"{entry_field}-phone", f"{where}: this step takes no phone number.")
    return clean


def _lock_plan(user: User, *, create: bool) -> SafetyPlan | None:
    """The member's plan row, locked for this transaction (created when asked, also when two requests race)."""
    plan = SafetyPlan.objects.select_for_update().filter(owner=user).first()
    if plan is not None or not create:
        return plan
    try:
        with transaction.atomic():
            return SafetyPlan.objects.create(owner=user)
    except IntegrityError:
        return SafetyPlan.objects.select_for_update().get(owner=user)


def save_plan(
    user: User,
    *,
    edits: Mapping[str, Edit] | None = None,
    removals: Iterable[str] = (),
    additions: Iterable[Addition] = (),
    now: datetime | None = None,
) -> Outcome:
    """Apply edits (by entry public id), removals and additions to the member's plan in one transaction, with
    one audit entry when anything changed. The plan is created with its first entry.

    Every value is checked first (length, control characters, phone numbers, at most
    ``MAX_ENTRIES_PER_STEP`` a step): a refusal raises :class:`SafetyPlanError` naming the field, and nothing
    is written. Entries not in this member's plan (another member's, or removed meanwhile) are reported in
    ``missing`` and left alone; an addition identical to an entry already in its step (a form sent twice) is
    not added again."""
    _only_members(user)
    edits = {_key(k): v for k, v in (edits or {}).items()}
    removals = [_key(r) for r in removals]
    additions = list(additions)
    for addition in additions:
        if addition.step not in STEP_IDS:
            raise SafetyPlanError("step", f"“{addition.step[:40]}” is not a step of the plan.")
    checked_additions = []
    for addition in additions:
        box = addition.field or f"new-{addition.step}"
        clean = _checked(
            box, entry_name(BY_ID[addition.step], None), addition.step, addition.text, addition.phone
        )
        if not clean.text:
            if clean.phone:
                raise SafetyPlanError(
                    f"{box}-text",
                    f"{entry_name(BY_ID[addition.step], None)}: please add a name to go with the number.",
                )
            continue
        checked_additions.append(Addition(addition.step, clean.text, clean.phone or "", box))

    when = now or timezone.now()
    with transaction.atomic():
        plan = _lock_plan(user, create=bool(checked_additions))
        outcome = Outcome(plan)
        if plan is None:
            outcome.missing = sorted({*edits, *removals})
            return outcome
        entries = {str(e.public_id): e for e in plan.entries.all()}
        by_step: dict[str, list[SafetyPlanEntry]] = {s: [] for s in STEP_IDS}
        for entry in sorted(entries.values(), key=lambda e: e.position):
            by_step[entry.step].append(entry)

        to_save: list[tuple[SafetyPlanEntry, list[str]]] = []
        to_remove: set[str] = {r for r in removals if r in entries}
        outcome.missing = sorted(
            {r for r in removals if r not in entries} | {k for k in edits if k not in entries}
        )
        for key, edit in edits.items():
            if key not in entries or key in to_remove:
                continue
            entry = entries[key]
            number = by_step[entry.step].index(entry) + 1
            clean = _checked(
                f"e-{key}", entry_name(BY_ID[entry.step], number), entry.step, edit.text, edit.phone
            )
            if clean.text == "":
                to_remove.add(key)
                continue
            changed = []
            if clean.text is not None and clean.text != entry.text:
                entry.text = clean.text
                changed.append("text")
            if clean.phone is not None and clean.phone != entry.phone:
                entry.phone = clean.phone
                changed.append("phone")
            if changed:
                to_save.append((entry, changed))

        fresh: list[SafetyPlanEntry] = []
        for addition in checked_additions:
            kept = [e for e in by_step[addition.step] if str(e.public_id) not in to_remove]
            if any(e.text == addition.text and e.phone == addition.phone for e in kept + fresh):
                continue  # already there: the same form sent twice
            if len(kept) + sum(1 for f in fresh if f.step == addition.step) >= MAX_ENTRIES_PER_STEP:
                step = BY_ID[addition.step]
                raise SafetyPlanError(
                    f"{addition.field}-text",
                    f"{step.heading}: this step holds up to {MAX_ENTRIES_PER_STEP} entries. Remove one to add "
                    "another, or put two on one line.",
                )
            fresh.append(
                SafetyPlanEntry(plan=plan, step=addition.step, text=addition.text, phone=addition.phone)
            )

        if to_remove:
            outcome.removed, _ = SafetyPlanEntry.objects.filter(plan=plan, public_id__in=to_remove).delete()
        for entry, changed in to_save:
            entry.save(update_fields=[*changed, "updated_at"])
            outcome.changed.append(entry)
        if fresh:
            last = dict(
                plan.entries.values("step").annotate(last=Max("position")).values_list("step", "last")
            )
            for entry in fresh:
                last[entry.step] = entry.position = (last.get(entry.step) or 0) + 1
                entry.save(force_insert=True)
                outcome.added.append(entry)
        if outcome.wrote:
            plan.changed_at = plan.reviewed_at = when
            plan.save(update_fields=["changed_at", "reviewed_at"])
            record(user, "safetyplan.write", "safetyplan", str(plan.public_id))
        return outcome


def add_entry(user: User, step: str, text: str, phone: str = "") -> SafetyPlanEntry | None:
    """Add one entry to a step (None when it was already there)."""
    outcome = save_plan(user, additions=[Addition(step, text, phone)])
    return outcome.added[0] if outcome.added else None


def edit_entry(user: User, public_id: str, *, text: str | None = None, phone: str | None = None) -> Outcome:
    """Change one entry's text or phone number (an empty text removes it)."""
    return save_plan(user, edits={str(public_id): Edit(text, phone)})


def remove_entry(user: User, public_id: str) -> Outcome:
    return save_plan(user, removals=[str(public_id)])


def mark_reviewed(user: User, *, now: datetime | None = None) -> SafetyPlan | None:
    """The member looked at the plan and says it is still right (hazard H31: a plan out of date)."""
    _only_members(user)
    with transaction.atomic():
        plan = _lock_plan(user, create=False)
        if plan is None:
            return None
        plan.reviewed_at = now or timezone.now()
        plan.save(update_fields=["reviewed_at"])
        record(user, "safetyplan.review", "safetyplan", str(plan.public_id))
        return plan
