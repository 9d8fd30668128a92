from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("checkin/", views.checkin, name="bb-checkin"),
    path("checkin/<str:day>/", views.checkin, name="bb-checkin-day"),
    path("checkin/<str:day>/answer/", views.save_one, name="bb-checkin-save"),
]
