"""Operators see the outbox (failed sends first of all) and the scheduler's heartbeat, and can send a failed
reminder again or cancel it. Rows show the member's opaque public id, the due date and channel: no content."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import Heartbeat, Outbox, Status


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("send_at", "status", "channel", "due_date", "attempts", "last_error", "member_public_id")
    list_filter = ("status", "channel")
    ordering = ("-send_at",)
    actions = ("send_again", "cancel")
    readonly_fields = [f.name for f in Outbox._meta.fields]

    @admin.display(description="member")
    def member_public_id(self, row: Outbox) -> str:
        return str(row.member.public_id)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Outbox]:
        return super().get_queryset(request).select_related("member")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Send again (failed or cancelled reminders only)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        count = queryset.filter(status__in=[Status.FAILED, Status.CANCELLED]).update(
            status=Status.PENDING,
            attempts=0,
            retry_at=None,
            enqueued_at=None,
            send_at=timezone.now(),
            changed_at=timezone.now(),
        )
        self.message_user(request, f"{count} reminder(s) will be sent again.", messages.SUCCESS)

    @admin.action(description="Cancel (pending or failed reminders only)")
    def cancel(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        count = queryset.filter(status__in=[Status.PENDING, Status.FAILED]).update(
            status=Status.CANCELLED, changed_at=timezone.now()
        )
        self.message_user(request, f"{count} reminder(s) cancelled.", messages.SUCCESS)


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "beat_at", "host", "pid")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
