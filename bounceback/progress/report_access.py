"""The one place a member's report is looked up: everything in it read through the apps' own access functions,
for the signed-in member only (there is no id to ask for anyone else's), audited once as ``report.read`` (the
verb and the member's public id, never the content).

Takes the user, not the request, so the web view and commands share it.
"""

from __future__ import annotations

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.checkups.access import completed_checkups_of
from bounceback.safety.crisis import resources_for
from bounceback.safetyplan.access import entries_by_step, plan_of
from bounceback.safetyplan.actions import keeps_safety_plan
from bounceback.tracking.actions import zone_of

from .access import progress_of
from .report import LatestCheckup, Report, build_report

AUDIT = "report.read"


def report_of(user: User, *, country: str, audit: str = AUDIT) -> Report:
    """The member's own report, with the crisis lines of ``country`` (the crisis-country rule's answer)."""
    if audit:
        record(user, audit, "user", str(user.public_id))
    records, days, today = progress_of(user)
    completed = completed_checkups_of(user)
    latest = None
    if completed:
        checkup = completed[-1]
        assert checkup.completed_at is not None  # completed_checkups_of gives completed check-ups only
        latest = LatestCheckup(
            completed_on=checkup.completed_at.astimezone(zone_of(user)).date(),
            answers=checkup.answer_map(),
            declined=checkup.declined,
            battery=checkup.battery,
            context=checkup.context,
        )
    safety_entries = None
    if keeps_safety_plan(user):
        plan = plan_of(user)
        if plan is not None:
            safety_entries = {
                step: [(entry.text, entry.phone) for entry in entries]
                for step, entries in entries_by_step(user, plan).items()
            }
    return build_report(
        records=records,
        days=days,
        today=today,
        latest=latest,
        safety_entries=safety_entries,
        crisis=resources_for(country),
    )
