"""``bounceback fhir questionnaire ID | export (--user EMAIL | --answers FILE --subject REF) | import FILE``
(docs/fhir.md)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bounceback.accounts.models import User
from bounceback.fhir.conformance import problems
from bounceback.fhir.export import Completed, bundle, questionnaire
from bounceback.fhir.imports import FhirImportError, read_response
from bounceback.fhir.records import completed_for, subject_reference
from bounceback.instruments import ScoringError


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None


def _datetime(text: object, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        raise CommandError(f"{where}: {text!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        raise CommandError(f"{where}: {text!r} has no time zone (write e.g. 2026-03-01T09:30:00+00:00)")
    return value


def completed_from_json(data: Any) -> list[Completed]:
    """The --answers file: a list of {"instrument": ID, "answers": {item: value}, "authored": ISO datetime}."""
    if not isinstance(data, list):
        raise CommandError("--answers: expected a JSON list of {instrument, answers, authored} objects")
    results = []
    for n, entry in enumerate(data, start=1):
        where = f"--answers entry {n}"
        if not isinstance(entry, Mapping) or not {"instrument", "answers", "authored"} <= set(entry):
            raise CommandError(f"{where}: needs instrument, answers and authored")
        if not isinstance(entry["answers"], Mapping):
            raise CommandError(f"{where}: answers must be an object of item id to value")
        results.append(
            Completed(str(entry["instrument"]), dict(entry["answers"]), _datetime(entry["authored"], where))
        )
    return results


class Command(BaseCommand):
    help = "FHIR R4: print an instrument's Questionnaire, export answers as a Bundle, or import a response."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        q = actions.add_parser("questionnaire", help="print the Questionnaire of one instrument")
        q.add_argument("instrument", metavar="ID")
        e = actions.add_parser(
            "export", help="print a Bundle of QuestionnaireResponses and total Observations"
        )
        source = e.add_mutually_exclusive_group(required=True)
        source.add_argument("--answers", metavar="FILE", help="JSON list of {instrument, answers, authored}")
        source.add_argument(
            "--user", metavar="EMAIL", help="a member's completed check-ups, from the database"
        )
        e.add_argument(
            "--subject",
            metavar="REFERENCE",
            help="e.g. Patient/123 (with --answers; --user uses the member's id)",
        )
        i = actions.add_parser(
            "import", help="read a QuestionnaireResponse, re-score it, print answers and result"
        )
        i.add_argument("file", metavar="FILE")
        i.add_argument(
            "--instrument", metavar="ID", help="the instrument, when the response does not name ours"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "questionnaire":
                self._print(questionnaire(options["instrument"]))
            elif action == "export":
                self._export(options)
            else:
                self._import(options["file"], options["instrument"])
        except KeyError as error:
            raise CommandError(str(error.args[0])) from None
        except (ScoringError, ValueError) as error:
            raise CommandError(str(error)) from None

    def _export(self, options: dict[str, Any]) -> None:
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no member with the email {options['user']!r}")
            results, subject = completed_for(user), subject_reference(user)
        else:
            if not options["subject"]:
                raise CommandError("--subject is needed with --answers (e.g. --subject Patient/123)")
            results, subject = completed_from_json(_read_json(options["answers"])), options["subject"]
        self._print(bundle(results, subject, datetime.now(UTC)))

    def _import(self, path: str, instrument_id: str | None) -> None:
        data = _read_json(path)
        if not isinstance(data, Mapping):
            raise CommandError(f"{path}: expected a QuestionnaireResponse object")
        try:
            imported = read_response(data, instrument_id)
        except FhirImportError as error:
            raise CommandError(f"{path}: {error}") from None
        result = imported.result
        self.stdout.write(
            json.dumps(
                {
                    "instrument": imported.instrument_id,
                    "answers": imported.answers,
                    "authored": imported.authored.isoformat() if imported.authored else None,
                    "subject": imported.subject,
                    "total": result.total,
                    "band": result.band,
                    "complete": result.complete,
                    "flags": sorted(result.flags),
                },
                indent=2,
            )
        )

    def _print(self, resource: dict[str, Any]) -> None:
        found = problems(resource)
        if found:  # pragma: no cover - the builders are tested to conform; never print a bad resource
            raise CommandError("refusing to print a non-conforming resource: " + "; ".join(found))
        self.stdout.write(json.dumps(resource, indent=2, ensure_ascii=False))
