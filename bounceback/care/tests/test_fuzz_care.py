"""Hostile values in every field of the care forms (share, stop a share, end care) and in the ids of their
addresses: never a 500, never an unescaped echo, never another member's care served. The site-wide fuzz test
reaches these forms once the demo seed puts its member in care; this one reaches them today, with the same
machinery (``bounceback/tests/test_fuzz.py``)."""

from __future__ import annotations

import pytest

from bounceback.care.models import CareRelationship, Share
from bounceback.test import PASSWORD, make_clinic, make_clinician, make_user, start_care
from bounceback.tests.test_fuzz import (  # the fixture by its name, for usefixtures
    Findings,
    Person,
    fetch,
    forms_on,
    fuzz_forms,
    new_client,
    parse,
    quiet_client_errors,  # noqa: F401
    sign_in,
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("quiet_client_errors")
def test_no_care_form_fails_or_echoes_markup_on_hostile_input() -> None:
    clinic = make_clinic()
    bob = make_clinician("bob", clinic)
    alice = make_user("alice")
    relationship, _share = start_care(alice, bob)
    daves, daves_share = start_care(make_user("dave"), bob)  # someone else's care: untouched
    member = Person("the member", new_client(), email=alice.email, password=PASSWORD)
    sign_in(member)
    member.user = alice
    findings = Findings()
    sharing = f"/care/{relationship.public_id}/"
    forms = []
    for url in ("/care/", sharing, "/care/access-log/", f"{sharing}end/"):  # ending care last
        page, response = fetch(member, url)
        parser = parse(response)
        assert parser is not None, url
        forms += [f for f in forms_on(page, parser) if f.method == "post"]
    actions = {f.action.removeprefix("http://testserver") for f in forms}
    assert sharing in actions and f"{sharing}end/" in actions
    assert any("/stop/" in a for a in actions), actions
    fuzz_forms(member, forms, findings)
    fuzzed = {address[3] for address in findings.paths}
    assert {"/care/<uuid>/", "/care/<uuid>/end/", "/care/<uuid>/shares/<uuid>/stop/"} <= fuzzed, fuzzed
    assert {"kinds", "last_day"} <= findings.names
    assert findings.failures == [], "\n".join(findings.failures[:40])
    assert CareRelationship.objects.active().filter(pk=daves.pk).exists()
    assert Share.objects.live().filter(pk=daves_share.pk).exists()
