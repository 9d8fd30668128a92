from __future__ import annotations

from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "bounceback.clinics"
    label = "clinics"
    verbose_name = "Clinics and clinicians"
