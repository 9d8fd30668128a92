"""Patient Health Questionnaire depression scales: PHQ-9, PHQ-8 and PHQ-2.

Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure.
J Gen Intern Med 2001;16:606-613. PHQ-8: Kroenke et al. 2009, J Affect Disord 114:163-173. PHQ-2: Kroenke,
Spitzer & Williams 2003, Med Care 41:1284-1292.

Licence: copyright Pfizer Inc.; "No permission required to reproduce, translate, display or distribute."
Item wording: NHANES DPQ codebook and the HL7 Behavioral Health Profiles PHQ-9 example (verified, see
the instrument spec §3.3). Missing data: the authors give no prorating rule; NHANES computes totals only for
complete responses, so any missing item makes the result incomplete.
"""

from __future__ import annotations

from .base import (
    Band,
    Instrument,
    Item,
    Licence,
    Method,
    Option,
    ReliableChangeParams,
    RiskRule,
    Source,
    band,
)

PFIZER_LICENCE = Licence(
    name="Pfizer: no permission required",
    terms=(
        "Copyright Pfizer Inc. No permission is required to reproduce, translate, display or distribute; "
        "commercial use is permitted."
    ),
    source=Source("PHQ Screeners, instruction manual (phqscreeners.com)", "https://www.phqscreeners.com/"),
    commercial_use=True,
    attribution=(
        "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an "
        "educational grant from Pfizer Inc. No permission required to reproduce, translate, display or "
        "distribute."
    ),
)

FREQUENCY_OPTIONS = (
    Option(0, "Not at all", "LA6568-5"),
    Option(1, "Several days", "LA6569-3"),
    Option(2, "More than half the days", "LA6570-1"),
    Option(3, "Nearly every day", "LA6571-9"),
)

PHQ_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"

PHQ_ITEMS = (
    ("Little interest or pleasure in doing things", "44250-9"),
    ("Feeling down, depressed, or hopeless", "44255-8"),
    ("Trouble falling or staying asleep, or sleeping too much", "44259-0"),
    ("Feeling tired or having little energy", "44254-1"),
    ("Poor appetite or overeating", "44251-7"),
    (
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "44258-2",
    ),
    ("Trouble concentrating on things, such as reading the newspaper or watching television", "44252-5"),
    (
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "44253-3",
    ),
    ("Thoughts that you would be better off dead or of hurting yourself in some way", "44260-8"),
)

DIFFICULTY_ITEM_TEXT = (
    "If you checked off any problems, how difficult have these problems made it for you to do your work, "
    "take care of things at home, or get along with other people?"
)
DIFFICULTY_OPTIONS = (
    Option(0, "Not difficult at all"),
    Option(1, "Somewhat difficult"),
    Option(2, "Very difficult"),
    Option(3, "Extremely difficult"),
)

KROENKE_2001 = Source(
    "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. "
    "J Gen Intern Med 2001;16(9):606-613.",
    "https://pubmed.ncbi.nlm.nih.gov/11556941/",
)
KROENKE_2009 = Source(
    "Kroenke K, Strine TW, Spitzer RL, et al. The PHQ-8 as a measure of current depression in the general "
    "population. J Affect Disord 2009;114(1-3):163-173.",
    "https://pubmed.ncbi.nlm.nih.gov/18752852/",
)
KROENKE_2003 = Source(
    "Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2: validity of a two-item "
    "depression screener. Med Care 2003;41(11):1284-1292.",
    "https://pubmed.ncbi.nlm.nih.gov/14583691/",
)
NHANES_2017 = Source(
    "Computed from NHANES 2017-2018 DPQ_J (n = 5,068 complete responses): SD 4.245.",
    "https://wwwn.cdc.gov/Nchs/Nhanes/2017-2018/DPQ_J.htm",
)

NO_PRORATING = (
    "Every scored item is required. The authors give no prorating rule, and NHANES computes a total only "
    "for complete responses, so a missing item makes the result incomplete: no total, no band."
)


def _items(prefix: str, count: int, with_loinc: bool = True) -> tuple[Item, ...]:
    return tuple(
        Item(
            id=f"{prefix}_{n}",
            text=text,
            options=FREQUENCY_OPTIONS,
            loinc=loinc if with_loinc else "",
        )
        for n, (text, loinc) in enumerate(PHQ_ITEMS[:count], start=1)
    )


def _severity_bands(source: Source, top: int) -> tuple[Band, ...]:
    return (
        band("minimal", "None to minimal", 0, 4, source),
        band("mild", "Mild", 5, 9, source),
        band("moderate", "Moderate", 10, 14, source, refer=True),
        band("moderately_severe", "Moderately severe", 15, 19, source, refer=True),
        band("severe", "Severe", 20, top, source, refer=True),
    )


PHQ9 = Instrument(
    id="phq9",
    version=1,
    title="Patient Health Questionnaire-9 (PHQ-9)",
    short_title="PHQ-9",
    measures="How often depression symptoms have bothered you over the last two weeks.",
    citation=KROENKE_2001,
    licence=PFIZER_LICENCE,
    instructions=PHQ_STEM,
    recall_period="the last 2 weeks",
    items=(
        *_items("phq9", 9),
        Item(
            id="phq9_10",
            text=DIFFICULTY_ITEM_TEXT,
            options=DIFFICULTY_OPTIONS,
            scored=False,
            loinc="69722-7",
        ),
    ),
    method=Method.SUM,
    bands=_severity_bands(KROENKE_2001, 27),
    missing_rule=NO_PRORATING + " Item 10 (difficulty) is kept but never scored or required.",
    scoring_text=(
        "Sum of items 1–9, each 0–3 (total 0–27). Item 10 is recorded but not scored. A total of 10 or more "
        "identified major depression with 88% sensitivity and 88% specificity in the validation study."
    ),
    risk_rules=(
        RiskRule(
            "suicidal_ideation",
            ("phq9_9",),
            1,
            "Any answer above “Not at all” to item 9 raises the suicidal-ideation flag, whatever else is "
            "missing, and starts the crisis flow.",
        ),
    ),
    loinc_panel="44249-1",
    loinc_total="44261-6",
    rci=ReliableChangeParams(
        source=Source(
            "SD 4.245 from NHANES 2017-2018 (computed); test-retest r = .84 over 48 hours (Kroenke 2001, "
            "not yet checked against the paper). Jacobson & Truax 1991.",
            KROENKE_2001.url,
        ),
        sd=4.245,
        reliability=0.84,
    ),
)

PHQ8 = Instrument(
    id="phq8",
    version=1,
    title="Patient Health Questionnaire-8 (PHQ-8)",
    short_title="PHQ-8",
    measures=(
        "Depression symptoms over the last two weeks, without the item on thoughts of self-harm; for "
        "settings that cannot respond to a crisis. Not a PHQ-9 with item 9 left out: its total is not "
        "comparable with a PHQ-9 total."
    ),
    citation=KROENKE_2009,
    licence=PFIZER_LICENCE,
    instructions=PHQ_STEM,
    recall_period="the last 2 weeks",
    items=_items("phq8", 8, with_loinc=False),
    method=Method.SUM,
    bands=_severity_bands(KROENKE_2009, 24),
    missing_rule=NO_PRORATING,
    scoring_text="Sum of items 1–8, each 0–3 (total 0–24). A total of 10 or more indicates current depression.",
    loinc_note="PHQ-8 LOINC codes are not yet verified, so none are exported.",
)

PHQ2 = Instrument(
    id="phq2",
    version=1,
    title="Patient Health Questionnaire-2 (PHQ-2)",
    short_title="PHQ-2",
    measures="The two core symptoms of depression (low interest, low mood) over the last two weeks.",
    citation=KROENKE_2003,
    licence=PFIZER_LICENCE,
    instructions=PHQ_STEM,
    recall_period="the last 2 weeks",
    items=_items("phq2", 2, with_loinc=False),
    method=Method.SUM,
    bands=(
        band("negative", "Below the screening cut-off", 0, 2, KROENKE_2003),
        band("positive", "At or above the screening cut-off (3)", 3, 6, KROENKE_2003),
    ),
    missing_rule=NO_PRORATING,
    scoring_text=(
        "Sum of the two items, each 0–3 (total 0–6). A total of 3 or more is a positive screen and leads to "
        "the full PHQ-9. In primary care, 3 or more gave 61% sensitivity and 92% specificity for major "
        "depression (Arroll et al. 2010, Ann Fam Med 8:348-353)."
    ),
    loinc_panel="55757-9",
    loinc_total="55758-7",
    loinc_note="PHQ-2 codes confirmed from a secondary source only.",
)
