"""A safety event of a member raises their alerts in the same transaction (hazard H05): when it is recorded, and
when a visitor's check-up with an event joins the member's account."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from bounceback.safety.models import SafetyEvent

from .actions import raise_for_event


@receiver(post_save, sender=SafetyEvent, dispatch_uid="alerts.raise_for_event")
def on_safety_event(sender: type[SafetyEvent], instance: SafetyEvent, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if created or (update_fields is not None and "user" in update_fields):
        raise_for_event(instance)
