"""Brief Resilience Scale (BRS).

Smith BW, Dalen J, Wiggins K, Tooley E, Christopher P, Bernard J. The brief resilience scale: assessing the
ability to bounce back. Int J Behav Med 2008;15(3):194-200.

Score = mean of the six items after reversing 2, 4 and 6 (6 − x). Bands (Smith et al. 2013): low < 3.00,
normal 3.00–4.30, high > 4.30, compared on the exact mean (possible means are k/6: 25/6 is normal, 26/6 high).
The authors give no missing-data rule; the positively and negatively worded halves balance acquiescence, so
all six items are required.
"""

from __future__ import annotations

from .base import Instrument, Item, Licence, Method, Option, ReliableChangeParams, Source, band

SMITH_2008 = Source(
    "Smith BW, Dalen J, Wiggins K, Tooley E, Christopher P, Bernard J. The brief resilience scale: assessing "
    "the ability to bounce back. Int J Behav Med 2008;15(3):194-200.",
    "https://pubmed.ncbi.nlm.nih.gov/18696313/",
)
SMITH_2013 = Source(
    "Smith BW, Epstein EM, Ortiz JA, Christopher PJ, Tooley EM. The foundations of resilience: what are the "
    "critical resources for bouncing back from stress? In: Prince-Embury S, Saklofske DH (eds). Resilience in "
    "Children, Adolescents, and Adults. Springer, 2013: p. 177.",
    "https://www.psytoolkit.org/survey-library/resilience-brs.html",
)

AGREEMENT = (
    Option(1, "Strongly disagree"),
    Option(2, "Disagree"),
    Option(3, "Neutral"),
    Option(4, "Agree"),
    Option(5, "Strongly agree"),
)

_ITEMS = (
    ("I tend to bounce back quickly after hard times", False),
    ("I have a hard time making it through stressful events", True),
    ("It does not take me long to recover from a stressful event", False),
    ("It is hard for me to snap back when something bad happens", True),
    ("I usually come through difficult times with little trouble", False),
    ("I tend to take a long time to get over set-backs in my life", True),
)

BRS = Instrument(
    id="brs",
    version=1,
    title="Brief Resilience Scale (BRS)",
    short_title="BRS",
    measures="How able you feel to bounce back, or recover, from stress and hard times.",
    citation=SMITH_2008,
    licence=Licence(
        name="Free to use with citation",
        terms=(
            "No formal licence. The scale may be used for research and education when properly cited and the "
            "authors acknowledged; it is reprinted with the author's permission in clinical journals. "
            "Commercial use is not addressed: written permission from Bruce W. Smith (University of New "
            "Mexico) is advisable before a commercial launch."
        ),
        source=Source(
            "PsyToolkit survey library, BRS", "https://www.psytoolkit.org/survey-library/resilience-brs.html"
        ),
        commercial_use=True,
        attribution=(
            "Brief Resilience Scale © Bruce W. Smith and colleagues. Smith BW et al. Int J Behav Med "
            "2008;15:194-200. Used with acknowledgement of the authors."
        ),
    ),
    instructions=(
        "Please indicate the extent to which you agree with each of the following statements by using the "
        "following scale: 1 = strongly disagree, 2 = disagree, 3 = neutral, 4 = agree, 5 = strongly agree."
    ),
    recall_period="none (a trait measure)",
    items=tuple(
        Item(id=f"brs_{n}", text=text, options=AGREEMENT, reverse=reverse)
        for n, (text, reverse) in enumerate(_ITEMS, start=1)
    ),
    method=Method.MEAN,
    bands=(
        band("low", "Low resilience", 1, 3, SMITH_2013, upper_open=True),
        band("normal", "Normal resilience", "3.00", "4.30", SMITH_2013),
        band("high", "High resilience", "4.30", 5, SMITH_2013, lower_open=True),
    ),
    missing_rule=(
        "All six items are required; the authors give no rule for missing answers, and leaving items out "
        "would unbalance the positively and negatively worded halves."
    ),
    scoring_text=(
        "Items 2, 4 and 6 are reverse-scored (6 minus the answer); the score is the mean of all six items, "
        "from 1.00 to 5.00. Bands are compared on the exact mean."
    ),
    loinc_note="No LOINC code found for the BRS.",
    rci=ReliableChangeParams(
        source=Source(
            "SD 0.70 (assumed from the published mean and spread; to be checked against Smith 2008 Table 1) "
            "and 1-month test-retest ICC .69 (not yet checked). Jacobson & Truax 1991.",
            SMITH_2008.url,
        ),
        sd=0.70,
        reliability=0.69,
        higher_is_better=True,
    ),
    decimals=2,
    higher_is_better=True,
)
