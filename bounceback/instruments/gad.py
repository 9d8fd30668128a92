"""Generalized Anxiety Disorder scales: GAD-7 and GAD-2.

Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the
GAD-7. Arch Intern Med 2006;166:1092-1097. GAD-2: Kroenke et al. 2007, Ann Intern Med 146:317-325.

Licence: the same Pfizer "no permission required" terms as the PHQ. The lowest option is "Not at all"
(a GAD-7 fielded with "Not at all sure" is no longer the validated scale; Zorowitz et al. 2021).
"""

from __future__ import annotations

from .base import Instrument, Item, Method, ReliableChangeParams, Source, band
from .phq import FREQUENCY_OPTIONS, NO_PRORATING, PFIZER_LICENCE

GAD_STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"

GAD_ITEMS = (
    ("Feeling nervous, anxious or on edge", "69725-0"),
    ("Not being able to stop or control worrying", "68509-9"),
    ("Worrying too much about different things", "69733-4"),
    ("Trouble relaxing", "69734-2"),
    ("Being so restless that it is hard to sit still", "69735-9"),
    ("Becoming easily annoyed or irritable", "69689-8"),
    ("Feeling afraid as if something awful might happen", "69736-7"),
)

SPITZER_2006 = Source(
    "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety "
    "disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097.",
    "https://pubmed.ncbi.nlm.nih.gov/16717171/",
)
KROENKE_2007 = Source(
    "Kroenke K, Spitzer RL, Williams JBW, Monahan PO, Löwe B. Anxiety disorders in primary care: "
    "prevalence, impairment, comorbidity, and detection. Ann Intern Med 2007;146(5):317-325.",
    "https://pubmed.ncbi.nlm.nih.gov/17339617/",
)
LOWE_2008 = Source(
    "Löwe B, Decker O, Müller S, et al. Validation and standardization of the Generalized Anxiety Disorder "
    "Screener (GAD-7) in the general population. Med Care 2008;46(3):266-274.",
    "https://pubmed.ncbi.nlm.nih.gov/18388841/",
)


def _items(prefix: str, count: int, with_loinc: bool = True) -> tuple[Item, ...]:
    return tuple(
        Item(id=f"{prefix}_{n}", text=text, options=FREQUENCY_OPTIONS, loinc=loinc if with_loinc else "")
        for n, (text, loinc) in enumerate(GAD_ITEMS[:count], start=1)
    )


GAD7 = Instrument(
    id="gad7",
    version=1,
    title="Generalized Anxiety Disorder-7 (GAD-7)",
    short_title="GAD-7",
    measures="How often anxiety symptoms have bothered you over the last two weeks.",
    citation=SPITZER_2006,
    licence=PFIZER_LICENCE,
    instructions=GAD_STEM,
    recall_period="the last 2 weeks",
    items=_items("gad7", 7),
    method=Method.SUM,
    bands=(
        band("minimal", "Minimal", 0, 4, SPITZER_2006),
        band("mild", "Mild", 5, 9, SPITZER_2006),
        band("moderate", "Moderate", 10, 14, SPITZER_2006, refer=True),
        band("severe", "Severe", 15, 21, SPITZER_2006, refer=True),
    ),
    missing_rule=NO_PRORATING,
    scoring_text=(
        "Sum of the seven items, each 0–3 (total 0–21). A total of 10 or more identified generalized anxiety "
        "disorder with 89% sensitivity and 82% specificity in the validation study."
    ),
    loinc_panel="69737-5",
    loinc_total="70274-6",
    rci=ReliableChangeParams(
        source=Source(
            "SD 3.4 from the German general population (Löwe et al. 2008); reliability .83 (Spitzer 2006, "
            "not yet checked against the paper). Jacobson & Truax 1991.",
            LOWE_2008.url,
        ),
        sd=3.4,
        reliability=0.83,
    ),
)

GAD2 = Instrument(
    id="gad2",
    version=1,
    title="Generalized Anxiety Disorder-2 (GAD-2)",
    short_title="GAD-2",
    measures="The two core symptoms of anxiety (nervousness, uncontrolled worry) over the last two weeks.",
    citation=KROENKE_2007,
    licence=PFIZER_LICENCE,
    instructions=GAD_STEM,
    recall_period="the last 2 weeks",
    items=_items("gad2", 2, with_loinc=False),
    method=Method.SUM,
    bands=(
        band("negative", "Below the screening cut-off", 0, 2, KROENKE_2007),
        band("positive", "At or above the screening cut-off (3)", 3, 6, KROENKE_2007),
    ),
    missing_rule=NO_PRORATING,
    scoring_text=(
        "Sum of the two items, each 0–3 (total 0–6). A total of 3 or more is a positive screen and leads to "
        "the full GAD-7 (86% sensitivity, 83% specificity for generalized anxiety disorder)."
    ),
    loinc_note="GAD-2 LOINC codes are not yet verified, so none are exported.",
)
