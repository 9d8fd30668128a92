from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("reminders/", views.reminders, name="bb-reminders"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="bb-reminders-unsubscribe"),
    path(
        "reminders/notifications/<uuid:public_id>/dismiss/",
        views.dismiss,
        name="bb-notification-dismiss",
    ),
    path("notifications/", views.notices_page, name="bb-notices"),
    path("notifications/<uuid:public_id>/open/", views.open_notice, name="bb-notice-open"),
    path("checkup/due/", views.due_checkup, name="bb-due-checkup"),
    path("reminders/push/subscribe/", views.push_subscribe, name="bb-push-subscribe"),
    path("reminders/push/unsubscribe/", views.push_unsubscribe, name="bb-push-unsubscribe"),
    path("sw.js", views.service_worker, name="bb-service-worker"),
]
