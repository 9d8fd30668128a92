"""Where a clinician may practise: ISO 3166-2 subdivisions (US states, Canadian provinces and territories, the
UK's nations). Licences are granted by these; a member chooses theirs to see who may treat them there."""

from __future__ import annotations

US = {
    "US-AL": "Alabama", "US-AK": "Alaska", "US-AZ": "Arizona", "US-AR": "Arkansas", "US-CA": "California",
    "US-CO": "Colorado", "US-CT": "Connecticut", "US-DE": "Delaware", "US-DC": "District of Columbia",
    "US-FL": "Florida", "US-GA": "Georgia", "US-HI": "Hawaii", "US-ID": "Idaho", "US-IL": "Illinois",
    "US-IN": "Indiana", "US-IA": "Iowa", "US-KS": "Kansas", "US-KY": "Kentucky", "US-LA": "Louisiana",
    "US-ME": "Maine", "US-MD": "Maryland", "US-MA": "Massachusetts", "US-MI": "Michigan", "US-MN": "Minnesota",
    "US-MS": "Mississippi", "US-MO": "Missouri", "US-MT": "Montana", "US-NE": "Nebraska", "US-NV": "Nevada",
    "US-NH": "New Hampshire", "US-NJ": "New Jersey", "US-NM": "New Mexico", "US-NY": "New York",
    "US-NC": "North Carolina", "US-ND": "North Dakota", "US-OH": "Ohio", "US-OK": "Oklahoma", "US-OR": "Oregon",
    "US-PA": "Pennsylvania", "US-RI": "Rhode Island", "US-SC": "South Carolina", "US-SD": "South Dakota",
    "US-TN": "Tennessee", "US-TX": "Texas", "US-UT": "Utah", "US-VT": "Vermont", "US-VA": "Virginia",
    "US-WA": "Washington", "US-WV": "West Virginia", "US-WI": "Wisconsin", "US-WY": "Wyoming",
}  # fmt: skip
CA = {
    "CA-AB": "Alberta", "CA-BC": "British Columbia", "CA-MB": "Manitoba", "CA-NB": "New Brunswick",
    "CA-NL": "Newfoundland and Labrador", "CA-NS": "Nova Scotia", "CA-NT": "Northwest Territories",
    "CA-NU": "Nunavut", "CA-ON": "Ontario", "CA-PE": "Prince Edward Island", "CA-QC": "Quebec",
    "CA-SK": "Saskatchewan", "CA-YT": "Yukon",
}  # fmt: skip
GB = {"GB-ENG": "England", "GB-NIR": "Northern Ireland", "GB-SCT": "Scotland", "GB-WLS": "Wales"}

REGIONS: dict[str, str] = {**US, **CA, **GB}
"""Code → name."""

BY_COUNTRY: dict[str, dict[str, str]] = {"US": US, "CA": CA, "GB": GB}


def is_region(code: str) -> bool:
    return code in REGIONS


def region_name(code: str) -> str:
    return REGIONS.get(code, code)


def regions_of(country: str) -> dict[str, str]:
    """The regions a member in this country chooses from (none for a country without licensing regions here)."""
    return BY_COUNTRY.get(country, {})


def choices(country: str = "") -> list[tuple[str, str]]:
    table = regions_of(country) if country else REGIONS
    return sorted(table.items(), key=lambda item: item[1])
