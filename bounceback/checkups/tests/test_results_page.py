"""The results page leads with what matters: safety and professional help first and never folded away, the
not-a-diagnosis note in view, results of concern open, the rest folded; each result keeps its way to talk to
someone and its source; a print version carries the crisis lines."""

from __future__ import annotations

import re

from django.test import Client, TestCase

from bounceback.test import CALM_ANSWERS, visitor_checkup

WORRIED = (
    {f"brs_{n}": 2 for n in range(1, 7)}
    | {f"phq9_{n}": 2 for n in range(1, 9)}
    | {"phq9_9": 1, "asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 0}
    | {k: v for k, v in CALM_ANSWERS.items() if not k.startswith(("brs_", "phq9_"))}
)
"""Moderately severe depression symptoms and thoughts of being better off dead (not acute): the crisis panel,
the professional-help section, and results both of concern and not."""


def results_page(answers: dict[str, int]) -> str:
    client = Client()
    checkup = visitor_checkup(client, answers)
    client.post(f"/checkup/{checkup.public_id}/", {"action": "safe"})
    response = client.get(f"/checkup/{checkup.public_id}/results/")
    assert response.status_code == 200
    return response.content.decode()


def main_of(content: str) -> str:
    return content[content.index("<main") : content.index("</main>")]


class ResultsPageTest(TestCase):
    def test_safety_and_professional_help_come_first_and_are_never_folded(self) -> None:
        main = main_of(results_page(WORRIED))
        first_result = main.index('<section class="result"')
        for lead in ('class="crisis-panel"', 'id="pro-help-heading"', "Not a diagnosis.", 'href="tel:988"'):
            self.assertIn(lead, main)
            self.assertLess(main.index(lead), first_result, lead)
        self.assertLess(main.index('class="crisis-panel"'), main.index('id="pro-help-heading"'))
        self.assertNotIn("<details", main[:first_result], "nothing before the results is folded")

    def test_results_of_concern_are_open_and_the_rest_folded(self) -> None:
        main = main_of(results_page(WORRIED))
        groups = main.split('id="other-results"')
        self.assertEqual(len(groups), 2)
        concern, quiet = groups
        self.assertIn('id="stands-out"', concern)
        self.assertIn('id="r-phq9"', concern)
        # Open: the score, the drawing and what you can do are outside any <details>.
        phq9 = concern[concern.index('id="r-phq9"') :]
        phq9 = phq9[: phq9.index("</section>")]
        self.assertLess(phq9.index("What you can do:"), phq9.index("<details"))
        self.assertLess(phq9.index('<figure class="scale">'), phq9.index("<details"))
        # Folded: each quiet result shows its score and meaning, the rest inside <details>.
        for section in re.findall(r'<section class="result".*?</section>', quiet, re.S):
            before, _, folded = section.partition("<details>")
            self.assertIn('class="score"', before)
            self.assertIn("What you can do:", folded)
            self.assertIn("Source:", folded)

    def test_every_result_keeps_a_way_to_talk_to_someone_and_its_source(self) -> None:
        main = main_of(results_page(WORRIED))
        sections = re.findall(r'<section class="result".*?</section>', main, re.S)
        self.assertGreaterEqual(len(sections), 8)
        for section in sections:
            self.assertIn("Struggling, whatever the score? Talk to someone", section)
            self.assertIn('href="/help/"', section)
            self.assertRegex(section, r'href="/instruments/[a-z0-9]+/"')

    def test_a_calm_check_up_has_no_group_of_concern(self) -> None:
        main = main_of(results_page(CALM_ANSWERS))
        self.assertNotIn("What stands out", main)
        self.assertNotIn("We recommend talking to a professional", main)
        self.assertIn("Not a diagnosis.", main)

    def test_the_printed_page_carries_the_crisis_lines_and_the_screening_note(self) -> None:
        main = main_of(results_page(WORRIED))
        printed = main[main.index('class="print-only print-crisis"') :]
        self.assertIn("In an emergency: call 911.", printed)
        self.assertIn("call 988", printed)
        self.assertIn("text HOME to 741741", printed)
        self.assertIn("Screening suggests; it never diagnoses. This is not medical advice.", printed)
