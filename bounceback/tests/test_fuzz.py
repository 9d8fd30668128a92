"""Hostile values in every field of every form and htmx endpoint a person can reach: never a 500, never an
unescaped echo (issue 8, finding 6).

Three people use the site as they would, and every form they meet is read from the HTML they get (no address
of a form is written here):

- a visitor, who takes the check-up on the path that reaches every follow-up (the rest of the PHQ-9, item 9
  above 0 so the ASQ and the safety gate appear, the PCL-5 offer, the exercise minutes) to its results, then
  has a second check-up in progress, and asks for a password reset (the link in the email is followed too);
- the demo member (``seed_demo``), with the completed demo check-up and one in progress;
- the demo clinician, who signs in with their password and a two-factor code.

Each person follows the same-site links of the pages they reach (a crawl with a page limit that fails loudly),
and every ``<form>``, every element with ``hx-get``/``hx-post`` (with its ``hx-vals``, ``hx-params`` and the
fields of its form) and every endpoint a script posts to (``data-*-url``) is collected. Each field is then sent
with each hostile value while the other fields keep valid values (what the page had, a radio's chosen answer,
a fresh email address), and the ids in the paths the forms post to are replaced by non-ids and by another
person's id. The check-up's pages are fuzzed as the visitor reaches them, before moving on.

It fails, listing every case by page, form, field and value, on any response of 500 or more (or an exception),
on a markup payload found verbatim in a response body, and on another person's id that is not refused.

To keep the run short, a field is fuzzed once per (signed in or not, form/htmx/script, method, address with
its ids as placeholders, submit button, field name): the same field at the same address is read by the same
code whichever page shows it, so the check-up pages' page token and buttons are fuzzed on the first page and
each page's own questions on each; the CSRF token, checked by one middleware before any view, once per person
(signed in or not). A numbered series of three or more alike fields in one form
(``brs_1`` … ``brs_6``, from one definition) is fuzzed through its first, and one autosaving question of a
questionnaire stands for its siblings. The ids in an address are fuzzed once per address.
"""

from __future__ import annotations

import enum
import itertools
import json
import logging
import re
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client

from bounceback.accounts.models import User
from bounceback.checkups.access import SESSION_KEY
from bounceback.checkups.models import CheckUp
from bounceback.demo.care import DEMO_TOTP_SECRET, STAFF
from bounceback.demo.management.commands.seed_demo import DEMO_ACCOUNTS
from bounceback.test import CALM_ANSWERS, make_user

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
MARKUP = (SCRIPT, ATTRIBUTE)
"""Sent raw; a response may carry them escaped, never verbatim."""


class Special(enum.Enum):
    TWO_VALUES = "two values"
    MISSING = "missing"


HOSTILE: tuple[tuple[str, str | Special], ...] = (
    ("a 4,301-digit number", "9" * 4301),
    ("-1", "-1"),
    ("1.5", "1.5"),
    ("1e309", "1e309"),
    ("superscript two", "²"),
    ("Arabic-Indic digits", "١٢"),
    ("NUL", "\x00"),
    ("10,000 characters", "x" * 10_000),
    ("script markup", SCRIPT),
    ("attribute-breaking markup", ATTRIBUTE),
    ("empty", ""),
    ("whitespace", " \t\n "),
    ("two values (markup, then the page's value)", Special.TWO_VALUES),
    ("missing", Special.MISSING),
)
HOSTILE_SEGMENTS: tuple[tuple[str, str], ...] = (
    ("a non-id", "not-an-id"),
    ("a 4,301-digit number", "9" * 4301),
    ("NUL", quote("\x00")),
    ("Arabic-Indic digits", quote("١٢")),
    ("script markup", quote(SCRIPT, safe="")),
    ("attribute-breaking markup", quote(ATTRIBUTE, safe="")),
)

CSRF_FIELD = "csrfmiddlewaretoken"
PAGE_LIMIT = 100
"""Pages one person's crawl may visit: reaching it fails the test, never cuts the crawl short silently."""
WALK_LIMIT = 40
"""Pages of one check-up walk: more means the walk is stuck or the check-up has grown; either way, say so."""
SKIP = re.compile(r"^/(static|admin)/")
PASSPHRASE = "fuzzing passphrase, quite unusual 4242"
SCRIPTED_FIELDS: dict[str, dict[str, str]] = {
    "data-done-url": {"minutes": "5"},  # practice.js posts the minutes of a finished session
    "data-join-url": {},  # video.js: joining the visit's room
    "data-signal-url": {"kind": "hello", "payload": "{}"},  # video.js: a signal to the other side
    "data-news-url": {"since": "0", "state": "joining"},  # video.js: the once-a-second poll
}
"""What the site's scripts post to the address in each ``data-*-url`` attribute (with the page's CSRF token in a
header). An attribute not listed here fails the test: add the fields its script sends."""

VISITOR_PATH: dict[str, int] = {
    "phq9_1": 2,
    "phq9_2": 2,  # PHQ-2 of 4: the rest of the PHQ-9
    "phq9_9": 1,  # item 9 above 0: crisis panel, the ASQ, the safety gate
    "asq_1": 1,
    "asq_5": 0,  # a non-acute positive
    "gad7_1": 2,
    "gad7_2": 2,  # GAD-2 of 4: the rest of the GAD-7
    "pcptsd5_exposure": 1,
    **{f"pcptsd5_{n}": 1 for n in range(1, 6)},  # PC-PTSD-5 positive: the PCL-5 is offered
    "evs_days": 3,  # some exercise: the minutes are asked
    "evs_minutes": 30,
}
"""Answers that take the visitor to every follow-up; other questions get their first answer."""
FOLLOW_UPS = ("phq9_3", "asq_1", "asq_5", "pcl5_1", "evs_minutes")
"""Fields the visitor's walk must have met, so that a changed path cannot hide the follow-ups from the test."""

ID_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("<uuid>", re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")),
    ("<n>", re.compile(r"[0-9]+")),
    ("<date>", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")),
    ("<token>", re.compile(r"(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{12,}")),
    ("<token>", re.compile(r"[0-9a-z]+-set-password")),
    # allauth's reset address after its key is checked: the account number in base 36, which has no digit for
    # some numbers ("z-set-password"), so the pattern above would miss it depending on earlier tests.
)


def id_kind(segment: str) -> str | None:
    return next((kind for kind, pattern in ID_PATTERNS if pattern.fullmatch(segment)), None)


def url_pattern(url: str) -> str:
    """The address with its ids as placeholders, and only the names of its query parameters."""
    parts = urlsplit(url)
    path = "/".join(id_kind(s) or s for s in parts.path.split("/"))
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


def name_pattern(name: str) -> str:
    return re.sub(r"[0-9]+", "#", name)


# --- Reading pages ----------------------------------------------------------------------------------------


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    options: list[tuple[str, bool]] = field(default_factory=list)
    text: str = ""


@dataclass
class RawForm:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)


@dataclass
class HxElement:
    attrs: dict[str, str]
    form: int | None
    own: Control | None


HX_VERBS = ("hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete")
UNSUPPORTED_HX = ("hx-include", "hx-encoding")
SCRIPT_URL = re.compile(r"data-[a-z0-9-]+-url")


class PageParser(HTMLParser):
    """Links, forms with their controls, htmx elements and script endpoints, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[RawForm] = []
        self.hx: list[HxElement] = []
        self.scripted: list[dict[str, str]] = []
        self._form: int | None = None
        self._form_ids: dict[str, int] = {}
        self._detached: list[tuple[str, Control]] = []
        self._select: Control | None = None
        self._option: list[Any] | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            self.forms.append(RawForm(a))
            self._form = len(self.forms) - 1
            if a.get("id"):
                self._form_ids[a["id"]] = self._form
        control = None
        if tag in ("input", "select", "textarea", "button"):
            control = Control(tag, a)
            if a.get("form"):
                self._detached.append((a["form"], control))
            elif self._form is not None:
                self.forms[self._form].controls.append(control)
            if tag == "select":
                self._select = control
            elif tag == "textarea":
                self._textarea = control
        if tag == "option" and self._select is not None:
            self._end_option()
            self._option = [a.get("value"), "selected" in a, ""]
        if any(verb in a for verb in HX_VERBS):
            self.hx.append(HxElement(a, self._form, control))
        if any(SCRIPT_URL.fullmatch(k) for k in a):
            self.scripted.append(a)

    def _end_option(self) -> None:
        if self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append((text.strip() if value is None else value, selected))
        self._option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._end_option()
        elif tag == "select":
            self._end_option()
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[2] += data
        elif self._textarea is not None:
            self._textarea.text += data

    def close(self) -> None:
        super().close()
        for form_id, control in self._detached:
            if form_id in self._form_ids:
                self.forms[self._form_ids[form_id]].controls.append(control)


# --- Forms ------------------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str
    page_values: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    multiple: bool = False


@dataclass
class Form:
    """What a browser (or htmx, or a page's script) would send: a method, an address and fields."""

    page: str
    origin: str
    method: str
    action: str
    fields: list[Field]
    headers: dict[str, str] = field(default_factory=dict)
    vals: dict[str, str] = field(default_factory=dict)
    """An htmx element's hx-vals (also among the fields): what it saves."""

    submitter: str = ""
    """The name of the submit button this variant is sent with (a form with several is one variant each)."""

    def address(self, signed_in: bool) -> tuple[Any, ...]:
        return (signed_in, self.origin, self.method, url_pattern(self.action))

    def field_key(self, signed_in: bool, f: Field) -> tuple[Any, ...]:
        """Which field this is for the dedupe: its name, or for a numbered series (three or more alike in the
        form) and for an autosaving question, its name with numbers as #."""
        if f.name == CSRF_FIELD:  # checked by the same middleware before any view, whatever the address
            return (signed_in, CSRF_FIELD)
        alike = sum(name_pattern(g.name) == name_pattern(f.name) and g.kind == f.kind for g in self.fields)
        name = name_pattern(f.name) if alike >= 3 or self.origin == "htmx" else f.name
        return (*self.address(signed_in), self.submitter, name, f.kind)

    def identity(self, signed_in: bool) -> tuple[Any, ...]:
        names = sorted({name_pattern(f.name) for f in self.fields})
        vals = sorted((k, name_pattern(v)) for k, v in self.vals.items())
        return (*self.address(signed_in), self.submitter, tuple(names), tuple(vals))

    def describe(self) -> str:
        return f"{self.origin} {self.method.upper()} {self.action}"

    def fuzzed_fields(self) -> list[Field]:
        """Each field once, a numbered series (three or more alike) through its first; the answers first, then
        hidden fields and buttons (one of which may finish a check-up), the CSRF token last."""
        series: dict[tuple[str, str], list[Field]] = {}
        for f in self.fields:
            series.setdefault((name_pattern(f.name), f.kind), []).append(f)
        chosen = [
            f for group in series.values() for f in (group[:1] if len(group) >= 3 else group)
        ]  # keeps document order within each group
        order = {f.name: i for i, f in enumerate(self.fields)}
        chosen.sort(key=lambda f: order[f.name])
        return sorted(
            chosen,
            key=lambda f: (f.name == CSRF_FIELD, f.kind in ("hidden", "submit")),
        )


def fields_of(controls: Iterable[Control]) -> tuple[list[Field], list[tuple[str, str]]]:
    """The form's fields by name (radios and checkboxes grouped), and its named submit buttons."""
    fields: dict[str, Field] = {}
    submitters: list[tuple[str, str]] = []
    for c in controls:
        name = c.attrs.get("name", "")
        if not name or "disabled" in c.attrs:
            continue
        kind = c.attrs.get("type", "").lower()
        if c.tag == "button":
            if kind in ("", "submit"):
                submitters.append((name, c.attrs.get("value", "")))
            continue
        if c.tag == "input" and kind in ("submit", "image"):
            submitters.append((name, c.attrs.get("value", "")))
            continue
        if kind in ("button", "reset", "file"):
            continue
        kind = c.tag if c.tag in ("select", "textarea") else (kind or "text")
        f = fields.setdefault(name, Field(name, kind, attrs=c.attrs))
        if kind in ("radio", "checkbox"):
            value = c.attrs.get("value", "on")
            f.options.append(value)
            if "checked" in c.attrs:
                f.page_values.append(value)
        elif kind == "select":
            f.options += [v for v, _ in c.options]
            f.page_values += [v for v, selected in c.options if selected]
            f.multiple = "multiple" in c.attrs
        else:
            f.page_values.append(c.text if kind == "textarea" else c.attrs.get("value", ""))
    return list(fields.values()), submitters


def forms_on(page: str, parser: PageParser) -> list[Form]:
    """Every form (one per named submit button), htmx element and script endpoint on a page."""
    found: list[Form] = []
    for raw in parser.forms:
        fields, submitters = fields_of(raw.controls)
        action = urljoin(page, raw.attrs.get("action") or page)
        method = (raw.attrs.get("method") or "get").lower()
        by_name: dict[str, str] = {}
        for name, value in submitters:
            by_name.setdefault(name, value)  # each name with its first value, in the order of the page
        for name, value in by_name.items() or [("", "")]:
            button = [Field(name, "submit", [value])] if name else []
            found.append(Form(page, "form", method, action, [*fields, *button], submitter=name))
    for hx in parser.hx:
        unsupported = [a for a in UNSUPPORTED_HX if a in hx.attrs]
        assert not unsupported, f"{page}: teach the fuzz test {unsupported} (on {hx.attrs})"
        verb = next(v for v in HX_VERBS if v in hx.attrs)
        method = verb.removeprefix("hx-")
        fields = []
        if hx.form is not None and method != "get":  # htmx sends the enclosing form's values
            fields = fields_of(parser.forms[hx.form].controls)[0]
        if hx.own is not None:
            fields = [f for f in fields if f.name != hx.own.attrs.get("name")] + fields_of([hx.own])[0]
        fields = filter_params(fields, hx.attrs.get("hx-params", "*"))
        raw_vals = hx.attrs.get("hx-vals", "")
        assert not raw_vals.startswith(("js:", "javascript:")), f"{page}: hx-vals with code: {raw_vals}"
        vals = {k: str(v) for k, v in (json.loads(raw_vals) if raw_vals else {}).items()}
        for name, value in vals.items():
            fields = [f for f in fields if f.name != name] + [Field(name, "hidden", [value])]
        headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}
        target = hx.attrs.get("hx-target", "")
        if target.startswith("#"):
            headers["HX-Target"] = target[1:]
        headers |= json.loads(hx.attrs["hx-headers"]) if "hx-headers" in hx.attrs else {}
        found.append(Form(page, "htmx", method, urljoin(page, hx.attrs[verb] or page), fields, headers, vals))
    for attrs in parser.scripted:
        for name, url in attrs.items():
            if not SCRIPT_URL.fullmatch(name) or not url.startswith("/"):
                continue
            assert name in SCRIPTED_FIELDS, (
                f"{page}: a script posts to {url} ({name}): add the fields it sends to SCRIPTED_FIELDS"
            )
            fields = [Field(k, "text", [v]) for k, v in SCRIPTED_FIELDS[name].items()]
            headers = {"X-CSRFToken": attrs.get("data-csrf", "")}
            found.append(Form(page, f"script ({name})", "post", urljoin(page, url), fields, headers))
    return found


def filter_params(fields: list[Field], params: str) -> list[Field]:
    params = params.strip()
    if params == "*":
        return fields
    if params == "none":
        return []
    if params.startswith("not "):
        excluded = {p.strip() for p in params[4:].split(",")}
        return [f for f in fields if f.name not in excluded]
    included = {p.strip() for p in params.split(",")}
    return [f for f in fields if f.name in included]


# --- People -----------------------------------------------------------------------------------------------

_addresses = itertools.count(1)
_emails = itertools.count(1)


def client_address() -> str:
    """A different client address for each request (and the rate limits and lockouts cleared before each), so
    that the sign-in limits never answer in place of the form: every value must reach the code that reads it."""
    n = next(_addresses)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


@dataclass
class Person:
    name: str
    client: Client
    user: User | None = None
    email: str = ""
    password: str = ""
    code: Callable[[], str] | None = None
    """The current two-factor code, for someone who signs in with one."""
    steer: dict[str, int] = field(default_factory=dict)
    fill: dict[str, Callable[[], str]] = field(default_factory=dict)
    """Values this person types into empty fields (their password, a two-factor code)."""
    visitor_secrets: dict[str, str] = field(default_factory=dict)
    resets: int = 0
    """How often the person was put back: forms read before then carry a CSRF token of an ended session."""

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def signed_in_as(self) -> str | None:
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if cookie is None or not cookie.value:
            return None  # (Client.session would start a session)
        value = self.client.session.get("_auth_user_id")
        return None if value is None else str(value)

    def reset(self) -> None:
        """After a post signed this person in or out (a sign-up, a sign-out): back to who they were."""
        self.resets += 1
        self.client = new_client()
        if self.user is not None:
            self.user.set_password(self.password)  # a fuzzed password change may have set another
            self.user.save(update_fields=["password"])
            sign_in(self)
        if self.visitor_secrets:
            session = self.client.session
            session[SESSION_KEY] = dict(self.visitor_secrets)
            session.save()

    def base(self, f: Field) -> list[str]:
        """A valid value for a field: what the page had, the chosen answer, or what the person would type."""
        if f.kind == "radio":
            if f.page_values:
                return f.page_values[:1]
            chosen = str(self.steer.get(f.name, ""))
            return [chosen if chosen in f.options else f.options[0]]
        if f.kind == "checkbox":
            return f.page_values or f.options[:1]
        if f.kind == "select":
            selected = f.page_values or f.options[:1]
            return selected if f.multiple else selected[:1]
        value = f.page_values[0] if f.page_values else ""
        if value:
            return [value]
        if f.name in self.fill:
            return [self.fill[f.name]()]
        if f.kind == "number":
            return [str(self.steer.get(f.name, f.attrs.get("min") or 1))]
        if f.kind == "email":
            return [f"fuzz-{next(_emails)}@example.org"]
        if f.kind == "password":
            return [PASSPHRASE]
        return [value]


def new_client() -> Client:
    return Client(raise_request_exception=False, enforce_csrf_checks=True)


def body(
    person: Person, form: Form, name: str = "", value: str | Special | None = None
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for f in form.fields:
        if f.name != name or value is None:
            pairs += [(f.name, v) for v in person.base(f)]
        elif value is Special.TWO_VALUES:
            pairs += [(f.name, ATTRIBUTE), (f.name, (person.base(f) or ["1"])[0] or "1")]
        elif value is not Special.MISSING:
            pairs.append((f.name, value))
    return pairs


def send(
    person: Person, method: str, url: str, pairs: list[tuple[str, str]], headers: dict[str, str]
) -> Response:
    """One request as a browser sends it (url-encoded)."""
    encoded = urlencode(pairs)
    if url.startswith("/accounts/"):  # where the sign-in limits apply
        cache.clear()
        AccessAttempt.objects.all().delete()
    if method == "get":
        separator = "&" if "?" in url else "?"
        return person.client.get(
            f"{url}{separator}{encoded}" if encoded else url, headers=headers, REMOTE_ADDR=client_address()
        )
    return person.client.generic(
        method.upper(),
        url,
        encoded,
        content_type="application/x-www-form-urlencoded",
        headers=headers,
        REMOTE_ADDR=client_address(),
    )


def fetch(person: Person, url: str) -> tuple[str, Response]:
    """GET a page, following redirects; the address it ended at, and the response."""
    response: Response = person.client.get(url, follow=True, REMOTE_ADDR=client_address())
    chain = getattr(response, "redirect_chain", [])
    final = chain[-1][0] if chain else url
    return urljoin(url, final), response


def parse(response: Response) -> PageParser | None:
    if "text/html" not in response.get("Content-Type", ""):
        return None
    parser = PageParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser


# --- Findings ---------------------------------------------------------------------------------------------


def exception_summary(exc_info: Any) -> str:
    if not exc_info:
        return ""
    kind, exc, tb = exc_info
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "/bounceback/" in f.filename] or frames
    last = ours[-1] if ours else None
    where = (
        f" at {last.filename.removeprefix(f'{settings.BASE_DIR}/')}:{last.lineno} in {last.name}"
        if last
        else ""
    )
    return f" ({kind.__name__}: {str(exc)[:160]}{where})"


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    forms: int = 0
    fields: int = 0
    seen: set[tuple[Any, ...]] = field(default_factory=set)
    paths: set[tuple[Any, ...]] = field(default_factory=set)
    scripted: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    gone: list[str] = field(default_factory=list)
    """Forms that were no longer there after a post signed the person in or out (some values not sent)."""

    def check(self, where: str, response: Response) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(
                f"{where}: status {response.status_code}{exception_summary(getattr(response, 'exc_info', None))}"
            )
        for markup in MARKUP:
            if markup.encode() in response.content:
                self.failures.append(f"{where}: the response echoes {markup!r} unescaped")

    def raised(self, where: str, exc: BaseException) -> None:
        self.requests += 1
        self.failures.append(f"{where}: raised{exception_summary((type(exc), exc, exc.__traceback__))}")


def where(form: Form, field_name: str, label: str) -> str:
    return f"page {form.page} · form {form.describe()} · field {field_name!r} · value {label}"


# --- Fuzzing ----------------------------------------------------------------------------------------------


def fuzz_forms(person: Person, forms: Iterable[Form], findings: Findings) -> None:
    """Each field not yet fuzzed at its address (with its submit button): the same field at the same address is
    read by the same code whichever page the form is on, so one check-up page's page token, one sign-in form's
    password stand for the others'. The address's ids, once per address."""
    resets = person.resets
    for listed in forms:
        form = refetched(person, listed) if person.resets != resets else listed
        if form is None:
            findings.gone.append(f"{listed.describe()} on {listed.page}")
            continue
        findings.names |= {f.name for f in form.fields}
        if form.origin.startswith("script"):
            findings.scripted.add(form.origin)
        new = [f for f in form.fuzzed_fields() if form.field_key(person.signed_in, f) not in findings.seen]
        if new:
            findings.forms += 1
            findings.seen |= {form.field_key(person.signed_in, f) for f in new}
            form = fuzz_form(person, form, new, findings)
        if form is not None and form.address(person.signed_in) not in findings.paths:
            findings.paths.add(form.address(person.signed_in))
            fuzz_path(person, form, findings)


def fuzz_form(person: Person, form: Form, fields: list[Field], findings: Findings) -> Form | None:
    """Each field with each hostile value; the form as last read (again, when a post signed the person in or
    out), or None when it is gone then (the values left are listed as not sent)."""
    expected = person.signed_in_as()
    for f in fields:
        findings.fields += 1
        for label, value in HOSTILE:
            at = where(form, f.name, label)
            try:
                response = send(
                    person, form.method, form.action, body(person, form, f.name, value), form.headers
                )
            except Exception as exc:
                findings.raised(at, exc)
                continue
            findings.check(at, response)
            if response.status_code in (301, 302, 303) and person.signed_in_as() != expected:
                person.reset()  # signing in or out answers with a redirect
                again = refetched(person, form)
                if again is None:
                    findings.gone.append(f"{form.describe()} on {form.page}, after {at}")
                    return None
                form = again
    return form


def refetched(person: Person, form: Form) -> Form | None:
    """The same form on its page again, with a fresh CSRF token, after the person was put back; None when the
    page no longer has it (a password-reset link works once)."""
    url, response = fetch(person, form.page)
    parser = parse(response)
    same = form.identity(person.signed_in)
    again = [f for f in forms_on(url, parser) if f.identity(person.signed_in) == same] if parser else []
    return again[0] if again else None


def fuzz_path(person: Person, form: Form, findings: Findings) -> None:
    """The ids in the address the form posts to: non-ids, and another person's id (refused, not served)."""
    parts = urlsplit(form.action)
    segments = parts.path.split("/")
    foreign = foreign_ids(person)
    for i, segment in enumerate(segments):
        kind = id_kind(segment)
        if kind is None:
            continue
        substitutes = [*HOSTILE_SEGMENTS] + (
            [("another person's id", foreign[0])] if kind == "<uuid>" and foreign else []
        )
        for label, substitute in substitutes:
            path = "/".join([*segments[:i], substitute, *segments[i + 1 :]])
            url = path + (f"?{parts.query}" if parts.query else "")
            at = f"page {form.page} · form {form.describe()} · path segment {i} ({kind}) · {label}"
            try:
                response = send(person, form.method, url, body(person, form), form.headers)
            except Exception as exc:
                findings.raised(at, exc)
                continue
            findings.check(at, response)
            if label == "another person's id" and response.status_code < 400 and not is_sign_in(response):
                findings.failures.append(
                    f"{at}: status {response.status_code}: another person's record was served"
                )


def is_sign_in(response: Response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def foreign_ids(person: Person) -> list[str]:
    """Check-ups of someone else: another owner's, or (for a member) a visitor's."""
    others = CheckUp.objects.exclude(public_id__in=list(person.visitor_secrets))
    others = others.exclude(owner=person.user) if person.user else others.filter(owner__isnull=False)
    return [str(c.public_id) for c in others.order_by("-owner_id")[:1]]


# --- Walking and crawling ---------------------------------------------------------------------------------


def walk(person: Person, start: str, findings: Findings, posts: int | None = None) -> list[str]:
    """Take the check-up from its start page as the person would, fuzzing each page's forms on the way (the
    start form is left to the crawl: each fuzzed start makes a check-up). Each page's first form is sent with
    the chosen answers; the walk ends on a page without one, or after ``posts`` pages.

    The autosave endpoints and the page's own form are fuzzed before the page is sent; its other forms (skip
    the optional questions) after, so that a hostile value that still skips them cannot change the path."""
    url, response = fetch(person, start)
    pages: list[str] = []
    for sent in range(WALK_LIMIT):
        assert response.status_code == 200, f"{person.name}'s walk: {url} answered {response.status_code}"
        parser = parse(response)
        assert parser is not None, url
        pages.append(url)
        forms = forms_on(url, parser)
        onward = next((f for f in forms if f.origin == "form" and f.method == "post"), None)
        fuzz_now = [f for f in forms if f.origin == "htmx"] + ([onward] if onward else [])
        if url != start:
            fuzz_forms(person, fuzz_now, findings)
        if onward is None or sent == posts:
            return pages
        posted = send(person, "post", onward.action, body(person, onward), {})
        assert posted.status_code == 302, (
            f"{person.name}'s walk is stuck at {url}: {posted.status_code} "
            + " ".join(re.findall(r"<h1>([^<]*)</h1>", posted.content.decode()))
            + " ".join(re.findall(r'<a href="#q-[^"]*">([^<]*)</a>', posted.content.decode())[:3])
        )
        if url != start:  # e.g. skipping the optional questions: once past the page, so the path stays
            fuzz_forms(person, [f for f in forms if f not in fuzz_now], findings)
        url, response = fetch(person, posted["Location"])
    raise AssertionError(f"{person.name}'s walk passed {WALK_LIMIT} pages: {pages[-5:]}")


def crawl(person: Person, start: Iterable[str], findings: Findings, limit: int = PAGE_LIMIT) -> list[Form]:
    """Follow every same-site link from the start pages; every form met, in order."""
    seen: set[str] = set()
    shapes: set[tuple[str, tuple[str, ...]]] = set()
    queue = deque(start)
    forms: list[Form] = []
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        if len(seen) >= limit:
            raise AssertionError(
                f"{person.name}'s crawl reached its limit of {limit} pages with {len(queue)} link(s) left "
                f"(e.g. {list(queue)[:5]}): raise PAGE_LIMIT if the site has grown, or find the endless links"
            )
        seen.add(url)
        final, response = fetch(person, url)
        seen.add(final)
        findings.check(f"page {url} (GET)", response)
        parser = parse(response) if response.status_code == 200 else None
        if parser is None:
            continue
        if "/reauthenticate/" in final and reauthenticate(person, final, parser):
            forms += forms_on(final, parser)  # the form is fuzzed too, but the page behind it is crawled
            final, response = fetch(person, url)
            parser = parse(response) if response.status_code == 200 else None
            if parser is None:
                continue
        forms += forms_on(final, parser)
        for href in parser.links:
            link = urljoin(final, href.split("#")[0])
            parts = urlsplit(link)
            if (
                parts.netloc not in ("", "testserver")
                or not parts.path.startswith("/")
                or SKIP.match(parts.path)
            ):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            shape = (parts.path, tuple(sorted(k for k, _v in parse_qsl(parts.query, keep_blank_values=True))))
            if link not in seen and (not parts.query or shape not in shapes):
                # One page per shape of query: the booking form of each of a fortnight's free times is one page.
                shapes.add(shape)
                queue.append(link)
    return forms


def reauthenticate(person: Person, url: str, parser: PageParser) -> bool:
    """Answer "enter your password again" as the person would, so the crawl reaches the page behind it."""
    form = next((f for f in forms_on(url, parser) if any(x.name == "password" for x in f.fields)), None)
    if form is None or not person.password:
        return False
    pairs = [(k, person.password if k == "password" else v) for k, v in body(person, form)]
    response = send(person, "post", form.action, pairs, {})
    assert response.status_code == 302, f"{person.name} could not confirm their password at {url}"
    return True


ENDINGS = re.compile(r"logout|deactivate|delete")


def accounts_last(forms: list[Form]) -> list[Form]:
    """Account forms (a sign-up signs the visitor in) after the others, and those that end something (sign
    out, turn off two-factor) last of all."""
    return sorted(
        forms,
        key=lambda f: (urlsplit(f.action).path.startswith("/accounts/"), bool(ENDINGS.search(f.action))),
    )


def mail_links() -> list[str]:
    links = re.findall(r"https?://testserver(/[^\s\"'<>]*)", "\n".join(str(m.body) for m in mail.outbox))
    return list(dict.fromkeys(links))


def sign_in(person: Person, findings: Findings | None = None) -> None:
    """Through the sign-in page, and the two-factor page when asked (with ``findings``, fuzzed there before
    the right code is entered)."""
    url, response = fetch(person, "/accounts/login/")
    parser = parse(response)
    assert parser is not None
    login = next(f for f in forms_on(url, parser) if f.method == "post")
    typed = {"login": person.email, "password": person.password}
    response = send(person, "post", login.action, [(k, typed.get(k, v)) for k, v in body(person, login)], {})
    assert response.status_code == 302, f"{person.name} could not sign in: {response.status_code}"
    if person.code is not None:
        url, response = fetch(person, response["Location"])
        parser = parse(response)
        assert parser is not None
        forms = [
            f for f in forms_on(url, parser) if f.method == "post" and any(x.name == "code" for x in f.fields)
        ]
        assert forms, f"{person.name} was not asked for a two-factor code at {url}"
        if findings is not None:
            fuzz_forms(person, forms, findings)
        for _attempt in range(2):  # a second try, should the code's 30-second window end in between
            pairs = [(k, person.code() if k == "code" else v) for k, v in body(person, forms[0])]
            response = send(person, "post", forms[0].action, pairs, {})
            if response.status_code == 302:
                break
        assert response.status_code == 302, (
            f"{person.name}'s two-factor code was refused ({response.status_code})"
        )
    assert person.signed_in_as() is not None, f"{person.name} is not signed in"


def totp_code(secret: str, wrong: bool = False) -> Callable[[], str]:
    """The current two-factor code, or a wrong one (fuzzing beside the right code would sign in on the first
    value that leaves the request valid, such as a second CSRF token after a hostile one)."""
    return lambda: format_hotp_value((hotp_value(secret, int(time.time()) // 30) + wrong) % 1_000_000)


# --- The test ---------------------------------------------------------------------------------------------


@pytest.fixture
def quiet_client_errors() -> Iterator[None]:
    """Thousands of refused requests would each log a warning (with 4,301-digit addresses); errors still log."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security.csrf")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


REACHED = {
    "/checkup/",
    "/practice/done/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/key/<token>/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/authenticate/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/totp/deactivate/",
    "/clinic/",
    "/clinic/invitations/",
    "/clinician/profile/",
    "/clinician/availability/",
    "/clinician/availability/time-off/",
    "/me/region/",
}
"""Addresses (besides the check-up's, found on its pages) whose forms the people must have met: a crawl that
quietly finds less fails."""
MEMBER = next((email, password) for email, _u, _f, _l, _r, password in DEMO_ACCOUNTS)
CLINICIAN, ADMINISTRATOR = ((s.email, s.password) for s in (STAFF[0], STAFF[-1]))


def as_visitor(findings: Findings) -> None:
    visitor = Person("the visitor", new_client(), steer=VISITOR_PATH)
    pages = walk(visitor, "/checkup/", findings)
    assert "results" in pages[-1], f"the visitor's walk ended at {pages[-1]}, not the results"
    missing = [n for n in FOLLOW_UPS if n not in findings.names]
    assert not missing, f"the visitor's walk never reached {missing}"
    walk(visitor, "/checkup/", findings, posts=2)  # a second check-up, in progress
    visitor.visitor_secrets = dict(visitor.client.session[SESSION_KEY])
    start = [
        "/",
        "/checkup/",
        "/practice/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]
    forms = crawl(visitor, start, findings)
    # Someone who forgot their password asks for a reset, and follows the link in the email.
    reset = next(
        f for f in forms if urlsplit(f.action).path == "/accounts/password/reset/" and f.method == "post"
    )
    forgetful = make_user("forgetful")  # not the member: a fuzzed reset form may well set a new password
    pairs = [(k, forgetful.email if k == "email" else v) for k, v in body(visitor, reset)]
    assert send(visitor, "post", reset.action, pairs, {}).status_code == 302
    forms += crawl(visitor, mail_links(), findings)
    assert any("/password/reset/key/" in f.action for f in forms), "the password reset link led to no form"
    fuzz_forms(visitor, accounts_last(forms), findings)


def as_member(findings: Findings) -> None:
    email, password = MEMBER
    member = Person("the member", new_client(), email=email, password=password, steer=CALM_ANSWERS)
    member.fill = {"password": lambda: password, "oldpassword": lambda: password}
    sign_in(member, findings)
    member.user = User.objects.get(email=email)
    walk(member, "/checkup/", findings, posts=1)  # one in progress, beside the completed demo check-up
    start = [
        "/",
        "/me/",
        "/checkup/",
        "/practice/",
        "/accounts/email/",
        "/accounts/sessions/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ]
    fuzz_forms(member, accounts_last(crawl(member, start, findings)), findings)


def as_staff(findings: Findings, name: str, account: tuple[str, str], pages: list[str]) -> None:
    """A clinician or clinic administrator of the demo clinic, who set up two-factor sign-in with the demo's
    published secret."""
    email, password = account
    user = User.objects.get(email=email)
    secret = DEMO_TOTP_SECRET
    staff = Person(name, new_client(), email=email, password=password, code=totp_code(secret))
    staff.fill = {
        "password": lambda: password,
        "oldpassword": lambda: password,
        "code": totp_code(secret, wrong=True),
    }
    sign_in(staff, findings)
    staff.user = user
    start = [
        "/",
        "/me/",
        *pages,
        "/accounts/2fa/",
        "/accounts/email/",
        "/accounts/sessions/",
        "/accounts/password/change/",
        "/practice/",
    ]
    fuzz_forms(staff, accounts_last(crawl(staff, start, findings)), findings)


def as_clinician(findings: Findings) -> None:
    as_staff(findings, "the clinician", CLINICIAN, ["/clinician/profile/", "/clinician/availability/"])


def as_administrator(findings: Findings) -> None:
    """Last: fuzzing the clinic's staff list deactivates its clinicians."""
    as_staff(findings, "the administrator", ADMINISTRATOR, ["/clinic/"])


# No test transaction around the requests: each commits as it does live, so a database error in one (a NUL on
# PostgreSQL) is that request's 500 only, and durable transactions work.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("quiet_client_errors")
def test_no_form_or_htmx_endpoint_fails_or_echoes_markup_on_hostile_input() -> None:
    call_command("seed_demo", stdout=StringIO())
    findings = Findings()
    for visit in (as_visitor, as_member, as_clinician, as_administrator):
        visit(findings)
    assert findings.scripted == {f"script ({name})" for name in SCRIPTED_FIELDS}, (
        f"script endpoints found: {findings.scripted}; listed: {set(SCRIPTED_FIELDS)}"
    )
    fuzzed = {address[3] for address in findings.paths}
    assert not REACHED - fuzzed, f"never reached: {sorted(REACHED - fuzzed)}"
    print(
        f"\nfuzzed {findings.forms} forms, {findings.fields} fields, {len(HOSTILE)} values: "
        f"{findings.requests} requests"
        + "".join(f"\nnot finished (gone after signing in or out): {g}" for g in findings.gone)
    )
    if findings.failures:
        shown = "\n".join(findings.failures[:80])
        more = len(findings.failures) - 80
        pytest.fail(
            f"{len(findings.failures)} failure(s):\n{shown}" + (f"\n… and {more} more" if more > 0 else "")
        )


# --- The fuzz test's own parts ----------------------------------------------------------------------------

PAGE = """
<form method="post" action="/things/0b0e7c52-6a53-4a8e-9a55-1d1c2f8a7e11/p/3dfb46967890acab/">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <fieldset hx-post="/things/0b0e7c52-6a53-4a8e-9a55-1d1c2f8a7e11/answer/" hx-vals='{"item": "q_2"}'
    hx-params="csrfmiddlewaretoken,item,q_2,rev_q_2" hx-target="#status-q_2">
    <input type="hidden" name="rev_q_2" value="0">
    <input type="radio" name="q_2" value="1"><input type="radio" name="q_2" value="2" checked>
  </fieldset>
  <input type="checkbox" name="context" value="loss"><input type="checkbox" name="context" value="work">
  <select name="country"><option value="GB">UK<option value="US" selected>US</select>
  <textarea name="note">as it was</textarea>
  <input type="text" name="off" value="x" disabled>
  <button type="submit" name="action" value="next">Next</button>
  <button type="submit" name="action" value="back">Back</button>
  <button type="submit" name="decline" value="1">Skip</button>
</form>
<div data-done-url="/practice/done/" data-csrf="tok"></div>
"""


def test_it_reads_forms_htmx_elements_and_script_endpoints_from_the_html() -> None:
    parser = PageParser()
    parser.feed(PAGE)
    parser.close()
    action, decline, htmx, script = forms_on("/things/", parser)
    person = Person("someone", Client())
    assert (action.method, action.submitter, decline.submitter) == ("post", "action", "decline")
    assert body(person, action) == [
        ("csrfmiddlewaretoken", "tok"),
        ("rev_q_2", "0"),
        ("q_2", "2"),
        ("context", "loss"),
        ("country", "US"),
        ("note", "as it was"),
        ("action", "next"),
    ]
    assert url_pattern(action.action) == "/things/<uuid>/p/<token>/"
    for account in ("z", "1a", "zz"):  # base-36 account numbers, with and without a digit
        assert url_pattern(f"/accounts/password/reset/key/{account}-set-password/") == (
            "/accounts/password/reset/key/<token>/"
        )
    assert (htmx.origin, htmx.action, htmx.headers["HX-Target"]) == (
        "htmx",
        "/things/0b0e7c52-6a53-4a8e-9a55-1d1c2f8a7e11/answer/",
        "status-q_2",
    )
    assert sorted(body(person, htmx)) == [
        ("csrfmiddlewaretoken", "tok"),
        ("item", "q_2"),
        ("q_2", "2"),
        ("rev_q_2", "0"),
    ]
    assert (script.action, script.headers, body(person, script)) == (
        "/practice/done/",
        {"X-CSRFToken": "tok"},
        [("minutes", "5")],
    )
    assert body(person, action, "q_2", Special.TWO_VALUES)[2:4] == [("q_2", ATTRIBUTE), ("q_2", "2")]
    assert ("q_2", "2") not in body(person, action, "q_2", Special.MISSING)


def test_a_500_or_a_verbatim_payload_fails_naming_page_form_field_and_value() -> None:
    findings = Findings()
    form = Form("/a/page/", "form", "post", "/a/form/", [])
    findings.check(where(form, "note", "script markup"), HttpResponse(f"<p>{SCRIPT}</p>"))  # type: ignore[arg-type]
    findings.check(where(form, "note", "NUL"), HttpResponse(status=500))  # type: ignore[arg-type]
    findings.check(where(form, "note", "markup"), HttpResponse("&lt;script&gt;alert(1)&lt;/script&gt;"))  # type: ignore[arg-type]
    assert findings.failures == [
        f"page /a/page/ · form form POST /a/form/ · field 'note' · value script markup: the response echoes {SCRIPT!r} unescaped",
        "page /a/page/ · form form POST /a/form/ · field 'note' · value NUL: status 500",
    ]


@pytest.mark.django_db
def test_the_crawl_fails_loudly_at_its_limit() -> None:
    with pytest.raises(AssertionError, match="reached its limit of 3 pages"):
        crawl(Person("a visitor", new_client()), ["/"], Findings(), limit=3)
