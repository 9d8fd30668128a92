"""Post-traumatic stress: the PC-PTSD-5 screen and the PCL-5 checklist.

Both are works of the U.S. Department of Veterans Affairs' National Center for PTSD, in the public domain.

PC-PTSD-5: Prins A, Bovin MJ, Smolenski DJ, et al. J Gen Intern Med 2016;31(10):1206-1211. An exposure question
comes first; "If no, screen total = 0", otherwise the score is the number of "yes" answers to five items.
PCL-5: Weathers FW, Litz BT, Keane TM, et al. The PTSD Checklist for DSM-5 (PCL-5), 2013; psychometrics Blevins
CA et al., J Trauma Stress 2015;28(6):489-498. Sum 0-80; provisional DSM-5 rule: an item rated 2 or more counts
as endorsed; one from B (1-5), one from C (6-7), two from D (8-14) and two from E (15-20).
"""

from __future__ import annotations

from .base import (
    Gate,
    Instrument,
    Item,
    Licence,
    Method,
    Option,
    Result,
    Source,
    band,
    complete_result,
)

VA_PUBLIC_DOMAIN = Source(
    "U.S. Department of Veterans Affairs, National Center for PTSD (ptsd.va.gov)",
    "https://www.ptsd.va.gov/professional/assessment/",
)

PRINS_2016 = Source(
    "Prins A, Bovin MJ, Smolenski DJ, et al. The Primary Care PTSD Screen for DSM-5 (PC-PTSD-5): development "
    "and evaluation within a veteran primary care sample. J Gen Intern Med 2016;31(10):1206-1211.",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC5023594/",
)
BOVIN_2021 = Source(
    "Bovin MJ, Kimerling R, Weathers FW, et al. Diagnostic accuracy and acceptability of the Primary Care "
    "Posttraumatic Stress Disorder Screen for the Diagnostic and Statistical Manual of Mental Disorders (Fifth "
    "Edition) among US veterans. JAMA Netw Open 2021;4(2):e2036733.",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC7862990/",
)
WEATHERS_2013 = Source(
    "Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP. The PTSD Checklist for DSM-5 (PCL-5). "
    "National Center for PTSD, 2013.",
    "https://www.ptsd.va.gov/professional/assessment/adult-sr/ptsd-checklist.asp",
)
BLEVINS_2015 = Source(
    "Blevins CA, Weathers FW, Davis MT, Witte TK, Domino JL. The Posttraumatic Stress Disorder Checklist for "
    "DSM-5 (PCL-5): development and initial psychometric evaluation. J Trauma Stress 2015;28(6):489-498.",
    "https://doi.org/10.1002/jts.22059",
)
FORKUS_2022 = Source(
    "Forkus SR, et al. The PTSD Checklist for DSM-5: a systematic review of existing psychometric evidence "
    "(recommended cut-off scores between 31 and 33).",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC10292741/",
)

YES_NO = (Option(0, "No"), Option(1, "Yes"))

EXPOSURE_TEXT = (
    "Sometimes things happen to people that are unusually or especially frightening, horrible, or traumatic. "
    "For example:\n"
    "• a serious accident or fire\n"
    "• a physical or sexual assault or abuse\n"
    "• an earthquake or flood\n"
    "• a war\n"
    "• seeing someone be killed or seriously injured\n"
    "• having a loved one die through homicide or suicide\n"
    "Have you ever experienced this kind of event?"
)

PC_PTSD_PREFIX = "In the past month, have you…"
PC_PTSD_ITEMS = (
    "had nightmares about the event(s) or thought about the event(s) when you did not want to?",
    "tried hard not to think about the event(s) or went out of your way to avoid situations that reminded "
    "you of the event(s)?",
    "been constantly on guard, watchful, or easily startled?",
    "felt numb or detached from people, activities, or your surroundings?",
    "felt guilty or unable to stop blaming yourself or others for the event(s) or any problems the event(s) "
    "may have caused?",
)


def score_pcptsd5(instrument: Instrument, answers: dict[str, int | None]) -> Result:
    exposure = answers["pcptsd5_exposure"]
    if exposure is None:
        return Result(instrument.id, instrument.version, None, None, False, missing=("pcptsd5_exposure",))
    if exposure == 0:
        # The published form: "If no, screen total = 0. Please stop here."
        return complete_result(instrument, 0, frozenset())
    item_ids = [f"pcptsd5_{n}" for n in range(1, 6)]
    missing = tuple(i for i in item_ids if answers[i] is None)
    if missing:
        return Result(instrument.id, instrument.version, None, None, False, missing=missing)
    return complete_result(instrument, sum(answers[i] or 0 for i in item_ids), frozenset())


PCPTSD5 = Instrument(
    id="pcptsd5",
    version=1,
    title="Primary Care PTSD Screen for DSM-5 (PC-PTSD-5)",
    short_title="PC-PTSD-5",
    measures="Whether reactions to a frightening or traumatic event in the past month suggest possible PTSD.",
    citation=PRINS_2016,
    licence=Licence(
        name="Public domain (U.S. Government work)",
        terms="Developed by the VA National Center for PTSD; a U.S. Government work in the public domain.",
        source=VA_PUBLIC_DOMAIN,
        commercial_use=True,
        attribution=(
            "Primary Care PTSD Screen for DSM-5 (PC-PTSD-5), Prins A, Bovin MJ, Kimerling R, et al., National "
            "Center for PTSD. Public domain."
        ),
    ),
    instructions=("If no, screen total = 0. Please stop here. If yes, please answer the questions below."),
    recall_period="the past month",
    items=(
        Item(id="pcptsd5_exposure", text=EXPOSURE_TEXT, options=YES_NO, scored=False),
        *(
            Item(id=f"pcptsd5_{n}", text=text, options=YES_NO, prefix=PC_PTSD_PREFIX)
            for n, text in enumerate(PC_PTSD_ITEMS, start=1)
        ),
    ),
    method=Method.CUSTOM,
    bands=(
        band("negative", "Below the screening cut-off", 0, 2, PRINS_2016),
        band("positive", "At or above the screening cut-off (3)", 3, 5, PRINS_2016, refer=True),
    ),
    missing_rule=(
        "The exposure question is required. After a “No”, the screen total is 0 and nothing else is asked. "
        "After a “Yes”, all five items are required; there is no partial scoring."
    ),
    scoring_text=(
        "The number of “Yes” answers to the five items (0–5); 0 when no traumatic event was experienced. "
        "A score of 3 is the optimally sensitive cut-off (Prins 2016); 4 best balances errors in veterans "
        "(Bovin 2021). Bounceback uses 3 to offer the PCL-5 as a follow-up."
    ),
    custom=score_pcptsd5,
    gates=(Gate(tuple(f"pcptsd5_{n}" for n in range(1, 6)), ("pcptsd5_exposure",), "=", 1),),
    loinc_note=(
        "LOINC 102010-6 [PC-PTSD-5] exists, but whether it codes the panel or the total score is not yet "
        "verified, so it is not exported."
    ),
    notes=(f"Cut-off evidence: {BOVIN_2021.text}",),
)


PCL5_INSTRUCTIONS = (
    "Below is a list of problems that people sometimes have in response to a very stressful experience. "
    "Please read each problem carefully and then circle one of the numbers to the right to indicate how much "
    "you have been bothered by that problem in the past month."
)
PCL5_STEM = "In the past month, how much were you bothered by:"

PCL5_ITEMS = (
    "Repeated, disturbing, and unwanted memories of the stressful experience?",
    "Repeated, disturbing dreams of the stressful experience?",
    "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were "
    "actually back there reliving it)?",
    "Feeling very upset when something reminded you of the stressful experience?",
    "Having strong physical reactions when something reminded you of the stressful experience (for example, "
    "heart pounding, trouble breathing, sweating)?",
    "Avoiding memories, thoughts, or feelings related to the stressful experience?",
    "Avoiding external reminders of the stressful experience (for example, people, places, conversations, "
    "activities, objects, or situations)?",
    "Trouble remembering important parts of the stressful experience?",
    "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts "
    "such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is "
    "completely dangerous)?",
    "Blaming yourself or someone else for the stressful experience or what happened after it?",
    "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
    "Loss of interest in activities that you used to enjoy?",
    "Feeling distant or cut off from other people?",
    "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving "
    "feelings for people close to you)?",
    "Irritable behavior, angry outbursts, or acting aggressively?",
    "Taking too many risks or doing things that could cause you harm?",
    "Being “superalert” or watchful or on guard?",
    "Feeling jumpy or easily startled?",
    "Having difficulty concentrating?",
    "Trouble falling or staying asleep?",
)

PCL5_OPTIONS = (
    Option(0, "Not at all"),
    Option(1, "A little bit"),
    Option(2, "Moderately"),
    Option(3, "Quite a bit"),
    Option(4, "Extremely"),
)

# DSM-5 clusters: (item numbers, how many endorsed items are needed)
DSM5_CLUSTERS = (
    ("B", range(1, 6), 1),
    ("C", range(6, 8), 1),
    ("D", range(8, 15), 2),
    ("E", range(15, 21), 2),
)
ENDORSED_AT = 2


def dsm5_criteria_met(answers: dict[str, int | None]) -> bool:
    """The provisional DSM-5 rule, on the answered items only.

    Endorsement counts can only grow as more items are answered, so when the answered items already meet
    every cluster the rule holds whatever the missing items are; otherwise it is not (yet) met.
    """
    for _name, numbers, needed in DSM5_CLUSTERS:
        endorsed = sum(1 for n in numbers if (answers.get(f"pcl5_{n}") or 0) >= ENDORSED_AT)
        if endorsed < needed:
            return False
    return True


def _pcl5_flags(answers: dict[str, int | None]) -> frozenset[str]:
    return frozenset({"dsm5_criteria_met"}) if dsm5_criteria_met(answers) else frozenset()


PCL5 = Instrument(
    id="pcl5",
    version=1,
    title="PTSD Checklist for DSM-5 (PCL-5)",
    short_title="PCL-5",
    measures="How much the 20 symptoms of PTSD in DSM-5 have bothered you in the past month.",
    citation=WEATHERS_2013,
    licence=Licence(
        name="Public domain (U.S. Government work)",
        terms="A work of the VA National Center for PTSD; not copyrighted, free to use.",
        source=VA_PUBLIC_DOMAIN,
        commercial_use=True,
        attribution=(
            "PTSD Checklist for DSM-5 (PCL-5), Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr "
            "PP, National Center for PTSD, 2013. Public domain."
        ),
    ),
    instructions=f"{PCL5_INSTRUCTIONS}\n{PCL5_STEM}",
    recall_period="the past month",
    items=tuple(
        Item(id=f"pcl5_{n}", text=text, options=PCL5_OPTIONS) for n, text in enumerate(PCL5_ITEMS, start=1)
    ),
    method=Method.SUM,
    bands=(
        band("below_threshold", "Below the probable-PTSD cut-off", 0, 32, FORKUS_2022),
        band("probable_ptsd", "At or above the probable-PTSD cut-off (33)", 33, 80, FORKUS_2022, refer=True),
    ),
    missing_rule=(
        "All 20 items are required for a total; no official prorating rule exists. The DSM-5 flag is raised "
        "when the answered items already meet the rule."
    ),
    scoring_text=(
        "Sum of the 20 items, each 0–4 (total 0–80). A total of 33 or more suggests probable PTSD (reviews "
        "recommend 31–33; there are no empirically derived severity bands). The provisional DSM-5 rule "
        "counts an item rated 2 or more as endorsed and needs 1 of items 1–5, 1 of 6–7, 2 of 8–14 and 2 of "
        "15–20."
    ),
    flag_rules=(_pcl5_flags,),
    loinc_note="PCL-5 LOINC codes are not yet verified, so none are exported.",
    notes=(
        f"Psychometrics: {BLEVINS_2015.text}",
        "Change: National Center for PTSD guidance treats 5–10 points as a reliable change and 10–20 points as "
        "clinically meaningful. No SD and reliability pair is documented for a Jacobson & Truax threshold, so "
        "Bounceback marks no reliable change on the PCL-5.",
    ),
)
