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
    path("checkup/due/", views.due_checkup, name="bb-due-checkup"),
    path("reminders/push/subscribe/", views.push_subscribe, name="bb-push-subscribe"),
    path("reminders/push/unsubscribe/", views.push_unsubscribe, name="bb-push-unsubscribe"),
    path("sw.js", views.service_worker, name="bb-service-worker"),
]
