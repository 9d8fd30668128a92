"""Signals plans sends for the apps above it (which plans may not import)."""

from __future__ import annotations

from django.dispatch import Signal

practice_recorded = Signal()
"""Sent by ``actions.record_practice`` inside its transaction, with ``user`` and ``session`` (a
MindfulnessSession): a receiver's writes commit or roll back with the session itself (tracking adds the minutes
to that day's check-in)."""
