from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.alert_list, name="bb-alerts"),
    path("alerts/on-call/", views.on_call, name="bb-alerts-on-call"),
    path("alerts/<uuid:public_id>/acknowledge/", views.acknowledge, name="bb-alert-acknowledge"),
    path("alerts/<uuid:public_id>/follow-up/", views.follow_up, name="bb-alert-follow-up"),
]
