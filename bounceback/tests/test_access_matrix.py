"""The access matrix (hazard H13, test T13): every URL the resolver knows × nine personas → the expected answer.

Every pattern of the URL resolver (the site's own pages, allauth's ``accounts/`` and the admin's ``admin/``)
must have a row in ``ROWS`` (the admin's model pages by the rule in ``ADMIN_MODEL_PAGE``): a new URL without
one fails ``test_every_url_has_a_row``. Each row fills the pattern's parameters with member A's real objects
(her check-up, care relationship, share, alert, thread, visit, notification…) and says, for each persona,
what a GET (and, for the endpoints that change A's things, a POST) must answer:

- ``200``, ``403``, ``405``: that status;
- ``L``: a redirect to the sign-in page; ``AL``: to the admin's sign-in page; ``R``: another redirect;
- ``404``: refused, byte for byte the page the same persona gets for a missing object (the row's parameters
  filled with ids nobody has), or for a missing page when the row names no object;
- ``-``: not requested (a POST that would change A's things for someone allowed to change them).

Forbidden POSTs must change nothing of A's. And no response to anyone carries another person's data: A's
name, address and words (her message, her reason for the visit, her journal, her safety plan, the visit's
summary and notes) reach only A, and C1 with whom she shares them; the clinicians in her care and her clinic's
administrator may see her name (it comes with agreeing to care, and with a safety alert), never her words. B's
name and words reach only B. Only C1 reads what A shares (her access log). No page loads anything from another
origin and no CSP allows one; the site's addresses never name an object by a number.

Personas: anonymous; a visitor holding a check-up in the session; member A (in care with C1 and C3 at clinic
K1); member B (not in care); clinician C1 (A shares results, check-ins and her safety plan); clinician C2 of K1
(no share, not in A's care); clinician C3 of K1 (A shared, then stopped the share); clinician C4 of clinic K2;
K1's administrator. Staff have two-factor sign-in set up; ``force_login`` stands for a finished sign-in.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from pypdf import PdfReader

from bounceback.accounts.models import User
from bounceback.alerts.models import Alert
from bounceback.care import actions as care_actions
from bounceback.care.access import PROFILE
from bounceback.care.models import CareRelationship, ClinicianRead, Share
from bounceback.checkups import actions as checkup_actions
from bounceback.checkups.links import step_token
from bounceback.checkups.models import CheckUp
from bounceback.clinics import actions as clinic_actions
from bounceback.clinics.models import Invitation, Staff, TimeOff
from bounceback.dashboard import actions as dashboard_actions
from bounceback.dashboard.models import Assignment
from bounceback.messaging import actions as messaging_actions
from bounceback.messaging.models import Message, Thread
from bounceback.reminders.channels import unsubscribe_token
from bounceback.reminders.models import Notification, ReminderSettings
from bounceback.reminders.rules import REASSESSMENT
from bounceback.safetyplan import actions as plan_actions
from bounceback.safetyplan.models import SafetyPlanEntry
from bounceback.safetyplan.steps import ON_MY_OWN, WARNING_SIGNS
from bounceback.test import (
    CALM_ANSWERS,
    make_clinic,
    make_clinic_admin,
    make_clinician,
    make_user,
    member_checkup,
    start_care,
    visitor_checkup,
)
from bounceback.tracking.actions import local_today, save_checkin
from bounceback.tracking.models import CheckIn
from bounceback.visits import notes as visit_notes
from bounceback.visits.models import Appointment, VisitNote

PERSONAS = ("anon", "visitor", "A", "B", "C1", "C2", "C3", "C4", "admin")

# Nine expectations, in PERSONAS order: anon, visitor, A, B, C1, C2, C3, C4, admin.
PUBLIC = "200 200 200 200 200 200 200 200 200"
MEMBERS = "L   L   200 200 404 404 404 404 404"
SIGNED_IN = "L   L   200 200 200 200 200 200 200"
CLINICIANS = "L   L   404 404 200 200 200 200 404"
ADMINS = "L   L   404 404 404 404 404 404 200"
STAFF = "L   L   404 404 200 200 200 200 200"
POST_ONLY = "L   L   405 405 405 405 405 405 405"
POST_ONLY_PUBLIC = "405 405 405 405 405 405 405 405 405"
ADMIN_SITE = "AL  AL  AL  AL  AL  AL  AL  AL  AL"
ELSEWHERE = "L   L   R   R   R   R   R   R   R"
NOT_FOUND = "L   L   404 404 404 404 404 404 404"


@dataclass(frozen=True)
class Row:
    """One URL pattern: what fills its parameters (keys of ``AccessMatrixTest.values``), what GET answers each persona,
    and (for endpoints acting on A's things) what a POST answers."""

    get: str
    post: str = ""
    fill: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)


ROWS: dict[str, Row] = {
    # --- Public pages -----------------------------------------------------------------------------------------
    "": Row(PUBLIC),
    "help/": Row(PUBLIC),
    "health/": Row(PUBLIC),
    "help/young-people/": Row(PUBLIC),
    "instruments/": Row(PUBLIC),
    "instruments/<slug:instrument_id>/": Row(PUBLIC, fill={"instrument_id": "instrument"}),
    "privacy/": Row(PUBLIC),
    "terms/": Row(PUBLIC),
    "about/": Row(PUBLIC),
    "favicon.ico": Row(PUBLIC),
    "evidence/": Row(PUBLIC),
    "practice/": Row(PUBLIC),
    "practice/done/": Row(POST_ONLY_PUBLIC),
    "sw.js": Row(PUBLIC),
    # --- Check-ups: A's completed check-up -------------------------------------------------------------------
    "checkup/": Row(PUBLIC),
    "checkup/<uuid:public_id>/": Row(
        "404 404 R   404 404 404 404 404 404",
        post="404 404 -   404 404 404 404 404 404",
        fill={"public_id": "checkup"},
        data={"action": "safe"},
    ),
    "checkup/<uuid:public_id>/p/<slug:token>/": Row(
        "404 404 R   404 404 404 404 404 404",
        post="404 404 -   404 404 404 404 404 404",
        fill={"public_id": "checkup", "token": "step"},
        data={"action": "decline"},
    ),
    "checkup/<uuid:public_id>/answer/": Row(
        POST_ONLY_PUBLIC,
        post="404 404 -   404 404 404 404 404 404",
        fill={"public_id": "checkup"},
        data={"item": "phq9_1", "phq9_1": "3"},
    ),
    "checkup/<uuid:public_id>/keep/": Row(
        POST_ONLY, post="L   L   -   404 404 404 404 404 404", fill={"public_id": "checkup"}
    ),
    "checkup/<uuid:public_id>/results/": Row(
        "404 404 200 404 404 404 404 404 404", fill={"public_id": "checkup"}
    ),
    "checkup/<uuid:public_id>/plan/": Row(
        "404 404 200 404 404 404 404 404 404", fill={"public_id": "checkup"}
    ),
    "me/": Row(SIGNED_IN),
    "checkup/due/": Row(MEMBERS),
    # --- Each member's own pages (their own data only) --------------------------------------------------------
    "checkin/": Row(MEMBERS),
    "checkin/<str:day>/": Row(MEMBERS, fill={"day": "day"}),
    "checkin/<str:day>/answer/": Row(POST_ONLY, fill={"day": "day"}),
    "safety-plan/": Row(MEMBERS),
    "safety-plan/entries/<str:public_id>/": Row(
        POST_ONLY,
        post="L   L   -   404 404 404 404 404 404",
        fill={"public_id": "entry"},
        data={"text": "overwritten by someone else", "action": "save"},
    ),
    "reminders/": Row(MEMBERS),
    "reminders/unsubscribe/<str:token>/": Row(PUBLIC, fill={"token": "unsubscribe"}),
    "reminders/notifications/<uuid:public_id>/dismiss/": Row(
        POST_ONLY, post="L   L   -   404 404 404 404 404 404", fill={"public_id": "reminder"}
    ),
    "notifications/": Row(SIGNED_IN),
    "notifications/<uuid:public_id>/open/": Row(
        POST_ONLY, post="L   L   -   404 404 404 404 404 404", fill={"public_id": "notice"}
    ),
    "reminders/push/subscribe/": Row(POST_ONLY),
    "reminders/push/unsubscribe/": Row(POST_ONLY),
    "progress/": Row(SIGNED_IN),
    "progress/report.pdf": Row(SIGNED_IN),
    "me/data/": Row(SIGNED_IN),
    "me/data/download/": Row(POST_ONLY),
    "me/delete/": Row(SIGNED_IN),
    "me/deleted/": Row("R   R   R   R   R   R   R   R   R"),
    "me/region/": Row(MEMBERS),
    # --- Care: A's relationship with C1 and its share ----------------------------------------------------------
    "care/": Row(MEMBERS),
    "care/access-log/": Row(MEMBERS),
    "care/<uuid:public_id>/": Row(
        "L   L   200 404 404 404 404 404 404",
        post="L   L   -   404 404 404 404 404 404",
        fill={"public_id": "relationship"},
        data={"kinds": "results", "last_day": "2099-01-01"},
    ),
    "care/<uuid:public_id>/end/": Row(
        "L   L   200 404 404 404 404 404 404",
        post="L   L   -   404 404 404 404 404 404",
        fill={"public_id": "relationship"},
    ),
    "care/<uuid:public_id>/shares/<uuid:share_id>/stop/": Row(
        POST_ONLY,
        post="L   L   -   404 404 404 404 404 404",
        fill={"public_id": "relationship", "share_id": "share"},
    ),
    "clinician/members/": Row(CLINICIANS),
    "clinician/members/<str:public_id>/": Row(
        "L   L   404 404 200 404 404 404 404", fill={"public_id": "member"}
    ),
    "clinician/members/<str:public_id>/<str:kind>/": Row(
        "L   L   404 404 200 404 404 404 404", fill={"public_id": "member", "kind": "kind"}
    ),
    # --- Safety alerts: A's alert (her clinicians in care, C1 and C3, and the clinic's administrator) ---------
    "alerts/": Row(STAFF),
    "alerts/on-call/": Row(ADMINS),
    "alerts/<uuid:public_id>/acknowledge/": Row(
        POST_ONLY,
        post="L   L   404 404 -   404 -   404 -",
        fill={"public_id": "alert"},
        data={"action": "contacted", "note": "done"},
    ),
    "alerts/<uuid:public_id>/follow-up/": Row(
        POST_ONLY, post="L   L   404 404 -   404 -   404 -", fill={"public_id": "alert"}
    ),
    # --- Messages: A's thread with C1 ----------------------------------------------------------------------------
    "messages/": Row("L   L   200 200 200 200 200 200 404"),
    "messages/new/": Row("L   L   200 200 200 200 200 200 404"),
    "messages/waiting/": Row(ADMINS),
    "messages/<str:public_id>/": Row(
        "L   L   200 404 200 404 404 404 404",
        post="L   L   -   404 -   404 404 404 404",
        fill={"public_id": "thread"},
        data={"body": "a word from someone else"},
    ),
    # --- Visits: A's visit with C1, in progress now, with a published summary and shared notes ----------------
    "care/find/": Row(MEMBERS),
    "care/clinicians/<str:public_id>/": Row(MEMBERS, fill={"public_id": "clinician"}),
    "care/clinicians/<str:public_id>/book/": Row(MEMBERS, fill={"public_id": "clinician"}),
    "visits/": Row(SIGNED_IN),
    "visits/<str:public_id>/": Row("L   L   200 404 200 404 404 404 404", fill={"public_id": "visit"}),
    "visits/<str:public_id>/cancel/": Row(
        POST_ONLY, post="L   L   -   404 -   404 404 404 404", fill={"public_id": "visit"}
    ),
    "visits/<str:public_id>/reschedule/": Row(
        POST_ONLY, post="L   L   -   404 -   404 404 404 404", fill={"public_id": "visit"}
    ),
    "visits/<str:public_id>/invite.ics": Row(
        "L   L   200 404 200 404 404 404 404", fill={"public_id": "visit"}
    ),
    "visits/<str:public_id>/summary/": Row(
        "L   L   200 404 404 404 404 404 404", fill={"public_id": "visit"}
    ),
    "visits/<str:public_id>/notes/": Row(
        "L   L   404 404 200 404 404 404 404",
        post="L   L   404 404 -   404 404 404 404",
        fill={"public_id": "visit"},
        data={"summary": "rewritten by someone else", "notes": "rewritten", "action": "save"},
    ),
    "visits/<str:public_id>/room/": Row("404 404 200 404 200 404 404 404 404", fill={"public_id": "visit"}),
    "visits/<str:public_id>/room/join/": Row(
        POST_ONLY_PUBLIC, post="404 404 -   404 -   404 404 404 404", fill={"public_id": "visit"}
    ),
    "visits/<str:public_id>/room/signal/": Row(
        POST_ONLY_PUBLIC,
        post="404 404 -   404 -   404 404 404 404",
        fill={"public_id": "visit"},
        data={"kind": "offer", "payload": '{"type": "offer", "sdp": "v=0"}'},
    ),
    "visits/<str:public_id>/room/news/": Row(
        POST_ONLY_PUBLIC,
        post="404 404 -   404 -   404 404 404 404",
        fill={"public_id": "visit"},
        data={"since": "0", "state": "new"},
    ),
    # --- The clinic: K1's invitation, C1's place on its staff and time off --------------------------------------
    "clinic/": Row(ADMINS),
    "clinic/invitations/": Row(
        POST_ONLY, post="L   L   404 404 404 404 404 404 -", data={"email": "x@example.org"}
    ),
    "clinic/invitations/<str:public_id>/withdraw/": Row(
        POST_ONLY, post="L   L   404 404 404 404 404 404 -", fill={"public_id": "invitation"}
    ),
    "clinic/staff/<str:public_id>/active/": Row(
        POST_ONLY, post="L   L   404 404 404 404 404 404 -", fill={"public_id": "staff"}, data={"active": "0"}
    ),
    "^invite/(?P<token>[^/]+)/$": Row(
        "200 200 403 403 403 403 403 403 403", fill={"token": "invitation_token"}
    ),
    "clinician/profile/": Row(CLINICIANS),
    "clinician/availability/": Row(CLINICIANS),
    "clinician/availability/time-off/": Row(POST_ONLY),
    "clinician/availability/time-off/<str:public_id>/remove/": Row(
        POST_ONLY, post="L   L   404 404 -   404 404 404 404", fill={"public_id": "time_off"}
    ),
    # --- The dashboard: C1's assignment of a measure to A ----------------------------------------------------------
    "clinician/": Row(CLINICIANS),
    "clinician/assign/<str:public_id>/": Row(
        "L   L   404 404 200 404 200 404 404",
        post="L   L   404 404 -   404 -   404 404",
        fill={"public_id": "member"},
        data={"instruments": "gad7", "every_days": "7", "reason": "asked by someone else"},
    ),
    "clinician/assign/<str:public_id>/<str:assignment_id>/stop/": Row(
        POST_ONLY,
        post="L   L   404 404 -   404 -   404 404",
        fill={"public_id": "member", "assignment_id": "assignment"},
    ),
    "clinic/outcomes/": Row(ADMINS),
    "clinic/audit/": Row(ADMINS),
    # --- Framework pages: allauth (sign-in, sign-up, two-factor…) ------------------------------------------------
    "accounts/login/": Row("200 200 R   R   R   R   R   R   R"),
    "accounts/logout/": Row("R   R   200 200 200 200 200 200 200"),
    "accounts/inactive/": Row(PUBLIC),
    "accounts/signup/": Row("200 200 R   R   R   R   R   R   R"),
    "accounts/reauthenticate/": Row(SIGNED_IN),
    "accounts/email/": Row(SIGNED_IN),
    "accounts/confirm-email/": Row(PUBLIC),
    "accounts/password/change/": Row(SIGNED_IN),
    "accounts/password/set/": Row(ELSEWHERE),
    "accounts/password/reset/": Row(PUBLIC),
    "accounts/login/code/confirm/": Row(ELSEWHERE),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Row(PUBLIC, fill={"key": "bogus_key"}),
    "accounts/password/reset/key/done/": Row(PUBLIC),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Row(
        PUBLIC, fill={"uidb36": "uidb36", "key": "bogus_key"}
    ),
    "accounts/password/reset/done/": Row(PUBLIC),
    "accounts/2fa/": Row(SIGNED_IN),
    "accounts/2fa/authenticate/": Row(ELSEWHERE),
    "accounts/2fa/reauthenticate/": Row("L   L   R   R   200 200 200 200 200"),
    "accounts/2fa/totp/activate/": Row(ELSEWHERE),
    "accounts/2fa/totp/deactivate/": Row("L   L   404 404 R   R   R   R   R"),
    "accounts/2fa/recovery-codes/": Row(NOT_FOUND),
    "accounts/2fa/recovery-codes/generate/": Row(ELSEWHERE),
    "accounts/2fa/recovery-codes/download/": Row(NOT_FOUND),
    "accounts/2fa/webauthn/": Row(SIGNED_IN),
    "accounts/2fa/webauthn/add/": Row(ELSEWHERE),
    "accounts/2fa/webauthn/reauthenticate/": Row(ELSEWHERE),
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": Row(ELSEWHERE, fill={"pk": "number"}),
    "accounts/2fa/webauthn/keys/<int:pk>/edit/": Row(ELSEWHERE, fill={"pk": "number"}),
    "accounts/sessions/": Row(SIGNED_IN),
    # --- Framework pages: the admin site (nobody here is staff: every page sends to its sign-in) ---------------
    "admin/": Row(ADMIN_SITE),
    "admin/login/": Row("L   L   403 403 403 403 403 403 403"),
    "admin/logout/": Row("R   R   R   R   R   R   R   R   R"),
    "admin/password_change/": Row(ADMIN_SITE),
    "admin/password_change/done/": Row(ADMIN_SITE),
    "admin/autocomplete/": Row(ADMIN_SITE),
    "admin/jsi18n/": Row(ADMIN_SITE),
    "admin/r/<path:content_type_id>/<path:object_id>/": Row(
        ADMIN_SITE, fill={"content_type_id": "user_type", "object_id": "member_pk"}
    ),
    "admin/accounts/user/<id>/password/": Row(ADMIN_SITE, fill={"id": "member_pk"}),
    "admin/^(?P<app_label>auth|account|mfa|usersessions|axes|django_tasks_database|accounts|audit|reminders)/$": Row(
        ADMIN_SITE, fill={"app_label": "accounts"}
    ),
    "admin/(?P<url>.*)$": Row(ADMIN_SITE, fill={"url": "no-such-admin-page/"}),
}

ADMIN_MODEL_PAGE = re.compile(r"admin/[a-z_]+/[a-z_]+/(add/|<path:object_id>/(history/|delete/|change/)?)?")
"""The admin's pages for each registered model (list, add, history, delete, change, and the old change
address): like every admin page, closed to everyone who is not staff, so the rule covers models added later."""
ADMIN_MODEL_ROW = Row(ADMIN_SITE, fill={"object_id": "member_pk"})


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern, as the route text from the root (``checkup/<uuid:public_id>/``)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def row_for(route: str) -> Row | None:
    if route in ROWS:
        return ROWS[route]
    if ADMIN_MODEL_PAGE.fullmatch(route):
        return ADMIN_MODEL_ROW
    return None


CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def fill(route: str, values: dict[str, str]) -> str:
    """The route with each parameter replaced by its value (regex routes lose their anchors)."""
    path = GROUP.sub(lambda m: values[m.group(1)], route)
    path = CONVERTER.sub(lambda m: values[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def outcome(response: HttpResponse) -> str:
    if response.status_code in (301, 302, 303):
        where = response["Location"]
        if where.startswith("/accounts/login/"):
            return "L"
        if where.startswith("/admin/login/"):
            return "AL"
        return "R"
    return str(response.status_code)


def body(response: HttpResponse) -> str:
    """The response as text to search (a PDF's text, white space made single spaces)."""
    if getattr(response, "streaming", False):
        return ""
    if response.get("Content-Type", "").startswith("application/pdf"):
        pages = PdfReader(io.BytesIO(response.content)).pages
        return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))
    return response.content.decode("utf-8", "replace")


LOADED_FROM = re.compile(
    r"""(?:\bsrc|<link\b[^>]*\bhref)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", re.IGNORECASE
)
CSP_ORIGIN = re.compile(r"(?:https?:)?//[^\s;]+|\*")


def third_party(response: HttpResponse, text: str) -> list[str]:
    """Scripts, styles, images or frames the page loads from another origin, and any origin its CSP allows
    beside its own (T13: no third-party origin in any page or the CSP)."""
    policy = response.get("Content-Security-Policy", "")
    if not response.get("Content-Type", "").startswith("text/html"):
        return CSP_ORIGIN.findall(policy)
    return LOADED_FROM.findall(text) + CSP_ORIGIN.findall(policy) + ([] if policy else ["(no CSP header)"])


A_NAME = ("Marisol", "Quennell")
A_WORDS = {
    "subject": "Lighthouse keeper worries",
    "message": "the orchard ladder dream came back",
    "reply": "shall we talk about the ladder dream",
    "reason": "sleeplessness since the ferry accident",
    "journal": "walked to the quarry pond alone",
    "plan": "call my cousin Ottoline",
    "summary": "practise the harbour breathing",
    "notes": "grief about the ferry is heavy",
}
B_NAME = ("Bertram", "Vandersloot")
B_WORDS = {"journal": "the violin recital went badly", "plan": "sit in the greenhouse with Pim"}


class AccessMatrixTest(TestCase):
    values: dict[str, str]
    missing: dict[str, str]
    people: dict[str, User]

    @classmethod
    def setUpTestData(cls) -> None:
        now = timezone.now()
        k1, k2 = make_clinic(), make_clinic("Hillside Therapy")
        c1, c2, c3 = (make_clinician(n, k1) for n in ("cora", "cato", "cyril"))
        c4 = make_clinician("cosima", k2)
        admin = make_clinic_admin("adela", k1)
        a, b = make_user("marisolq"), make_user("bertramv")
        for person, (first, last) in ((a, A_NAME), (b, B_NAME)):
            person.first_name, person.last_name, person.region = first, last, "US-NY"
            person.save()
        cls.people = {"A": a, "B": b, "C1": c1, "C2": c2, "C3": c3, "C4": c4, "admin": admin}

        # A in care: C1 with everything shared; C3 shared too, then she stopped it.
        relationship, share = start_care(a, c1)
        relationship3 = care_actions.agree_to_care(a, c3)
        share3 = care_actions.share_with(
            a, relationship3, ["results", "checkins"], local_today(a) + timedelta(9)
        )
        assert share3 is not None
        assert care_actions.revoke_share(a, share3)

        checkup = member_checkup(a, CALM_ANSWERS)
        assert checkup_actions.complete_if_done(checkup, actor=a)
        member_checkup(a, {"phq9_9": 1})  # raises a safety alert to her clinicians
        alert = Alert.objects.get(member=a)
        save_checkin(a, local_today(a), {"mood": 3, "note": A_WORDS["journal"]})
        save_checkin(b, local_today(b), {"mood": 4, "note": B_WORDS["journal"]})
        entry = plan_actions.add_entry(a, ON_MY_OWN, A_WORDS["plan"])
        assert entry is not None
        plan_actions.add_entry(b, WARNING_SIGNS, B_WORDS["plan"])

        visit = Appointment.objects.create(
            relationship=relationship,
            member=a,
            clinician=c1,
            starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(minutes=40),
            reason=A_WORDS["reason"],
            share=share,
        )
        visit_notes.save_note(
            c1, visit, summary=A_WORDS["summary"], notes=A_WORDS["notes"], publish=True, share=True
        )
        thread = messaging_actions.start_thread(a, relationship, A_WORDS["subject"], A_WORDS["message"])
        messaging_actions.send_message(c1, thread, A_WORDS["reply"])
        (assignment,) = dashboard_actions.assign(c1, relationship, ["phq9"], 14, "checking on sleep")
        reminder = Notification.objects.create(member=a, item=REASSESSMENT, due_date=local_today(a))
        notice = Notification.objects.create(member=a, item="message.new", due_date=local_today(a))
        invitation, token = clinic_actions.invite(admin, k1, "newcomer@example.org")
        day = local_today(c1) + timedelta(days=20)
        time_off = clinic_actions.add_time_off(c1, day, day)

        cls.values = {
            "instrument": "phq9",
            "checkup": str(checkup.public_id),
            "step": step_token(checkup, checkup.battery.steps[0].id),
            "day": local_today(a).isoformat(),
            "entry": str(entry.public_id),
            "unsubscribe": unsubscribe_token(a),
            "reminder": str(reminder.public_id),
            "notice": str(notice.public_id),
            "relationship": str(relationship.public_id),
            "share": str(share.public_id),
            "member": str(a.public_id),
            "kind": "results",
            "alert": str(alert.public_id),
            "thread": str(thread.public_id),
            "clinician": str(c1.public_id),
            "visit": str(visit.public_id),
            "invitation": str(invitation.public_id),
            "invitation_token": token,
            "staff": str(c1.public_id),
            "time_off": str(time_off.public_id),
            "assignment": str(assignment.public_id),
            "bogus_key": "no-such-key",
            "uidb36": "zz",
            "number": "1",
            "user_type": str(ContentType.objects.get_for_model(User).pk),
            "member_pk": str(a.pk),
            "accounts": "accounts",
            "no-such-admin-page/": "no-such-admin-page/",
        }
        nobody = str(uuid.UUID(int=0x4000_8000_0000_0000_0000 | 0xABCDEF))
        cls.missing = {
            **cls.values,
            **{
                key: nobody
                for key in [
                    "checkup",
                    "entry",
                    "reminder",
                    "notice",
                    "relationship",
                    "share",
                    "member",
                    "alert",
                    "thread",
                    "clinician",
                    "visit",
                    "invitation",
                    "staff",
                    "time_off",
                    "assignment",
                ]
            },
            "step": "0" * 16,
            "unsubscribe": "no-such-token",
            "invitation_token": "no-such-token",
        }

    def setUp(self) -> None:
        self.clients = {"anon": Client()}
        self.clients["visitor"] = Client()
        visitor_checkup(self.clients["visitor"], {"phq9_1": 0})
        for key, person in self.people.items():
            client = Client()
            client.force_login(person)
            self.clients[key] = client

    def request(self, persona: str, method: str, path: str, data: dict[str, str]) -> HttpResponse:
        client = self.clients[persona]
        response = client.post(path, data) if method == "POST" else client.get(path)
        return response  # type: ignore[return-value]

    def may_see(self, persona: str) -> tuple[list[str], list[str]]:
        """What of A's and of B's this persona may find in a response."""
        a_name = list(A_NAME)
        a_all = [*A_NAME, self.people["A"].email, *A_WORDS.values()]
        b_all = [*B_NAME, self.people["B"].email, *B_WORDS.values()]
        return {
            "A": (a_all, []),
            "C1": (a_all, []),
            "C3": (a_name, []),
            "admin": (a_name, []),
            "B": ([], b_all),
        }.get(persona, ([], []))

    def secrets(self) -> list[str]:
        return self.may_see("A")[0] + self.may_see("B")[1]

    def leaks(self, persona: str, text: str) -> list[str]:
        a_ok, b_ok = self.may_see(persona)
        return [s for s in self.secrets() if s not in a_ok + b_ok and s in text]

    def fingerprint(self) -> list[object]:
        """A's things the forbidden POSTs must leave as they were."""
        a = self.people["A"]
        return [
            list(
                Alert.objects.filter(member=a).values_list("acknowledged_at", "follow_up_done_at", "action")
            ),
            list(
                Share.objects.filter(relationship__member=a).order_by("pk").values_list("revoked_at", "until")
            ),
            list(CareRelationship.objects.filter(member=a).order_by("pk").values_list("ended_at", flat=True)),
            list(Appointment.objects.filter(member=a).order_by("pk").values_list("status", "starts_at")),
            [
                (n.summary, n.notes, n.summary_published_at)
                for n in VisitNote.objects.filter(appointment__member=a)
            ],
            sorted(m.body for m in Message.objects.filter(thread__relationship__member=a)),
            Thread.objects.filter(relationship__member=a).count(),
            sorted(e.text for e in SafetyPlanEntry.objects.filter(plan__owner=a)),
            list(Notification.objects.filter(member=a).order_by("pk").values_list("read_at", flat=True)),
            list(CheckUp.objects.filter(owner=a).order_by("pk").values_list("completed_at", "declined")),
            sorted(str(c.answers()) for c in CheckIn.objects.filter(owner=a)),
            list(Assignment.objects.order_by("pk").values_list("instrument", "stopped_at")),
            list(Invitation.objects.order_by("pk").values_list("withdrawn_at", flat=True)),
            list(Staff.objects.order_by("pk").values_list("active", flat=True)),
            TimeOff.objects.count(),
            list(ReminderSettings.objects.filter(member=a).values_list("email", flat=True)),
        ]

    def test_every_url_has_a_row(self) -> None:
        routes = [route for route, _pattern in patterns()]
        missing = [route for route in routes if row_for(route) is None]
        self.assertEqual(
            missing,
            [],
            "URL patterns without a row in the access matrix (add each to ROWS with its expectations)",
        )
        sequential = [r for r in routes if "<int:" in r and not r.startswith(("accounts/", "admin/"))]
        self.assertEqual(sequential, [], "the site's addresses name objects by opaque ids, never by numbers")
        stale = sorted(set(ROWS) - set(routes))
        self.assertEqual(stale, [], "rows in the access matrix for URL patterns that no longer exist")

    def test_a_visitors_checkup_is_theirs_alone(self) -> None:
        """The visitor's check-up (held by the secret in their session) is the same 404 as a missing one for
        everyone else, A included."""
        checkup = CheckUp.objects.get(owner=None)
        for address in ("/checkup/{}/", "/checkup/{}/results/", "/checkup/{}/plan/"):
            path = address.format(checkup.public_id)
            self.assertIn(self.clients["visitor"].get(path).status_code, (200, 302), path)
            for persona in PERSONAS[:1] + PERSONAS[2:]:
                response = self.clients[persona].get(path)
                missing = self.clients[persona].get(address.format(self.missing["checkup"]))
                self.assertEqual(
                    (response.status_code, response.content),
                    (404, missing.content),
                    f"GET {path} as {persona}: not the 404 of a missing check-up",
                )

    def test_every_url_for_every_persona(self) -> None:
        failures: list[str] = []
        before = self.fingerprint()
        cells = 0
        seen: dict[str, set[str]] = {persona: set() for persona in PERSONAS}
        for route, pattern in patterns():
            row = row_for(route)
            if row is None:
                continue  # test_every_url_has_a_row names it
            path = fill(route, self._values(row, self.values))
            missing_path = fill(route, self._values(row, self.missing))
            if resolve(path).func != pattern.callback:
                failures.append(f"/{route} filled as {path} leads to another view")
                continue
            for method, spec in (("GET", row.get), ("POST", row.post)):
                if not spec:
                    continue
                expected = dict(zip(PERSONAS, spec.split(), strict=True))
                for persona in PERSONAS:
                    want = expected[persona]
                    if want == "-":
                        continue
                    cells += 1
                    response = self.request(persona, method, path, row.data)
                    got = outcome(response)
                    where = f"{method} /{route} as {persona} ({path})"
                    if got != want:
                        failures.append(f"{where}: expected {want}, got {got}")
                    elif want == "404":
                        if missing_path != path:
                            reference = self.request(persona, method, missing_path, row.data)
                        else:  # asked afresh: a page just read can change the header (unread counts)
                            reference = self.request(persona, method, "/no-such-page-here/", {})
                        if reference.status_code != 404 or reference.content != response.content:
                            failures.append(f"{where}: the 404 differs from the one for a missing object")
                    text = body(response)
                    seen[persona].update(s for s in self.secrets() if s in text)
                    leaked = self.leaks(persona, text)
                    foreign = third_party(response, text)
                    if foreign:
                        failures.append(f"{where}: loads from another origin: {foreign}")
                    if leaked:
                        failures.append(f"{where}: shows another person's data: {leaked}")
        self.assertEqual(self.fingerprint(), before, "a forbidden POST changed A's things")
        # Only C1 read anything A shares (the others' access-log lines, if any, say only that she is in their care).
        readers = set(
            ClinicianRead.objects.filter(member=self.people["A"])
            .exclude(what=PROFILE)
            .values_list("clinician__username", flat=True)
        )
        self.assertEqual(
            readers, {self.people["C1"].username}, "a clinician read what A does not share with them"
        )
        self.assertGreater(cells, 1000)
        # The words looked for are really on the pages of those who may see them (else the search proves nothing).
        a_words = set(self.may_see("A")[0])
        self.assertEqual(a_words - seen["A"] - seen["C1"], set(), "A's data shown nowhere to A or C1")
        b_words = {self.people["B"].email, *B_WORDS.values()}  # (B's own pages never name her)
        self.assertEqual(b_words - seen["B"], set(), "B's data shown nowhere to B")
        self.assertEqual(failures, [], f"{len(failures)} of {cells} cells failed:\n" + "\n".join(failures))

    @staticmethod
    def _values(row: Row, values: dict[str, str]) -> dict[str, str]:
        return {param: values[key] for param, key in row.fill.items()}
