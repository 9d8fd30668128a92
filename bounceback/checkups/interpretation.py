"""What each result means, in plain words written by us, and how results are ordered and summarised.

Pure Python (no Django). Screening language only: results "suggest", never diagnose (hazard H09). Every result
carries the same caveat and a way to talk to someone; the summary leads with the most serious result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bounceback.instruments import (
    SAFETY_FLAGS,
    Instrument,
    Result,
    get,
    needs_professional_help,
    safety_flags,
)

CAVEAT = (
    "This is a screening result, not a diagnosis or medical advice. Questionnaires can miss things and can "
    "over-call them."
)
TALK_TO_SOMEONE = "Struggling, whatever the score? Talk to someone you trust or to a professional."

# (instrument, band) -> (what it suggests, what you can do). Bands not listed fall back to the instrument's
# general text below.
MEANINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("brs", "low"): (
        "Your answers suggest that bouncing back from hard times feels difficult for you at the moment.",
        "Resilience can grow. Leaning on people you trust, looking after sleep and movement, and short daily "
        "mindfulness practice all help; your plan has small first steps.",
    ),
    ("brs", "normal"): (
        "Your answers suggest you bounce back from stress about as well as most people.",
        "Keep doing what helps you recover, and use your plan to protect it while things are hard.",
    ),
    ("brs", "high"): (
        "Your answers suggest you usually recover from hard times quickly.",
        "That strength is worth protecting: keep the routines and people that help you recover.",
    ),
    ("phq2", "negative"): (
        "Your answers to the two core questions about mood and interest are below the screening cut-off.",
        "Low mood can still come and go. If it grows or lasts, take the check-up again or talk to someone.",
    ),
    ("phq2", "positive"): (
        "Your answers suggest low mood or loss of interest, enough to ask the full depression questions.",
        "See your PHQ-9 result below.",
    ),
    ("phq9", "minimal"): (
        "Your answers suggest few or no symptoms of depression over the last two weeks.",
        "Keep an eye on how you feel; take the check-up again if things change.",
    ),
    ("phq9", "mild"): (
        "Your answers suggest mild symptoms of depression over the last two weeks.",
        "Self-care and support from people around you often help at this level. If it lasts more than a few "
        "weeks or gets worse, talk to a doctor or therapist.",
    ),
    ("phq9", "moderate"): (
        "Your answers suggest moderate symptoms of depression over the last two weeks.",
        "This is a level at which talking to a professional is recommended. Depression is common and treatable.",
    ),
    ("phq9", "moderately_severe"): (
        "Your answers suggest moderately severe symptoms of depression over the last two weeks.",
        "Please talk to a professional soon: a doctor, therapist or counselor. Effective treatment exists.",
    ),
    ("phq9", "severe"): (
        "Your answers suggest severe symptoms of depression over the last two weeks.",
        "Please talk to a professional as soon as you can. If you ever feel unsafe, call or text a crisis line.",
    ),
    ("gad2", "negative"): (
        "Your answers to the two core questions about anxiety are below the screening cut-off.",
        "Worry can still come and go. If it grows or lasts, take the check-up again or talk to someone.",
    ),
    ("gad2", "positive"): (
        "Your answers suggest nervousness or worry, enough to ask the full anxiety questions.",
        "See your GAD-7 result below.",
    ),
    ("gad7", "minimal"): (
        "Your answers suggest few or no symptoms of anxiety over the last two weeks.",
        "Keep doing what helps you stay steady.",
    ),
    ("gad7", "mild"): (
        "Your answers suggest mild symptoms of anxiety over the last two weeks.",
        "Mindfulness, movement and good sleep often help at this level. If it lasts or grows, talk to someone.",
    ),
    ("gad7", "moderate"): (
        "Your answers suggest moderate symptoms of anxiety over the last two weeks.",
        "This is a level at which talking to a professional is recommended. Anxiety is common and treatable.",
    ),
    ("gad7", "severe"): (
        "Your answers suggest severe symptoms of anxiety over the last two weeks.",
        "Please talk to a professional soon: a doctor, therapist or counselor.",
    ),
    ("pcptsd5", "negative"): (
        "Your answers are below the screening cut-off for post-traumatic stress.",
        "Reactions to frightening events can come later. If they appear or grow, talk to someone.",
    ),
    ("pcptsd5", "positive"): (
        "Your answers suggest reactions to a frightening or traumatic event that are worth a closer look by a "
        "professional.",
        "Talking to a professional who knows about trauma is recommended. Effective treatments exist.",
    ),
    ("pcl5", "below_threshold"): (
        "Your answers are below the cut-off that suggests probable PTSD.",
        "Some reactions may still be hard to live with; talking to someone can help.",
    ),
    ("pcl5", "probable_ptsd"): (
        "Your answers suggest probable post-traumatic stress disorder, which a professional should assess.",
        "Please talk to a professional who knows about trauma. Effective treatments exist.",
    ),
    ("osss3", "poor"): (
        "Your answers suggest you have little support you can count on right now.",
        "Support can be built, one person at a time; your plan starts small.",
    ),
    ("osss3", "moderate"): (
        "Your answers suggest you have some support, and room for more.",
        "Let the people you have know what would help; your plan has ideas.",
    ),
    ("osss3", "strong"): (
        "Your answers suggest you have people you can count on.",
        "Lean on them: sharing what you are going through is part of bouncing back.",
    ),
    ("ucla3", "not_lonely"): (
        "Your answers suggest you rarely feel lonely.",
        "Keep up the contact that matters to you.",
    ),
    ("ucla3", "lonely"): (
        "Your answers suggest you often feel lonely or cut off from others.",
        "Loneliness is painful and common, and it can change; your plan has small steps toward connection.",
    ),
    ("evs", "inactive"): (
        "You told us you are not doing moderate or strenuous exercise at the moment.",
        "Even short walks help mood. Start small: your plan has a first step.",
    ),
    ("evs", "insufficiently_active"): (
        "You are active, though below the 150 minutes a week that guidelines recommend.",
        "Adding a little more movement each week helps mood and sleep.",
    ),
    ("evs", "sufficiently_active"): (
        "You are active for at least the 150 minutes a week that guidelines recommend.",
        "Keep it up: movement helps mood, sleep and recovery from stress.",
    ),
    ("swls", "extremely_dissatisfied"): (
        "Your answers suggest you are very unhappy with your life at the moment.",
        "That is hard to carry. Please talk to someone you trust or to a professional.",
    ),
    ("swls", "dissatisfied"): (
        "Your answers suggest you are unhappy with how your life is going right now.",
        "Hard times shake satisfaction; support and small steps can help it recover.",
    ),
    ("swls", "slightly_dissatisfied"): (
        "Your answers suggest you are a little dissatisfied with your life right now.",
        "Notice which part of life weighs most, and start there.",
    ),
    ("swls", "neutral"): (
        "Your answers suggest you feel neither satisfied nor dissatisfied with your life.",
        "Small changes in the areas that matter most to you can tip the balance.",
    ),
    ("swls", "slightly_satisfied"): (
        "Your answers suggest you are mostly satisfied with your life, with some areas you would change.",
        "Keep what works, and give attention to the areas you would change.",
    ),
    ("swls", "satisfied"): (
        "Your answers suggest you are satisfied with your life.",
        "Keep doing what supports it.",
    ),
    ("swls", "extremely_satisfied"): (
        "Your answers suggest you are highly satisfied with your life.",
        "Keep doing what supports it.",
    ),
}

# How much a result calls for attention (higher first): orders the summary so a serious result is never
# averaged away by reassuring ones.
CONCERN: dict[tuple[str, str], int] = {
    ("phq9", "severe"): 3,
    ("phq9", "moderately_severe"): 3,
    ("phq9", "moderate"): 2,
    ("phq9", "mild"): 1,
    ("gad7", "severe"): 3,
    ("gad7", "moderate"): 2,
    ("gad7", "mild"): 1,
    ("phq2", "positive"): 2,
    ("gad2", "positive"): 2,
    ("pcptsd5", "positive"): 2,
    ("pcl5", "probable_ptsd"): 3,
    ("brs", "low"): 1,
    ("osss3", "poor"): 1,
    ("ucla3", "lonely"): 1,
    ("evs", "inactive"): 1,
    ("swls", "extremely_dissatisfied"): 2,
    ("swls", "dissatisfied"): 1,
}
SAFETY_CONCERN = {"acute_suicide_risk": 5, "suicide_risk": 4, "suicidal_ideation": 4}
"""How far up the results each suicide-risk flag (``SAFETY_FLAGS``) puts its result; any other flag ranks 4."""

SAFETY_LEAD = (
    "You told us about thoughts of death or of hurting yourself. Please talk to someone about them soon: "
    "support is there right now, and a professional can help."
)
SAFETY_ACTION = (
    "Because you told us about thoughts of death or of hurting yourself, please talk to a professional soon, "
    "whatever this score; if you might act on them, call or text a crisis line now."
)


@dataclass(frozen=True)
class Interpretation:
    instrument: Instrument
    result: Result
    meaning: str
    what_you_can_do: str
    concern: int
    band_label: str

    @property
    def display_total(self) -> str:
        return self.instrument.format_total(self.result.total)


def interpret(result: Result) -> Interpretation:
    instrument = get(result.instrument_id)
    if not result.complete or result.band is None:
        return Interpretation(
            instrument,
            result,
            "Not scored: some questions were not answered, so there is no total. Missing answers are never "
            "counted as zero.",
            "You can finish the check-up to get this result.",
            max((SAFETY_CONCERN.get(f, 4) for f in result.flags & SAFETY_FLAGS), default=0),
            "Not scored",
        )
    meaning, action = MEANINGS.get((result.instrument_id, result.band), ("", ""))
    if result.flags & SAFETY_FLAGS:
        action = SAFETY_ACTION
    band = next(b for b in instrument.bands if b.code == result.band)
    concern = max(
        [CONCERN.get((result.instrument_id, result.band), 0)]
        + [SAFETY_CONCERN.get(f, 4) for f in result.flags & SAFETY_FLAGS]
    )
    return Interpretation(instrument, result, meaning, action, concern, band.label)


def shown_results(results: Mapping[str, Result]) -> list[Interpretation]:
    """The results to show, most serious first.

    A short form (PHQ-2, GAD-2) is not shown beside its complete long form, whose first two items it is.

    A PHQ-9 asked as item 9 alone (PHQ-2 below the cut-off) is never shown as a PHQ-9 result: it has no total
    (hazard H20); its safety flag is shown by the crisis panel. The ASQ is shown as part of the safety section.
    """
    shown = []
    for instrument_id, result in results.items():
        if instrument_id == "asq":
            continue
        long_form = {"phq2": "phq9", "gad2": "gad7"}.get(instrument_id)
        if long_form and long_form in results and results[long_form].complete:
            continue  # the short form's items are the long form's first two: show the complete long form
        if (
            instrument_id == "phq9"
            and not result.complete
            and "phq2" in results
            and results["phq2"].band == "negative"
        ):
            continue
        shown.append(interpret(result))
    order = list(results)
    return sorted(shown, key=lambda i: (-i.concern, order.index(i.instrument.id)))


def summary(results: Mapping[str, Result]) -> str:
    """One or two sentences for the top of the results page, leading with the most serious result.

    Any suicide-risk flag leads, whatever the other results: a reassuring headline is never shown to someone who
    reported thoughts of death or self-harm (hazard H09).
    """
    shown = shown_results(results)
    if safety_flags(results):
        return SAFETY_LEAD
    if not shown:
        return "Answer a few questions to see your results."
    top = shown[0]
    if top.concern >= 2:
        lead = top.meaning
    elif any(i.concern == 1 for i in shown):
        lead = "Your answers suggest some areas that could use support, which your plan starts on."
    else:
        lead = "Your answers do not suggest a problem on these questionnaires."
    if needs_professional_help(results):
        return f"{lead} We recommend talking to a professional."
    return lead
