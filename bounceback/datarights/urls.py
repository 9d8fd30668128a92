from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("me/data/", views.data, name="bb-my-data"),
    path("me/data/download/", views.download, name="bb-download"),
    path("me/delete/", views.delete, name="bb-delete-account"),
    path("me/deleted/", views.deleted, name="bb-account-deleted"),
    path("clinic/audit/", views.clinic_audit, name="bb-clinic-audit"),
]
