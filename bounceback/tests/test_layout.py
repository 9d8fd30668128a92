"""The layout keeps its rules: each app its own URLs, views read personal data only through access functions,
and a GET never changes health data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from bounceback.test import CALM_ANSWERS, make_user, member_checkup

ROOT = Path(__file__).resolve().parents[1]
PERSONAL_MODELS = {
    "CheckUp",
    "Answer",
    "StoredResult",
    "SafetyEvent",
    "MindfulnessSession",
    "AuditEvent",
    "CheckIn",
    "SafetyPlan",
    "SafetyPlanEntry",
    "CareRelationship",
    "Share",
    "ClinicianRead",
    "Appointment",
    "VisitNote",
    "Thread",
    "Message",
    "ThreadRead",
    "Alert",
    "AlertStep",
    "OnCall",
    "Signal",
    "Presence",
    "Staff",
    "ClinicianProfile",
    "WeeklyHours",
    "TimeOff",
    "Invitation",
    "Notification",
    "Outbox",
}
APPS_WITH_PAGES = (
    "front",
    "checkups",
    "plans",
    "safetyplan",
    "tracking",
    "progress",
    "reminders",
    "datarights",
    "clinics",
    "care",
    "visits",
    "messaging",
    "video",
    "alerts",
)


def test_each_app_with_pages_has_its_own_urls() -> None:
    root_urls = (ROOT / "urls.py").read_text()
    for app in APPS_WITH_PAGES:
        assert (ROOT / app / "urls.py").is_file(), app
        assert f'include("bounceback.{app}.urls")' in root_urls, app
    handlers = re.sub(r'^handler[0-9]{3} = "bounceback\.front\.views\.[a-z_]+"$', "", root_urls, flags=re.M)
    assert "views" not in handlers, "the root URLconf only includes (and names the error handlers)"


def test_no_view_queries_a_personal_model_directly() -> None:
    offenders = []
    for views in sorted({*ROOT.glob("*/views.py"), *ROOT.glob("*/*_views.py"), *ROOT.glob("*/views/*.py")}):
        for node in ast.walk(ast.parse(views.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in PERSONAL_MODELS
            ):
                offenders.append(f"{views.relative_to(ROOT)}:{node.lineno} {node.value.id}.objects")
    assert offenders == [], "views read personal data through access functions: " + ", ".join(offenders)


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _writes(queries: list[dict[str, str]]) -> list[str]:
    """Writes other than the audit trail's read entries (the entry and its chain head) and the session store."""
    return [
        q["sql"][:90]
        for q in queries
        if WRITE.match(q["sql"])
        and not any(table in q["sql"] for table in ("audit_auditevent", "audit_chainhead", "django_session"))
    ]


class GetWritesNothingTest(TestCase):
    def test_no_get_of_a_check_up_page_writes_health_data(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(alice, CALM_ANSWERS)
        client = Client()
        client.force_login(alice)
        base = f"/checkup/{checkup.public_id}/"
        for url in (
            base,
            f"{base}?step=brs",
            f"{base}results/",
            f"{base}plan/",
            "/me/",
            "/checkup/",
            "/practice/",
        ):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code in (200, 302), (url, response.status_code)
            assert _writes(ctx.captured_queries) == [], url
        checkup.refresh_from_db()
        assert not checkup.is_complete, "only a POST completes a check-up"
