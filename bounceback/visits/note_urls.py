from __future__ import annotations

from django.urls import path

from . import note_views

urlpatterns = [
    path("visits/<str:public_id>/summary/", note_views.summary, name="bb-visit-summary"),
    path("visits/<str:public_id>/notes/", note_views.notes, name="bb-visit-notes"),
]
