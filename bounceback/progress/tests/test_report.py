"""The PDF report (/progress/report.pdf): built from the same raw answers and stored results as the pages, with
the disclaimer, the crisis lines, the latest results, the charts, the plan with its citations and the safety plan;
the member's own only; audited; never cached; nothing fetched while rendering (hazard H19)."""

from __future__ import annotations

import io
import re
import socket
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest import mock

from django.db import connection
from django.test import Client, SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.checkups.interpretation import SAFETY_LEAD
from bounceback.checkups.summary import summarise
from bounceback.instruments import score
from bounceback.plans.content import ACTIONS
from bounceback.plans.rules import build_plan
from bounceback.progress.pdf import OfflineFetcher, pdf_from_html, report_pdf
from bounceback.progress.report import DISCLAIMER, TABLE_ROWS, build_report
from bounceback.progress.report_access import report_of
from bounceback.progress.series import Record
from bounceback.safety.crisis import resources_for
from bounceback.safetyplan.actions import Addition, save_plan
from bounceback.test import CALM_ANSWERS, enable_two_factor, make_user
from bounceback.tests.test_layout import _writes
from bounceback.tracking.actions import save_checkin

from .test_views import BETTER_ANSWERS, LOW_ANSWERS, completed, signed_in

ALICE_PLAN = [
    Addition("warning_signs", "Lying awake going over the same thoughts"),
    Addition("on_my_own", "A walk round the block with the dog"),
    Addition("ask_for_help", "My sister Ruth", phone="555 0100"),
]


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text, with runs of white space (line breaks included) made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


def drawing_operators(pdf: bytes, page_number: int) -> int:
    """How many path-drawing operators (lines, curves, rectangles) one page's content stream holds."""
    page = PdfReader(io.BytesIO(pdf)).pages[page_number]
    content = page.get_contents()
    assert content is not None
    data = content.get_data().decode("latin-1")
    return len(re.findall(r"(?m)(?:^|\s)(?:l|c|re|h)(?=\s|$)", data))


class ReportTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.first = completed(self.alice, LOW_ANSWERS, 44)
        completed(self.alice, LOW_ANSWERS, 30)
        self.latest = completed(self.alice, BETTER_ANSWERS, 2)
        today = timezone.localdate()
        for n in range(20):
            save_checkin(
                self.alice,
                today - timedelta(days=n % 8),
                {"mood": 5 + n % 4, "exercise_minutes": 10 * (n % 5)},
            )
        save_plan(self.alice, additions=ALICE_PLAN)

    def download(self, user: User) -> Any:
        return signed_in(user).get("/progress/report.pdf")

    def test_a_visitor_is_sent_to_sign_in(self) -> None:
        response = Client().get("/progress/report.pdf")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/?next=/progress/report.pdf"))

    def test_it_is_a_pdf_download_never_cached(self) -> None:
        response = self.download(self.alice)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="bounceback-report.pdf"')
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])
        self.assertTrue(response.content.startswith(b"%PDF-"))
        self.assertEqual(
            self.client.post("/progress/report.pdf").status_code, 302
        )  # signed out: sign in first
        self.assertEqual(signed_in(self.alice).post("/progress/report.pdf").status_code, 405)

    def test_it_has_the_disclaimer_crisis_lines_and_no_name_or_email(self) -> None:
        pages = pages_of(self.download(self.alice).content)
        first = pages[0]
        self.assertIn(DISCLAIMER, first)
        self.assertIn("Emergency: call 911", first)
        self.assertIn("988 Suicide & Crisis Lifeline: Call or text 988", first)
        self.assertIn("Text HOME to 741741", first)
        text = " ".join(pages)
        self.assertNotIn("alice", text.lower())
        self.assertNotIn("@example.org", text)
        for page in pages:  # the footer on every page
            self.assertIn("not a diagnosis or medical advice", page)

    def test_the_crisis_lines_are_the_members_countrys(self) -> None:
        self.alice.country = "GB"
        self.alice.save(update_fields=["country"])
        text = text_of(self.download(self.alice).content)
        self.assertIn("Samaritans: Call 116 123", text)
        self.assertNotIn("988", text)

    def test_it_has_each_latest_result_with_its_score_and_band_as_the_results_page(self) -> None:
        text = text_of(self.download(self.alice).content)
        summary = summarise(self.latest.answer_map(), self.latest.declined, self.latest.battery)
        self.assertGreaterEqual(len(summary.shown), 5)
        for shown in summary.shown:
            interp = shown.interpretation
            self.assertIn(f"Score {interp.display_total} · {interp.band_label}", text, interp.instrument.id)
        self.assertIn("Score 7 · Mild", text)  # the latest PHQ-9, as its results page shows it
        self.assertIn(summary.headline, text)
        # The trends' tables: the first PHQ-9 (16, moderately severe) and the latest (7, mild, reliably better).
        self.assertIn("16 Moderately severe First result", text)
        self.assertIn("7 Mild Down 9 points: a reliable improvement", text)

    def test_it_has_the_plans_actions_with_their_citations(self) -> None:
        text = text_of(self.download(self.alice).content)
        summary = summarise(self.latest.answer_map(), self.latest.declined, self.latest.battery)
        plan = build_plan(summary.results, self.latest.answer_map(), self.latest.context)
        self.assertTrue(plan.items)
        for n, item in enumerate(plan.items, start=1):
            self.assertIn(f"{n}. {item.action.title}", text)
            self.assertIn(item.action.first_step, text)
            for evidence in item.sources:
                self.assertIn(evidence.citation, text)

    def test_it_has_the_safety_plan_in_the_members_words(self) -> None:
        text = text_of(self.download(self.alice).content)
        self.assertIn("Your safety plan", text)
        self.assertIn("1. Signs that a hard time is starting", text)
        self.assertIn("4. People I can tell when I am struggling", text)  # numbered as in the plan
        for addition in ALICE_PLAN:
            self.assertIn(addition.text, text)
        self.assertIn("My sister Ruth · 555 0100", text)

    def test_the_charts_are_drawn(self) -> None:
        pdf = self.download(self.alice).content
        pages = pages_of(pdf)
        trends = next(n for n, page in enumerate(pages) if "Your check-ups over time" in page)
        # Each questionnaire's heading, its reliable-change threshold, and the chart's own labels (its axis ticks
        # and band names are text in the SVG, so they are in the PDF's text too).
        for heading in ("Brief Resilience Scale", "Patient Health Questionnaire-9", "Generalized Anxiety"):
            self.assertIn(heading, " ".join(pages[trends:]))
        self.assertIn("A reliable improvement since the check-up before", " ".join(pages[trends:]))
        # Vector paths: the bands, the axis, the line and the markers of every chart on the page. A page with
        # text and table rules alone has a handful; the charts bring far more.
        self.assertGreater(drawing_operators(pdf, trends), 40)
        checkins = next(n for n, page in enumerate(pages) if "Your daily check-ins" in page)
        self.assertGreater(drawing_operators(pdf, checkins), 40)

    def test_the_report_is_the_members_own(self) -> None:
        bob = make_user("bob")
        save_plan(bob, additions=[Addition("on_my_own", "Play the piano for ten minutes")])
        text = text_of(self.download(bob).content)
        self.assertIn(DISCLAIMER, text)
        self.assertIn("You have no finished check-up yet", text)
        self.assertNotIn("Your check-ups over time", text)
        self.assertNotIn("Your daily check-ins", text)
        self.assertIn("Play the piano for ten minutes", text)
        for addition in ALICE_PLAN:
            self.assertNotIn(addition.text, text)
        completed(bob, CALM_ANSWERS, 1)
        text = text_of(self.download(bob).content)
        self.assertIn("Your check-ups over time", text)
        self.assertNotIn("Moderately severe", text)  # alice's first PHQ-9 band
        self.assertNotIn("Patient Health Questionnaire-9", text)  # bob's PHQ-2 was below 3
        self.assertNotIn("Lying awake", text)
        alice_text = text_of(self.download(self.alice).content)
        self.assertNotIn("Play the piano", alice_text)

    def test_after_thoughts_of_self_harm_the_report_leads_with_them_as_the_results_page_does(self) -> None:
        flagged = completed(
            self.alice, {**LOW_ANSWERS, "phq9_9": 1, **{f"asq_{n}": 0 for n in range(1, 5)}}, 1
        )
        summary = summarise(flagged.answer_map(), flagged.declined, flagged.battery)
        self.assertEqual(summary.headline, SAFETY_LEAD)
        text = text_of(self.download(self.alice).content)
        self.assertRegex(text, r"Your latest check-up: \d{1,2} \w+ \d{4} " + re.escape(SAFETY_LEAD))
        plan = text.split("Your resilience plan", 1)[1]
        self.assertIn(f"1. {ACTIONS['safety_now'].title}", plan)
        self.assertIn("not drawn as a trend", text)  # the ASQ, as on the progress page

    def test_a_clinician_gets_their_own_report_without_a_safety_plan(self) -> None:
        carol = make_user("carol", role=Role.CLINICIAN)
        enable_two_factor(carol)
        response = self.download(carol)
        self.assertEqual(response.status_code, 200)
        text = text_of(response.content)
        self.assertIn("You have no finished check-up yet", text)
        self.assertNotIn("Your safety plan", text)

    def test_the_read_is_audited_by_verb_and_nothing_else_is_written(self) -> None:
        client = signed_in(self.alice)
        before = AuditEvent.objects.count()
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(client.get("/progress/report.pdf").status_code, 200)
        self.assertEqual(_writes(ctx.captured_queries), [])
        events = list(AuditEvent.objects.order_by("id")[before:])
        self.assertEqual([e.action for e in events], ["report.read"])
        self.assertEqual((events[0].target_type, events[0].target_id), ("user", str(self.alice.public_id)))

    def test_nothing_is_fetched_while_rendering(self) -> None:
        report = report_of(self.alice, country="US", audit="")
        fetcher = OfflineFetcher()

        def no_network(*args: object, **kwargs: object) -> None:
            raise AssertionError("the report opened a network connection")

        with (
            mock.patch.object(socket, "socket", side_effect=no_network),
            mock.patch.object(socket, "create_connection", side_effect=no_network),
        ):
            from bounceback.progress.pdf import html_of

            pdf = pdf_from_html(html_of(report), fetcher)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertEqual(fetcher.refused, [])  # the report asks for nothing outside itself

    def test_the_links_to_the_report(self) -> None:
        client = signed_in(self.alice)
        self.assertIn('href="/progress/report.pdf"', client.get("/progress/").content.decode())
        self.assertIn('href="/progress/report.pdf"', client.get("/me/data/").content.decode())


class FetcherTest(SimpleTestCase):
    def test_the_fetcher_refuses_every_address_but_data(self) -> None:
        fetcher = OfflineFetcher()
        pixel = (
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
            "AAAABJRU5ErkJggg=="
        )
        html = (
            '<link rel="stylesheet" href="https://example.org/tracker.css">'
            '<img src="http://example.org/pixel.png"><img src="file:///etc/passwd">'
            f'<img src="{pixel}"><p style="background: url(ftp://example.org/x)">Hello</p>'
        )
        with mock.patch.object(socket, "socket", side_effect=AssertionError("network")):
            pdf = pdf_from_html(html, fetcher)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertEqual(
            sorted(fetcher.refused),
            sorted(
                [
                    "https://example.org/tracker.css",
                    "http://example.org/pixel.png",
                    "file:///etc/passwd",
                    "ftp://example.org/x",
                ]
            ),
        )
        self.assertIn("Hello", text_of(pdf))

    def test_a_report_without_any_history_says_so(self) -> None:
        report = build_report(
            records=[],
            days=[],
            today=date(2026, 12, 2),
            latest=None,
            safety_entries=None,
            crisis=resources_for("US"),
        )
        self.assertIsNone(report.latest)
        self.assertIsNone(report.safety_plan)
        self.assertTrue(report.progress.empty)
        self.assertEqual(report.made_on, "2 December 2026")
        text = text_of(report_pdf(report))
        self.assertIn(DISCLAIMER, text)
        self.assertIn("You have no finished check-up yet", text)

    def test_a_long_history_is_charted_whole_and_its_table_holds_the_latest_results(self) -> None:
        start = datetime(2025, 1, 6, 9, tzinfo=UTC)
        records = [
            Record(
                n, start + timedelta(days=14 * n), score("phq9", {f"phq9_{i}": n % 4 for i in range(1, 10)})
            )
            for n in range(TABLE_ROWS + 8)
        ]
        report = build_report(
            records=records,
            days=[],
            today=date(2026, 12, 2),
            latest=None,
            safety_entries=None,
            crisis=resources_for("US"),
        )
        (trend,) = report.trends
        self.assertEqual((trend.shown, trend.earlier), (TABLE_ROWS, 8))
        self.assertEqual(
            trend.table.count("<tr>"), TABLE_ROWS + 1
        )  # the heading's row and the latest results
        self.assertIn(trend.section.rows[-1].day, trend.table)
        self.assertNotIn(f">{trend.section.rows[0].day}<", trend.table)
        self.assertEqual(len(trend.section.series.complete), TABLE_ROWS + 8)  # the chart draws every result
        text = text_of(report_pdf(report))
        self.assertIn(
            f"The latest {TABLE_ROWS} results; the 8 before them are drawn in the chart above", text
        )


class WithoutPangoTest(TestCase):
    """A server without Debian's Pango still runs every page; only the PDF says it is unavailable."""

    def test_the_report_says_it_is_unavailable_and_nothing_else_breaks(self) -> None:
        import builtins

        real_import = builtins.__import__

        def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
            if name == "weasyprint" or name.startswith("weasyprint."):
                raise OSError("cannot load library 'libpango-1.0-0'")
            return real_import(name, *args, **kwargs)

        member = make_user("pangoless")
        client = Client()
        client.force_login(member)
        saved = {
            k: v
            for k, v in sys.modules.items()
            if k == "bounceback.progress.pdf" or k.startswith("weasyprint")
        }
        for name in saved:
            del sys.modules[name]
        try:
            with mock.patch("builtins.__import__", no_weasyprint):
                response = client.get("/progress/report.pdf")
                self.assertEqual(response.status_code, 503)
                self.assertContains(response, "The PDF report is not available right now", status_code=503)
                self.assertEqual(client.get("/progress/").status_code, 200)
        finally:
            sys.modules.update(saved)
