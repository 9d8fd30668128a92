"""The time-zone list renders in one pass, with the chosen zone selected and the field's attributes kept."""

from __future__ import annotations

from bounceback.accounts.forms import TIME_ZONE_CHOICES, OnboardingForm


def test_it_renders_every_zone_with_the_chosen_one_selected() -> None:
    html = str(OnboardingForm(initial={"time_zone": "Australia/Sydney"})["time_zone"])
    assert html.startswith("<select")
    assert 'name="time_zone"' in html and 'id="id_time_zone"' in html
    assert 'aria-describedby="id_time_zone_helptext"' in html
    assert html.count("<option") == len(TIME_ZONE_CHOICES)
    assert html.count(" selected") == 1
    assert '<option value="Australia/Sydney" selected>Australia/Sydney</option>' in html
    assert '<option value="America/Argentina/Buenos_Aires">America/Argentina/Buenos Aires</option>' in html


def test_a_posted_value_outside_the_list_selects_nothing() -> None:
    form = OnboardingForm(data={"time_zone": '"><script>x</script>'})
    html = str(form["time_zone"])
    assert " selected" not in html and "<script>" not in html
    assert not form.is_valid() and "time_zone" in form.errors
