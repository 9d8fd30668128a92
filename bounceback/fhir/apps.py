from __future__ import annotations

from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "bounceback.fhir"
    label = "fhir"
    verbose_name = "FHIR R4"
