"""The personal safety plan's structure as data (pure Python): its six steps, our headings and prompts, the
bounds on what a member writes, and the evidence it rests on.

The six steps follow the structure of evidence-based safety planning (Stanley & Brown 2012): the signs that a
crisis may be coming, what one can do alone, places and company that help, people to ask for help,
professional help and crisis lines, and making one's surroundings safer. Every heading, prompt and example
here is written by us: the Stanley–Brown form itself needs its authors' written permission for electronic use,
so its wording, headings and layout are not reproduced. The text sits under an approved checksum (hazard H31,
like the resilience plan's H29): an edit cannot reach people without a conscious review.

The model, the form, the action's checks and the page are all built from this module, so a bound or a heading
is written once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

ENTRY_MAX_LENGTH = 200
"""Characters in one entry: a line or two; bounded before anything else reads it."""
PHONE_MAX_LENGTH = 32
"""Characters in a phone number, spaces and punctuation included."""
PHONE_DIGITS = (3, 20)
"""A phone number has from 3 (a short code such as 111) to 20 digits."""
MAX_ENTRIES_PER_STEP = 10
"""Entries one step holds: a plan is meant to be short enough to use in a hard moment."""
REVIEW_AFTER_DAYS = 90
"""After this many days without a change or a look, the page asks whether the plan is still right."""


@dataclass(frozen=True)
class Step:
    id: str
    heading: str
    prompt: str
    """What to write here, in a sentence or two (shown under the heading)."""
    example: str
    item: str
    """What one entry is called, in labels and messages: "Sign 2", "Person 1"."""
    add_label: str
    """The label of the box that adds an entry."""
    contacts: bool = False
    """Entries may carry a phone number (shown as a tap-to-call link)."""
    crisis_lines: bool = False
    """The member's country's crisis lines are shown here, read-only, above their own entries."""


WARNING_SIGNS = "warning_signs"
ON_MY_OWN = "on_my_own"
COMPANY = "company"
ASK_FOR_HELP = "ask_for_help"
PROFESSIONALS = "professionals"
SAFER_SURROUNDINGS = "safer_surroundings"

STEPS: tuple[Step, ...] = (
    Step(
        WARNING_SIGNS,
        "Signs that a hard time is starting",
        "What tells you things are beginning to slide? It might be something you think or feel, somewhere you "
        "are, or something you catch yourself doing.",
        "For example: lying awake going over the same thoughts; cancelling plans; thinking “what’s the point?”",
        "Sign",
        "Add a sign",
    ),
    Step(
        ON_MY_OWN,
        "What I can do by myself to get through it",
        "Things that calm you or hold your attention for a while, and that need nobody else.",
        "For example: a walk round the block; a hot shower; a favourite playlist; slow breathing for five "
        "minutes.",
        "Something I can do",
        "Add something you can do",
    ),
    Step(
        COMPANY,
        "Places and company that lift me",
        "Places with people around, or people whose company helps, even when you do not talk about how you "
        "feel.",
        "For example: the café on the corner; the gym; my cousin’s kitchen; watching the match with friends.",
        "Place or person",
        "Add a place or person",
    ),
    Step(
        ASK_FOR_HELP,
        "People I can tell when I am struggling",
        "Friends or family you could call or message to say plainly that you are having a hard time.",
        "For example: Sam, my sister; Ana from next door.",
        "Person",
        "Add a person",
        contacts=True,
    ),
    Step(
        PROFESSIONALS,
        "Professional help I can reach",
        "Your doctor, therapist, counsellor or another service you trust. The crisis lines for your country "
        "are already here, kept up to date by us.",
        "For example: Dr Okafor at the health centre; my counsellor at work.",
        "Professional or service",
        "Add a professional or service",
        contacts=True,
        crisis_lines=True,
    ),
    Step(
        SAFER_SURROUNDINGS,
        "Making where I am safer",
        "Steps that put time and distance between you and anything you could use to hurt yourself, such as "
        "asking someone you trust to keep hold of something for now.",
        "For example: ask Sam to look after my tablets for the next few weeks.",
        "Step",
        "Add a step",
    ),
)
BY_ID: dict[str, Step] = {s.id: s for s in STEPS}
STEP_IDS: tuple[str, ...] = tuple(BY_ID)
CONTACT_STEPS: tuple[str, ...] = tuple(s.id for s in STEPS if s.contacts)

INTRO = (
    "A short plan, in your own words, for when things get very hard: the signs to watch for, what helps, who "
    "to turn to, and how to stay safe. When a hard moment comes, start at the top and move down the list until "
    "you feel safer."
)
HOW_TO = (
    "Fill it in when you feel calmer, ideally with someone you trust or with a professional, and keep it where "
    "you can find it: on your phone, printed, or both. Only you can see it, and it is stored encrypted."
)
NOT_A_SERVICE = (
    "Nobody reads your plan or is alerted when you change it. If you are in danger, call your emergency number "
    "or a crisis line now."
)


@dataclass(frozen=True)
class Source:
    id: str
    short: str
    citation: str
    url: str
    supports: str
    """What we rely on it for, in our own words."""


EVIDENCE: tuple[Source, ...] = (
    Source(
        "stanley-brown-2012",
        "Stanley & Brown 2012",
        "Stanley B, Brown GK. Safety Planning Intervention: a brief intervention to mitigate suicide risk. "
        "Cogn Behav Pract 2012;19(2):256-264.",
        "https://doi.org/10.1016/j.cbpra.2011.01.001",
        "Describes safety planning: a brief, written, ordered list of coping steps and sources of support, "
        "made with a clinician, in six parts. Our steps follow those six parts, in our own words.",
    ),
    Source(
        "stanley-2018",
        "Stanley 2018",
        "Stanley B, Brown GK, Brenner LA, et al. Comparison of the safety planning intervention with follow-up "
        "vs usual care of suicidal patients treated in the emergency department. JAMA Psychiatry "
        "2018;75(9):894-900.",
        "https://doi.org/10.1001/jamapsychiatry.2018.1776",
        "In US veterans' emergency departments, people who made a safety plan with a clinician and were "
        "followed up by telephone showed about half as much suicidal behaviour over six months as those given "
        "usual care, and were more than twice as likely to go on to mental health treatment.",
    ),
    Source(
        "nuij-2021",
        "Nuij 2021",
        "Nuij C, van Ballegooijen W, de Beurs D, et al. Safety planning-type interventions for suicide "
        "prevention: meta-analysis. Br J Psychiatry 2021;219(2):419-426.",
        "https://doi.org/10.1192/bjp.2021.50",
        "Across six studies (3,536 people), safety-planning-type interventions lowered the risk of suicidal "
        "behaviour (relative risk 0.57), with no clear effect on suicidal thoughts themselves.",
    ),
)
EVIDENCE_NOTE = (
    "The studies tested plans made with a clinician, often with follow-up calls. A plan you make here on your "
    "own has not been tested in a trial: it is a start, and it works best shared with a professional."
)

APPROVED_SHA256 = "bfe8e0115369aa0e62344024f41eed9bb1c9b4be73437a115a2166e7f53f44e1"
"""The checksum of the approved text above (tests/test_steps.py recomputes it); a change needs a review."""


class Unreadable(ValueError):
    """A value the plan cannot hold; the message names the field and says what it takes."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def entry_name(step: Step, number: int | None) -> str:
    """How messages name one entry: "Signs that a hard time is starting, sign 2" (None: the new-entry box)."""
    which = f"{step.item.lower()} {number}" if number is not None else step.add_label.lower()
    return f"{step.heading}, {which}"


# C0 and C1 control characters other than the whitespace folded into spaces, and lone surrogates (which
# cannot be encoded): refused, never stored or silently dropped.
_UNSAVEABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"\+?[0-9(][0-9 ().\-]*")


def clean_text(raw: str, field: str, where: str) -> str:
    """One entry's text as stored: whitespace folded to single spaces and trimmed ("" for none).

    ``where`` names the field in the message (see :func:`entry_name`). Refuses, with :class:`Unreadable`,
    text over ``ENTRY_MAX_LENGTH`` characters (bounded before anything else reads it) and control characters
    such as a NUL byte. Markup is kept as typed: pages escape it on output."""
    if len(raw) > 4 * ENTRY_MAX_LENGTH:
        raise Unreadable(
            field, f"{where}: please keep it to {ENTRY_MAX_LENGTH} characters (this has {len(raw):,})."
        )
    if _UNSAVEABLE.search(raw):
        raise Unreadable(
            field,
            f"{where}: it contains a control character (such as a NUL byte) that cannot be saved; please retype it.",
        )
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()
    if len(text) > ENTRY_MAX_LENGTH:
        raise Unreadable(
            field, f"{where}: please keep it to {ENTRY_MAX_LENGTH} characters (this has {len(text):,})."
        )
    return text


def printable(raw: str) -> str:
    """Posted text as a refused form shows it back: without the characters that cannot be saved."""
    return _UNSAVEABLE.sub("", raw)


def clean_phone(raw: str, field: str, where: str) -> str:
    """A phone number as stored, trimmed ("" for none): ASCII digits, spaces and + ( ) - . only, a leading +
    allowed, ``PHONE_DIGITS`` digits, at most ``PHONE_MAX_LENGTH`` characters."""
    message = (
        f"{where}, phone number: please use digits, spaces and + ( ) - only, up to {PHONE_MAX_LENGTH} "
        "characters, or leave it empty."
    )
    if len(raw) > 4 * PHONE_MAX_LENGTH:
        raise Unreadable(field, message)
    phone = _SPACES.sub(" ", raw).strip()
    if not phone:
        return ""
    digits = sum(c.isdigit() for c in phone)
    if (
        len(phone) > PHONE_MAX_LENGTH
        or not phone.isascii()
        or not _PHONE.fullmatch(phone)
        or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]
    ):
        raise Unreadable(field, message)
    return phone


def tel_link(phone: str) -> str:
    """The tel: address for a stored phone number ("" for none)."""
    if not phone:
        return ""
    return "tel:" + ("+" if phone.startswith("+") else "") + "".join(c for c in phone if c.isdigit())


def needs_review(last_looked: datetime | None, now: datetime) -> bool:
    """Whether to ask if the plan is still right: its last change or look is ``REVIEW_AFTER_DAYS`` old."""
    return last_looked is not None and now - last_looked >= timedelta(days=REVIEW_AFTER_DAYS)
