from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("clinician/", views.caseload_page, name="bb-dashboard"),
    path("clinician/assign/<str:public_id>/", views.assign, name="bb-dashboard-assign"),
    path(
        "clinician/assign/<str:public_id>/<str:assignment_id>/stop/",
        views.unassign,
        name="bb-dashboard-unassign",
    ),
    path("clinic/outcomes/", views.outcomes_page, name="bb-clinic-outcomes"),
]
