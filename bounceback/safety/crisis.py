"""Crisis resources per country, as data (hazard H12).

Every entry carries the source it was checked against and the date of that check; a test fails CI when a
check is older than 180 days. Country is the member's own choice, never guessed from an IP address; a
country with no entry gets the fallback (the local emergency number and an international directory).
Pure Python: the "Get help now" page renders from this without touching the database (hazard H24).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Contact:
    name: str
    how: str
    """What to do, in plain words ("Call or text 988")."""
    call: str = ""
    """Digits for a tel: link."""
    text: str = ""
    """Number for an sms: link."""
    text_body: str = ""
    """Message to pre-fill in the sms: link (Crisis Text Line: HOME)."""
    url: str = ""
    emergency: bool = False
    """The emergency-services number: shown first when someone is in danger right now."""
    display: str = ""
    """How the number is written for people, when not as dialled ("116 123")."""

    @property
    def shown(self) -> str:
        return self.display or self.call

    @property
    def tel_link(self) -> str:
        return f"tel:{self.call}" if self.call else ""

    @property
    def sms_link(self) -> str:
        if not self.text:
            return ""
        return f"sms:{self.text}?&body={self.text_body}" if self.text_body else f"sms:{self.text}"


@dataclass(frozen=True)
class CountryResources:
    code: str
    name: str
    contacts: tuple[Contact, ...]
    source: str
    verified: date

    @property
    def emergency(self) -> Contact:
        return next(c for c in self.contacts if c.emergency)

    @property
    def support(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if not c.emergency)

    @property
    def hotline(self) -> Contact | None:
        """The first crisis line one can call: what the acute banner asks people to call now."""
        return next((c for c in self.support if c.call), None)

    @property
    def acute_instruction(self) -> str:
        """What to do right now, in one sentence: the crisis line first, then the emergency number."""
        line = self.hotline
        emergency = (
            f"call {self.emergency.call}" if self.emergency.call else "call your local emergency number"
        )
        if line is None:
            return f"{emergency.capitalize()} if you are in danger, or find a crisis line near you."
        verb = "call or text" if line.text == line.call else "call"
        return (
            f"{verb.capitalize()} {line.shown} to talk to someone now, or {emergency} if you are in danger."
        )


RESOURCES: dict[str, CountryResources] = {
    "US": CountryResources(
        code="US",
        name="United States",
        contacts=(
            Contact(
                name="988 Suicide & Crisis Lifeline",
                how="Call or text 988, any time, free and confidential. You can also chat at 988lifeline.org.",
                call="988",
                text="988",
                url="https://988lifeline.org/",
            ),
            Contact(
                name="Crisis Text Line",
                how="Text HOME to 741741 to reach a trained crisis counselor, any time.",
                text="741741",
                text_body="HOME",
                url="https://www.crisistextline.org/",
            ),
            Contact(
                name="Emergency services",
                how="Call 911 if you or someone else is in danger right now.",
                call="911",
                emergency=True,
            ),
        ),
        source="https://988lifeline.org/ ; https://www.crisistextline.org/",
        verified=date(2026, 11, 25),
    ),
    "GB": CountryResources(
        code="GB",
        name="United Kingdom",
        contacts=(
            Contact(
                name="Samaritans",
                how="Call 116 123, free from any phone, any time, day or night.",
                call="116123",
                display="116 123",
                url="https://www.samaritans.org/",
            ),
            Contact(
                name="Shout",
                how="Text SHOUT to 85258 to reach a trained volunteer, any time.",
                text="85258",
                text_body="SHOUT",
                url="https://giveusashout.org/",
            ),
            Contact(
                name="NHS 111",
                how="Call 111 and choose the mental health option for urgent help.",
                call="111",
                url="https://www.nhs.uk/nhs-services/mental-health-services/where-to-get-urgent-help-for-mental-health/",
            ),
            Contact(
                name="Emergency services",
                how="Call 999 if you or someone else is in danger right now.",
                call="999",
                emergency=True,
            ),
        ),
        source="https://www.samaritans.org/ ; https://giveusashout.org/ ; https://www.nhs.uk/",
        verified=date(2026, 11, 25),
    ),
    "CA": CountryResources(
        code="CA",
        name="Canada",
        contacts=(
            Contact(
                name="9-8-8: Suicide Crisis Helpline",
                how="Call or text 988, any time, in English or French.",
                call="988",
                text="988",
                url="https://988.ca/",
            ),
            Contact(
                name="Emergency services",
                how="Call 911 if you or someone else is in danger right now.",
                call="911",
                emergency=True,
            ),
        ),
        source="https://988.ca/",
        verified=date(2026, 11, 25),
    ),
}

FALLBACK = CountryResources(
    code="",
    name="Other countries",
    contacts=(
        Contact(
            name="Emergency services",
            how="Call your local emergency number if you or someone else is in danger right now.",
            emergency=True,
        ),
        Contact(
            name="Find a Helpline",
            how="A free directory of crisis lines in many countries, by phone, text and chat.",
            url="https://findahelpline.com/",
        ),
    ),
    source="https://findahelpline.com/",
    verified=date(2026, 11, 25),
)

DEFAULT_COUNTRY = "US"
OTHER_COUNTRY = "ZZ"
"""The code kept for "another country": the fallback resources."""
COUNTRY_COOKIE = "bb_country"
"""Holds the person's chosen country so crisis pages can show the right numbers without the database."""


def country_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in RESOURCES.values()] + [(OTHER_COUNTRY, "Another country")]


def is_choice(code: str) -> bool:
    return code in RESOURCES or code == OTHER_COUNTRY


def resources_for(country: str | None) -> CountryResources:
    """The crisis resources for a country code (ISO 3166-1 alpha-2); the fallback when there are none."""
    return RESOURCES.get((country or "").upper(), FALLBACK)
