from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bounceback.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (records sign-ins, failed sign-ins and sign-outs)
