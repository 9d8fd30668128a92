from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("safety-plan/", views.safety_plan, name="bb-safety-plan"),
    path("safety-plan/entries/<str:public_id>/", views.save_entry, name="bb-safety-plan-entry"),
]
