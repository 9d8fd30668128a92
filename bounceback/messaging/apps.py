from __future__ import annotations

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "bounceback.messaging"
    label = "messaging"
    verbose_name = "Secure messaging"

    def ready(self) -> None:
        from bounceback.reminders.jobs import register_job

        from .actions import escalate_overdue
        from .notify import register_notices

        register_notices()
        register_job("messaging.overdue", escalate_overdue)
