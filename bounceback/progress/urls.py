from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("progress/", views.progress, name="bb-progress"),
    path("progress/report.pdf", views.report, name="bb-report"),
]
