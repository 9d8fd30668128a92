"""The member's report as one value: the latest check-up's results and plan, each questionnaire over time, the
check-ins, the safety plan and the crisis lines, for the PDF a member keeps or brings to a clinician.

Pure Python (no Django): built from the same plain records and pure builders as the pages (the results page's
``checkups.summary.summarise`` from the raw answers, the plan's ``plans.rules.build_plan``, the progress page's
``progress.page.progress_page`` from the stored results), so the report can never say something the pages do not
(hazard H19). ``progress.report_access`` reads the records; ``progress.pdf`` renders this value.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bounceback.checkups.summary import ResultsSummary, summarise
from bounceback.instruments.battery import Battery
from bounceback.plans.rules import Plan, build_plan
from bounceback.safety.crisis import CountryResources
from bounceback.safetyplan.steps import STEPS

from .checkins import Day, long_date
from .page import InstrumentSection, ProgressPage, progress_page
from .series import Record
from .tables import Table, table_html

DISCLAIMER = "This is a screening report, not a diagnosis or medical advice."
NO_NAME = (
    "This report carries no name or email address: it is yours to keep, to share, or to bring to a clinician."
)


TABLE_ROWS = 12
"""Results in each questionnaire's table in the report: the latest ones (the chart above it draws every one). A long
history's full tables would fill dozens of pages and take WeasyPrint many seconds to lay out."""


@dataclass(frozen=True)
class Trend:
    """One questionnaire over time: the progress page's section (chart, words), and its latest results as a table."""

    section: InstrumentSection
    table: str
    shown: int
    """Results in the table (the latest)."""
    earlier: int
    """Results drawn in the chart but left out of the table (the oldest)."""


def trend_of(section: InstrumentSection, rows: int = TABLE_ROWS) -> Trend:
    instrument = section.series.instrument
    latest = section.rows[-rows:]
    table = table_html(
        Table(
            f"{instrument.title}: the latest {len(latest)} results, oldest first",
            ("Date", "Score", "Band", "Change since the check-up before"),
            ("Date", "Score", "Band", "Change"),
            [(r.day, r.score, r.band, r.change or "—") for r in latest],
        )
    )
    return Trend(section, table, len(latest), len(section.rows) - len(latest))


@dataclass(frozen=True)
class LatestCheckup:
    """The raw answers of the member's latest completed check-up, as its results page reads them."""

    completed_on: date
    answers: Mapping[str, int | None]
    declined: Collection[str]
    battery: Battery
    context: Collection[str]


@dataclass(frozen=True)
class LatestResults:
    completed_on: str
    summary: ResultsSummary
    plan: Plan


@dataclass(frozen=True)
class SafetyPlanEntryLine:
    text: str
    phone: str


@dataclass(frozen=True)
class SafetyPlanStep:
    number: int
    """The step's place in the plan's six, whichever steps are written in."""
    heading: str
    entries: list[SafetyPlanEntryLine]


@dataclass(frozen=True)
class Report:
    made_on: str
    disclaimer: str
    no_name: str
    crisis: CountryResources
    latest: LatestResults | None
    progress: ProgressPage
    trends: list[Trend]
    safety_plan: list[SafetyPlanStep] | None
    """The steps with something written in them, in the plan's order; None when the member has no plan."""


def safety_plan_steps(entries: Mapping[str, Sequence[tuple[str, str]]]) -> list[SafetyPlanStep] | None:
    """The member's own entries (text, phone) step by step, in the plan's order; None when nothing is written."""
    steps = [
        SafetyPlanStep(
            number, step.heading, [SafetyPlanEntryLine(text, phone) for text, phone in entries[step.id]]
        )
        for number, step in enumerate(STEPS, start=1)
        if entries.get(step.id)
    ]
    return steps or None


def build_report(
    *,
    records: Iterable[Record],
    days: Iterable[Day],
    today: date,
    latest: LatestCheckup | None,
    safety_entries: Mapping[str, Sequence[tuple[str, str]]] | None,
    crisis: CountryResources,
) -> Report:
    latest_results = None
    if latest is not None:
        summary = summarise(latest.answers, latest.declined, latest.battery)
        latest_results = LatestResults(
            completed_on=long_date(latest.completed_on),
            summary=summary,
            plan=build_plan(summary.results, latest.answers, latest.context),
        )
    page = progress_page(records, days, today)
    return Report(
        made_on=long_date(today),
        disclaimer=DISCLAIMER,
        no_name=NO_NAME,
        crisis=crisis,
        latest=latest_results,
        progress=page,
        trends=[trend_of(section) for section in page.instruments],
        safety_plan=safety_plan_steps(safety_entries) if safety_entries is not None else None,
    )
