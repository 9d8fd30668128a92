from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("checkup/<uuid:public_id>/plan/", views.plan, name="bb-plan"),
    path("evidence/", views.evidence, name="bb-evidence"),
    path("practice/", views.practice, name="bb-practice"),
    path("practice/done/", views.practice_done, name="bb-practice-done"),
]
