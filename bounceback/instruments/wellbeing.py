"""Life satisfaction, social support, loneliness and well-being: SWLS, OSSS-3, UCLA-3 and WHO-5.

SWLS: Diener E, Emmons RA, Larsen RJ, Griffin S. J Pers Assess 1985;49(1):71-75. Sum 5-35, seven bands.
OSSS-3: Dalgard OS et al. 1995/2006; norms Kocalevent R-D et al., BMC Psychol 2018;6:31. Sum 3-14.
UCLA-3: Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. Res Aging 2004;26(6):655-672. Sum 3-9; no author cut-off,
so the 6-9 "lonely" band is labelled a convention.
WHO-5: Topp CW et al., Psychother Psychosom 2015;84:167-176. Licensed CC BY-NC-SA 3.0 IGO since 2024:
non-commercial, so it is off by default.
"""

from __future__ import annotations

from .base import Instrument, Item, Licence, Method, Option, ReliableChangeParams, Source, band

# --- SWLS -------------------------------------------------------------------------------------------------

DIENER_1985 = Source(
    "Diener E, Emmons RA, Larsen RJ, Griffin S. The Satisfaction With Life Scale. J Pers Assess "
    "1985;49(1):71-75.",
    "https://doi.org/10.1207/s15327752jpa4901_13",
)
DIENER_SCORING = Source(
    "Diener E. Satisfaction With Life Scale: scoring (31–35 extremely satisfied … 5–9 extremely dissatisfied).",
    "https://eddiener.com/scales/7",
)

AGREE_7 = (
    Option(1, "Strongly disagree"),
    Option(2, "Disagree"),
    Option(3, "Slightly disagree"),
    Option(4, "Neither agree nor disagree"),
    Option(5, "Slightly agree"),
    Option(6, "Agree"),
    Option(7, "Strongly agree"),
)

SWLS_ITEMS = (
    "In most ways my life is close to my ideal.",
    "The conditions of my life are excellent.",
    "I am satisfied with my life.",
    "So far I have gotten the important things I want in life.",
    "If I could live my life over, I would change almost nothing.",
)

SWLS = Instrument(
    id="swls",
    version=1,
    title="Satisfaction With Life Scale (SWLS)",
    short_title="SWLS",
    measures="How satisfied you are with your life as a whole, by your own standards.",
    citation=DIENER_1985,
    licence=Licence(
        name="Free with credit",
        terms=(
            "Copyrighted by the authors but free to use for researchers and practitioners without permission "
            "or charge, provided the authors are credited."
        ),
        source=Source("Salford psychometric test hub: SWLS", "https://hub.salford.ac.uk/psytech/"),
        commercial_use=True,
        attribution=(
            "Satisfaction With Life Scale, Ed Diener, Robert A. Emmons, Randy J. Larsen and Sharon Griffin "
            "(1985), J Pers Assess 49:71-75. Used with credit to the authors."
        ),
    ),
    instructions=(
        "Below are five statements that you may agree or disagree with. Using the 1 - 7 scale below, indicate "
        "your agreement with each item by placing the appropriate number on the line preceding that item. "
        "Please be open and honest in your responding."
    ),
    recall_period="none (your life as a whole)",
    items=tuple(Item(id=f"swls_{n}", text=t, options=AGREE_7) for n, t in enumerate(SWLS_ITEMS, start=1)),
    method=Method.SUM,
    bands=(
        band("extremely_dissatisfied", "Extremely dissatisfied", 5, 9, DIENER_SCORING),
        band("dissatisfied", "Dissatisfied", 10, 14, DIENER_SCORING),
        band("slightly_dissatisfied", "Slightly dissatisfied", 15, 19, DIENER_SCORING),
        band("neutral", "Neutral", 20, 20, DIENER_SCORING),
        band("slightly_satisfied", "Slightly satisfied", 21, 25, DIENER_SCORING),
        band("satisfied", "Satisfied", 26, 30, DIENER_SCORING),
        band("extremely_satisfied", "Extremely satisfied", 31, 35, DIENER_SCORING),
    ),
    missing_rule="All five items are required; the authors give no rule for missing answers.",
    scoring_text="Sum of the five items, each 1–7 (total 5–35). Higher means more satisfied.",
    loinc_note="No LOINC code found for the SWLS.",
    rci=ReliableChangeParams(
        source=Source(
            "SD 6.43 (Diener 1985, not yet checked against the paper) and 2-month test-retest r = .82 "
            "(Diener 1985). Jacobson & Truax 1991.",
            DIENER_1985.url,
        ),
        sd=6.43,
        reliability=0.82,
        higher_is_better=True,
    ),
    higher_is_better=True,
)

# --- OSSS-3 -----------------------------------------------------------------------------------------------

DALGARD = Source(
    "Dalgard OS, Bjørk S, Tambs K. Social support, negative life events and mental health. Br J Psychiatry "
    "1995;166(1):29-34.",
    "https://pubmed.ncbi.nlm.nih.gov/7894872/",
)
KOCALEVENT_2018 = Source(
    "Kocalevent R-D, Berg L, Beutel ME, et al. Social support in the general population: standardization of "
    "the Oslo social support scale (OSSS-3). BMC Psychol 2018;6:31.",
    "https://doi.org/10.1186/s40359-018-0249-9",
)

OSSS3 = Instrument(
    id="osss3",
    version=1,
    title="Oslo Social Support Scale (OSSS-3)",
    short_title="OSSS-3",
    measures="How much support you can count on from the people around you.",
    citation=DALGARD,
    licence=Licence(
        name="Free to use with citation",
        terms=(
            "No licence text found; described as free to use with citation. A courtesy permission from the "
            "authors is advisable before a commercial launch."
        ),
        source=KOCALEVENT_2018,
        commercial_use=True,
        attribution="Oslo Social Support Scale (OSSS-3), Odd Steffen Dalgard. Norms: Kocalevent et al. 2018.",
    ),
    instructions="",
    recall_period="none (your present situation)",
    items=(
        Item(
            id="osss3_1",
            text=(
                "How many people are so close to you that you can count on them if you have great personal "
                "problems?"
            ),
            options=(Option(1, "None"), Option(2, "1–2"), Option(3, "3–5"), Option(4, "6 or more")),
        ),
        Item(
            id="osss3_2",
            text="How much interest and concern do people show in what you do?",
            options=(
                Option(1, "None"),
                Option(2, "Little"),
                Option(3, "Uncertain"),
                Option(4, "Some"),
                Option(5, "A lot"),
            ),
        ),
        Item(
            id="osss3_3",
            text="How easy is it to get practical help from neighbours if you should need it?",
            options=(
                Option(1, "Very difficult"),
                Option(2, "Difficult"),
                Option(3, "Possible"),
                Option(4, "Easy"),
                Option(5, "Very easy"),
            ),
        ),
    ),
    method=Method.SUM,
    bands=(
        band("poor", "Poor social support", 3, 8, KOCALEVENT_2018),
        band("moderate", "Moderate social support", 9, 11, KOCALEVENT_2018),
        band("strong", "Strong social support", 12, 14, KOCALEVENT_2018),
    ),
    missing_rule="All three items are required; the authors give no rule for missing answers.",
    scoring_text="Sum of the three items (item 1 scored 1–4, items 2 and 3 scored 1–5; total 3–14).",
    loinc_note="No LOINC code found for the OSSS-3.",
    rci=ReliableChangeParams(
        source=Source(
            "SD 2.25 (Kocalevent 2018 norms) and internal consistency α = .64 (not yet checked). "
            "Jacobson & Truax 1991.",
            KOCALEVENT_2018.url,
        ),
        sd=2.25,
        reliability=0.64,
        higher_is_better=True,
    ),
    higher_is_better=True,
)

# --- UCLA-3 -----------------------------------------------------------------------------------------------

HUGHES_2004 = Source(
    "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring loneliness in large surveys: "
    "results from two population-based studies. Res Aging 2004;26(6):655-672.",
    "https://doi.org/10.1177/0164027504268574",
)
UCLA_CONVENTION = Source(
    "No author cut-off. Scores of 6–9 are called “lonely” by a convention of survey research, not by a "
    "validated threshold.",
    HUGHES_2004.url,
)
FREQUENCY_3 = (Option(1, "Hardly ever"), Option(2, "Some of the time"), Option(3, "Often"))

UCLA3 = Instrument(
    id="ucla3",
    version=1,
    title="Three-Item Loneliness Scale (UCLA-3)",
    short_title="UCLA-3",
    measures="How often you feel lonely: lacking companionship, left out, or isolated.",
    citation=HUGHES_2004,
    licence=Licence(
        name="Not copyrighted",
        terms="“Not a copyrighted scale”: free to use.",
        source=Source(
            "Carnegie Mellon University, Common Cold Project", "https://www.cmu.edu/common-cold-project/"
        ),
        commercial_use=True,
        attribution="Three-Item Loneliness Scale, Hughes, Waite, Hawkley and Cacioppo (2004), Res Aging 26:655.",
    ),
    instructions="How often do you feel…",
    recall_period="none (how often, in general)",
    items=(
        Item(
            id="ucla3_1",
            text="that you lack companionship?",
            options=FREQUENCY_3,
            prefix="How often do you feel…",
        ),
        Item(id="ucla3_2", text="left out?", options=FREQUENCY_3, prefix="How often do you feel…"),
        Item(
            id="ucla3_3", text="isolated from others?", options=FREQUENCY_3, prefix="How often do you feel…"
        ),
    ),
    method=Method.SUM,
    bands=(
        band("not_lonely", "Not lonely (by convention)", 3, 5, UCLA_CONVENTION),
        band("lonely", "Lonely (by convention)", 6, 9, UCLA_CONVENTION),
    ),
    missing_rule="All three items are required; the authors give no rule for missing answers.",
    scoring_text=(
        "Sum of the three items, each 1–3 (total 3–9). The authors set no cut-off; 6 or more is called "
        "“lonely” by convention. Norms from the 4-point version of the scale do not apply."
    ),
    loinc_note="No verified LOINC code for the three-item scale.",
)

# --- WHO-5 ------------------------------------------------------------------------------------------------

TOPP_2015 = Source(
    "Topp CW, Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: a systematic review of the "
    "literature. Psychother Psychosom 2015;84(3):167-176.",
    "https://doi.org/10.1159/000376585",
)

WHO5_OPTIONS = (
    Option(5, "All of the time"),
    Option(4, "Most of the time"),
    Option(3, "More than half of the time"),
    Option(2, "Less than half of the time"),
    Option(1, "Some of the time"),
    Option(0, "At no time"),
)
WHO5_ITEMS = (
    "I have felt cheerful and in good spirits",
    "I have felt calm and relaxed",
    "I have felt active and vigorous",
    "I woke up feeling fresh and rested",
    "My daily life has been filled with things that interest me",
)

WHO5 = Instrument(
    id="who5",
    version=1,
    title="WHO-5 Well-Being Index",
    short_title="WHO-5",
    measures="Your sense of well-being over the last two weeks.",
    citation=TOPP_2015,
    licence=Licence(
        name="CC BY-NC-SA 3.0 IGO (non-commercial)",
        terms=(
            "Copyright World Health Organization since 2024 (WHO/UCN/MSD/MHE/2024.1), licensed CC BY-NC-SA "
            "3.0 IGO: commercial use requires permission from WHO. Off by default."
        ),
        source=Source(
            "World Health Organization, The World Health Organization-Five Well-Being Index (2024)"
        ),
        commercial_use=False,
        attribution="WHO-5 Well-Being Index © World Health Organization 2024. Licence: CC BY-NC-SA 3.0 IGO.",
        enabled_by_default=False,
    ),
    instructions="Over the last two weeks:",
    recall_period="the last two weeks",
    items=tuple(
        Item(id=f"who5_{n}", text=t, options=WHO5_OPTIONS) for n, t in enumerate(WHO5_ITEMS, start=1)
    ),
    method=Method.SUM,
    bands=(
        band("poor_wellbeing", "Poor well-being (raw 12 or less)", 0, 12, TOPP_2015),
        band("adequate_wellbeing", "Above the poor well-being cut-off", 13, 25, TOPP_2015),
    ),
    missing_rule="All five items are required.",
    scoring_text=(
        "Raw sum of the five items, each 0–5 (0–25); multiplied by 4 it gives a percentage (0–100). A raw "
        "score of 12 or less (50% or less) suggests poor well-being and a depression screen."
    ),
    loinc_note="WHO-5 LOINC codes are not yet verified, so none are exported.",
    higher_is_better=True,
)
