from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "bounceback.visits"
    label = "visits"
    verbose_name = "Booking and visits"

    def ready(self) -> None:
        from .notes import register_notices
        from .notify import register_all  # the models are loaded only now

        register_all()
        register_notices()  # a worker that never loads the URLs must know "visit.summary" too
