"""Exercise Vital Sign (EVS).

Coleman KJ, Ngor E, Reynolds K, et al. Initial validation of an exercise "vital sign" in electronic medical
records. Med Sci Sports Exerc 2012;44(11):2071-2076.

EVS = days per week × minutes per day, in minutes per week (LOINC 82290-8). Bands: 0 inactive, 1-149
insufficiently active, 150 or more sufficiently active. The minutes question is asked "On those days that you
engage in moderate to strenuous exercise", so after 0 days it does not apply: 0 days scores 0 minutes a week
whether or not it was answered.
"""

from __future__ import annotations

from .base import Gate, Instrument, Item, Licence, Method, Result, Source, band, complete_result

COLEMAN_2012 = Source(
    "Coleman KJ, Ngor E, Reynolds K, et al. Initial validation of an exercise “vital sign” in electronic "
    "medical records. Med Sci Sports Exerc 2012;44(11):2071-2076.",
    "https://pubmed.ncbi.nlm.nih.gov/22688832/",
)

MINUTES_PER_DAY = 1440
MAX_WEEKLY = 7 * MINUTES_PER_DAY


def score_evs(instrument: Instrument, answers: dict[str, int | None]) -> Result:
    days, minutes = answers["evs_days"], answers["evs_minutes"]
    if days is None:
        return Result(instrument.id, instrument.version, None, None, False, missing=("evs_days",))
    if days == 0:
        return complete_result(instrument, 0, frozenset())
    if minutes is None:
        return Result(instrument.id, instrument.version, None, None, False, missing=("evs_minutes",))
    return complete_result(instrument, days * minutes, frozenset())


EVS = Instrument(
    id="evs",
    version=1,
    title="Exercise Vital Sign (EVS)",
    short_title="Exercise Vital Sign",
    measures="How many minutes a week you spend in moderate to strenuous exercise.",
    citation=COLEMAN_2012,
    licence=Licence(
        name="No restrictions found",
        terms=(
            "No licence restrictions found. LOINC-coded and recommended by the ONC Interoperability Standards "
            "Advisory (adapted by SAMHSA from the Kaiser Permanente Exercise Vital Sign)."
        ),
        source=Source(
            "ONC Interoperability Standards Advisory: representing physical activity",
            "https://www.healthit.gov/isa/representing-physical-activity",
        ),
        commercial_use=True,
        attribution="Exercise Vital Sign, Kaiser Permanente (Coleman et al. 2012).",
    ),
    instructions="",
    recall_period="an average week in the last 30 days",
    items=(
        Item(
            id="evs_days",
            text=(
                "For an average week in the last 30 days, how many days per week did you engage in moderate "
                "to strenuous exercise (like walking fast, running, jogging, dancing, swimming, biking, or "
                "other activities that cause a light or heavy sweat)?"
            ),
            min_value=0,
            max_value=7,
            unit="days",
            loinc="89555-7",
        ),
        Item(
            id="evs_minutes",
            text=(
                "On those days that you engage in moderate to strenuous exercise, how many minutes, on "
                "average, do you exercise?"
            ),
            min_value=0,
            max_value=MINUTES_PER_DAY,
            unit="minutes",
            loinc="68516-4",
        ),
    ),
    method=Method.CUSTOM,
    bands=(
        band("inactive", "Inactive", 0, 0, COLEMAN_2012),
        band("insufficiently_active", "Insufficiently active", 1, 149, COLEMAN_2012),
        band(
            "sufficiently_active",
            "Sufficiently active (150 minutes a week or more)",
            150,
            MAX_WEEKLY,
            COLEMAN_2012,
        ),
    ),
    missing_rule=(
        "Days are required. Minutes are required when days are above 0; after 0 days the minutes question "
        "does not apply and the score is 0."
    ),
    scoring_text="Days per week × minutes per day = minutes of moderate to strenuous exercise per week.",
    custom=score_evs,
    gates=(Gate(("evs_minutes",), ("evs_days",), ">", 0),),
    loinc_panel="89574-8",
    loinc_total="82290-8",
    higher_is_better=True,
)
