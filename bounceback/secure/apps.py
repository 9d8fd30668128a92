from __future__ import annotations

from django.apps import AppConfig


class SecureConfig(AppConfig):
    """Encryption at rest for free text: the encrypted field and ``bounceback rotate-keys``. No models."""

    name = "bounceback.secure"
    label = "secure"
    verbose_name = "Encryption at rest"
