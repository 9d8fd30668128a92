"""Ask Suicide-Screening Questions (ASQ), NIMH — the follow-up whenever PHQ-9 item 9 is above 0.

Horowitz LM, Bridge JA, Teach SJ, et al. Ask Suicide-Screening Questions (ASQ): a brief instrument for the
pediatric emergency department. Arch Pediatr Adolesc Med 2012;166(12):1170-1176. Adult validation: Horowitz LM
et al., Psychosomatics 2020;61(6):713-722.

Scoring (the toolkit's instructions): "No" to all of questions 1-4 → negative, question 5 not asked. "Yes" to
any of 1-4 → positive screen; then question 5 ("right now") decides: yes = acute positive (imminent risk), no =
non-acute positive (potential risk). A "yes" to question 5 is acute even after four "no" answers. A refusal to answer any of 1-4 counts as positive: a person who declines
is recorded with the positive response (value 1). Flags are raised as soon as a "yes" is given, whatever is
still unanswered: safety flags never wait for a complete result.
"""

from __future__ import annotations

from fractions import Fraction

from .base import Gate, Instrument, Item, Licence, Method, Option, Result, Source, band

HOROWITZ_2012 = Source(
    "Horowitz LM, Bridge JA, Teach SJ, et al. Ask Suicide-Screening Questions (ASQ): a brief instrument for "
    "the pediatric emergency department. Arch Pediatr Adolesc Med 2012;166(12):1170-1176.",
    "https://pubmed.ncbi.nlm.nih.gov/23027429/",
)
HOROWITZ_2020 = Source(
    "Horowitz LM, Wharff EA, Mournet AM, et al. Validation and feasibility of the ASQ among pediatric and "
    "adult medical inpatients. Psychosomatics 2020;61(6):713-722.",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC9773543/",
)
NIMH_TOOLKIT = Source(
    "National Institute of Mental Health. Ask Suicide-Screening Questions (ASQ) Toolkit.",
    "https://www.nimh.nih.gov/research/research-conducted-at-nimh/asq-toolkit-materials",
)

YES_NO = (Option(0, "No"), Option(1, "Yes"))
SCREEN_ITEMS = ("asq_1", "asq_2", "asq_3", "asq_4")
DECLINED_VALUE = 1
"""A declined question among 1-4 is recorded as "yes": the toolkit counts a refusal as a positive screen."""


def score_asq(instrument: Instrument, answers: dict[str, int | None]) -> Result:
    screen = [answers[i] for i in SCREEN_ITEMS]
    acuity = answers["asq_5"]
    any_yes = any(v == 1 for v in screen)
    flags: set[str] = set()
    if any_yes:
        flags.add("suicide_risk")
    if acuity == 1:
        flags.add("acute_suicide_risk")
    missing = tuple(i for i in SCREEN_ITEMS if answers[i] is None)
    if not missing and any_yes and acuity is None:
        missing = ("asq_5",)
    if missing:
        return Result(instrument.id, instrument.version, None, None, False, frozenset(flags), missing)
    total = sum(v or 0 for v in screen)
    if acuity == 1:
        # A "yes" to "right now" is imminent risk whatever came before: never shown as a negative screen.
        code = "acute_positive"
    elif total == 0:
        code = "negative"
    else:
        code = "non_acute_positive"
    return Result(instrument.id, instrument.version, total, code, True, frozenset(flags), (), Fraction(total))


ASQ = Instrument(
    id="asq",
    version=1,
    title="Ask Suicide-Screening Questions (ASQ)",
    short_title="ASQ",
    measures=(
        "Whether thoughts of suicide are present, and whether the risk is acute right now. Asked after any "
        "answer above “Not at all” to PHQ-9 item 9."
    ),
    citation=HOROWITZ_2012,
    licence=Licence(
        name="NIMH free resource (U.S. Government work)",
        terms=(
            "Developed by NIMH's Division of Intramural Research Programs and distributed by NIMH as a free "
            "toolkit. As a work of the U.S. Government it is in the public domain; NIMH asks that its content "
            "not be altered. No ASQ-specific licence text has been found, so commercial electronic use is to "
            "be confirmed with NIMH before a commercial launch."
        ),
        source=NIMH_TOOLKIT,
        commercial_use=True,
        attribution=(
            "Ask Suicide-Screening Questions (ASQ), National Institute of Mental Health (NIMH). Horowitz LM et "
            "al. 2012; adult validation Horowitz LM et al. 2020."
        ),
    ),
    instructions="",
    recall_period="varies by question: the past few weeks, the past week, ever, and right now",
    items=(
        Item(id="asq_1", text="In the past few weeks, have you wished you were dead?", options=YES_NO),
        Item(
            id="asq_2",
            text="In the past few weeks, have you felt that you or your family would be better off if you were dead?",
            options=YES_NO,
        ),
        Item(
            id="asq_3",
            text="In the past week, have you been having thoughts about killing yourself?",
            options=YES_NO,
        ),
        Item(id="asq_4", text="Have you ever tried to kill yourself?", options=YES_NO),
        Item(id="asq_5", text="Are you having thoughts of killing yourself right now?", options=YES_NO),
    ),
    method=Method.CUSTOM,
    bands=(
        band("negative", "Negative screen", 0, 0, NIMH_TOOLKIT),
        band("non_acute_positive", "Non-acute positive screen (potential risk)", 1, 4, NIMH_TOOLKIT),
        band("acute_positive", "Acute positive screen (imminent risk)", 1, 4, NIMH_TOOLKIT),
    ),
    missing_rule=(
        "Questions 1–4 are all required. Question 5 is asked, and required, only after a “yes” to any of 1–4. "
        "A refusal to answer any of 1–4 is recorded as “yes”, as the toolkit counts it positive."
    ),
    scoring_text=(
        "The total is the number of “yes” answers to questions 1–4. All “no”: negative screen. Any “yes”: "
        "positive screen, and question 5 decides: “yes” is an acute positive (imminent risk: emergency help "
        "first), “no” a non-acute positive (potential risk: a professional assessment soon)."
    ),
    custom=score_asq,
    safety_flags=frozenset({"suicide_risk", "acute_suicide_risk"}),
    gates=(Gate(("asq_5",), SCREEN_ITEMS, "=", 1),),
    loinc_note="No verified LOINC code for the ASQ.",
    notes=(f"Adult validation: {HOROWITZ_2020.text}",),
)
