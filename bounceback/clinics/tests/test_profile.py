"""The clinician's profile: what members see (credentials, licences by region, languages, modalities, a short
bio, response time, accepting new members); only an active clinician edits their own. And a member's region."""

from __future__ import annotations

from django.test import Client, TestCase

from bounceback.audit.models import AuditEvent
from bounceback.clinics import actions
from bounceback.clinics.models import ClinicianProfile, Staff
from bounceback.clinics.tests.helpers import ClinicianSignedInTest, asks_to_sign_in, signed_in
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, make_user

PROFILE = {
    "display_name": "Carl Example",
    "credentials": "LCSW",
    "regions": ["US-NY", "US-NJ", "CA-ON"],
    "languages": "English, Spanish, Haitian Creole",
    "modalities": ["video", "messaging"],
    "bio": "Works with people through loss and change.",
    "response_hours": "24",
    "accepting": "on",
}


class ProfilePageTest(ClinicianSignedInTest):
    def test_it_works(self) -> None:
        response = self.client.get("/clinician/profile/")
        self.assertContains(response, "Your profile")
        self.assertContains(response, "<summary>United States</summary>")
        self.assertContains(response, "New York")
        self.assertContains(response, 'value="US-NY"')

    def test_it_requires_login(self) -> None:
        self.assertTrue(asks_to_sign_in(Client().get("/clinician/profile/")))

    def test_it_saves_the_profile(self) -> None:
        response = self.client.post("/clinician/profile/", PROFILE)
        self.assertRedirects(response, "/clinician/profile/")
        profile = ClinicianProfile.objects.get(user=self.carl)
        self.assertEqual(profile.regions, ["CA-ON", "US-NJ", "US-NY"])
        self.assertEqual(profile.languages, ["English", "Spanish", "Haitian Creole"])
        self.assertEqual(profile.modalities, ["video", "messaging"])
        self.assertEqual((profile.response_hours, profile.accepting), (24, True))
        self.assertTrue(AuditEvent.objects.filter(action="clinician.profile.write"))
        page = self.client.get("/clinician/profile/")
        self.assertContains(page, "Haitian Creole")
        unticked = {k: v for k, v in PROFILE.items() if k != "accepting"}
        self.client.post("/clinician/profile/", unticked)
        self.assertFalse(ClinicianProfile.objects.get(user=self.carl).accepting)

    def test_errors_are_named(self) -> None:
        for field, value, words in (
            ("regions", ["US-XX"], "Select a valid choice"),
            ("modalities", ["phone"], "Select a valid choice"),
            ("bio", "x" * 1201, "at most 1200"),
            ("languages", "English; <b>", "letters"),
            ("response_hours", "0", "greater than or equal to 1"),
            ("display_name", "", "required"),
        ):
            response = self.client.post("/clinician/profile/", {**PROFILE, field: value})
            self.assertContains(response, words, status_code=400, msg_prefix=field)
            self.assertContains(response, f'href="#id_{field}', status_code=400, msg_prefix=field)
        self.assertEqual(ClinicianProfile.objects.get(user=self.carl).credentials, "LCSW")

    def test_checks_access(self) -> None:
        """Members, administrators (of this clinic or another) and deactivated clinicians have no profile page."""
        admin = make_clinic_admin("ada", self.clinic)
        other_admin = make_clinic_admin("otto", make_clinic("Hillside"))
        dora = make_clinician("dora", self.clinic)
        Staff.objects.filter(user=dora).update(active=False)
        for person in (make_user("mia"), admin, other_admin, dora):
            client = Client()
            client.force_login(person)
            for url in ("/clinician/profile/", "/clinician/availability/"):
                self.assertEqual(client.get(url).status_code, 404, (person, url))
                self.assertEqual(client.post(url, PROFILE).status_code, 404, (person, url))
        self.assertEqual(ClinicianProfile.objects.get(user=dora).credentials, "LCSW")


class ProfileActionTest(TestCase):
    def test_it_refuses_unknown_regions_and_modalities(self) -> None:
        carl = make_clinician("carl", make_clinic())
        values = actions.Profile("Carl", "LCSW", ["US-NY"], ["English"], ["video"], "", 24, True)
        actions.save_profile(carl, values)
        for field, bad in (("regions", ["XX-YY"]), ("modalities", ["fax"]), ("bio", "x" * 1201)):
            with self.assertRaises(actions.ClinicError) as caught:
                actions.save_profile(carl, actions.Profile(**{**values.__dict__, field: bad}))
            self.assertEqual(caught.exception.field, field)

    def test_languages_are_read_from_a_comma_separated_list(self) -> None:
        self.assertEqual(actions.parse_languages(" English ,Spanish,, English"), ["English", "Spanish"])
        self.assertEqual(
            actions.parse_languages("Français, Español (Latinoamérica)"),
            ["Français", "Español (Latinoamérica)"],
        )
        for bad in ("English1", "<script>", "a" * 41, ", ".join(["Xhosa"] * 13)):
            with self.assertRaises(actions.ClinicError):
                actions.parse_languages(bad)


class RegionPageTest(TestCase):
    def setUp(self) -> None:
        self.mia = make_user("mia")
        self.client = signed_in(self.mia)

    def test_it_works(self) -> None:
        response = self.client.get("/me/region/")
        self.assertContains(response, "Where you live")
        self.assertContains(response, '<optgroup label="United States">')

    def test_it_requires_login(self) -> None:
        self.assertTrue(asks_to_sign_in(Client().get("/me/region/")))

    def test_it_saves_the_region_in_the_country(self) -> None:
        self.assertRedirects(
            self.client.post("/me/region/", {"country": "US", "region": "US-NY"}), "/me/region/"
        )
        self.mia.refresh_from_db()
        self.assertEqual((self.mia.country, self.mia.region), ("US", "US-NY"))
        self.assertContains(self.client.get("/me/region/"), 'value="US-NY" selected')
        self.client.post("/me/region/", {"country": "GB", "region": "GB-SCT"})
        self.mia.refresh_from_db()
        self.assertEqual((self.mia.country, self.mia.region), ("GB", "GB-SCT"))
        self.assertTrue(AuditEvent.objects.filter(action="account.region.write"))

    def test_a_region_of_another_country_is_refused(self) -> None:
        response = self.client.post("/me/region/", {"country": "US", "region": "CA-ON"})
        self.assertContains(response, "country you chose", status_code=400)
        self.assertContains(response, 'href="#id_region"', status_code=400)
        self.mia.refresh_from_db()
        self.assertEqual(self.mia.region, "")

    def test_another_country_has_no_regions(self) -> None:
        self.client.post("/me/region/", {"country": "ZZ", "region": ""})
        self.mia.refresh_from_db()
        self.assertEqual((self.mia.country, self.mia.region), ("ZZ", ""))

    def test_checks_access(self) -> None:
        clinic = make_clinic()
        for person in (make_clinician("carl", clinic), make_clinic_admin("ada", clinic)):
            client = Client()
            client.force_login(person)
            self.assertEqual(client.get("/me/region/").status_code, 404)
