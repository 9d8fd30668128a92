"""Hostile values in every field of the clinic forms and in the ids of their addresses: the administrator's
clinic page (settings, invitations, staff, withdrawing), the clinician's profile, diary and time off, a member's
region, and the invitation link's own form (each value sent to a fresh link, since a value that is accepted
uses the link up). Never a 500, never an unescaped echo. The machinery is the site-wide fuzz test's
(``bounceback/tests/test_fuzz.py``), which reaches these pages too once the demo seed has a clinic."""

from __future__ import annotations

from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from bounceback.accounts.models import User
from bounceback.clinics import actions
from bounceback.clinics.models import Clinic, StaffRole
from bounceback.test import PASSWORD, make_clinic, make_clinic_admin, make_clinician, make_user
from bounceback.tests.test_fuzz import (  # the fixture by its name, for usefixtures
    CSRF_FIELD,
    HOSTILE,
    Findings,
    Form,
    Person,
    body,
    fetch,
    forms_on,
    fuzz_forms,
    fuzz_path,
    new_client,
    parse,
    quiet_client_errors,  # noqa: F401
    send,
    sign_in,
    totp_code,
    where,
)


def staff_person(name: str, user: User) -> Person:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    person = Person(name, new_client(), email=user.email, password=PASSWORD, code=totp_code(secret))
    person.fill = {"password": lambda: PASSWORD}
    sign_in(person)
    person.user = user
    return person


def post_forms(person: Person, urls: list[str]) -> list[Form]:
    forms: list[Form] = []
    for url in urls:
        page, response = fetch(person, url)
        assert response.status_code == 200, (url, response.status_code)
        parser = parse(response)
        assert parser is not None, url
        forms += [f for f in forms_on(page, parser) if f.method == "post" and "/accounts/" not in f.action]
    return forms


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("quiet_client_errors")
def test_no_clinic_form_fails_or_echoes_markup_on_hostile_input() -> None:
    clinic = make_clinic()
    admin = make_clinic_admin("ada", clinic, two_factor=False)
    carl = make_clinician("carl", clinic, two_factor=False)
    make_clinician("dora", clinic)
    actions.invite(admin, clinic, "nadia@example.org")
    actions.add_time_off(carl, date(2027, 1, 4), date(2027, 1, 8))
    findings = Findings()

    clinician = staff_person("the clinician", carl)
    forms = post_forms(clinician, ["/clinician/profile/", "/clinician/availability/"])
    fuzz_forms(clinician, forms, findings)

    # The administrator after the clinician: fuzzing the staff list deactivates people.
    administrator = staff_person("the administrator", admin)
    fuzz_forms(administrator, post_forms(administrator, ["/clinic/"]), findings)

    mia = make_user("mia")
    member = Person("the member", new_client(), email=mia.email, password=PASSWORD)
    sign_in(member)
    member.user = mia
    fuzz_forms(member, post_forms(member, ["/me/region/"]), findings)

    fuzz_invitation_form(clinic, admin, findings)

    fuzzed = {address[3] for address in findings.paths}
    assert {
        "/clinic/",
        "/clinic/invitations/",
        "/clinic/invitations/<uuid>/withdraw/",
        "/clinic/staff/<uuid>/active/",
        "/clinician/profile/",
        "/clinician/availability/",
        "/clinician/availability/time-off/",
        "/clinician/availability/time-off/<uuid>/remove/",
        "/me/region/",
        "/invite/<token>/",
    } <= fuzzed, fuzzed
    assert {
        "external_meeting_url",
        "regions",
        "bio",
        "hours_0_0_start",
        "first_day",
        "region",
        "password1",
    } <= (findings.names)
    assert findings.failures == [], "\n".join(findings.failures[:40])
    assert Clinic.objects.count() == 1


def fuzz_invitation_form(clinic: Clinic, admin: User, findings: Findings) -> None:
    """Each hostile value in each field of the accept form, each on a fresh link: a value the form takes makes the
    account and uses the link, so the next value needs another."""
    n = 0

    def fresh_form() -> tuple[Person, Form]:
        nonlocal n
        n += 1
        _invitation, token = actions.invite(admin, clinic, f"invitee{n}@example.org", StaffRole.CLINICIAN)
        visitor = Person("an invitee", new_client())
        page, response = fetch(visitor, f"/invite/{token}/")
        parser = parse(response)
        assert parser is not None
        (form,) = [f for f in forms_on(page, parser) if f.method == "post"]
        return visitor, form

    visitor, form = fresh_form()
    findings.names |= {f.name for f in form.fields}
    findings.paths.add(form.address(False))
    fuzz_path(visitor, form, findings)
    for field in form.fields:
        if field.name == CSRF_FIELD:
            continue
        findings.fields += 1
        for label, value in HOSTILE:
            visitor, form = fresh_form()
            response = send(visitor, "post", form.action, body(visitor, form, field.name, value), {})
            findings.check(where(form, field.name, label), response)
