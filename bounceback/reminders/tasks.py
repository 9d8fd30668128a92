"""The background tasks (django-tasks, run by ``bounceback db_worker``). Each is a thin call into
``outbox.py``, where the guarantees live: a task may run twice or not at all, the outbox row decides."""

from __future__ import annotations

from django_tasks import task

from . import outbox


@task()
def deliver(outbox_id: int) -> str:
    """Claim, send and record one outbox row. Returns the outcome ("sent", "retry", "not claimed", …)."""
    return outbox.deliver(outbox_id)
