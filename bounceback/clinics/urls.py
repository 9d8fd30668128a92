from __future__ import annotations

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("clinic/", views.clinic, name="bb-clinic"),
    path("clinic/invitations/", views.invite, name="bb-clinic-invite"),
    path("clinic/invitations/<str:public_id>/withdraw/", views.withdraw, name="bb-clinic-withdraw"),
    path("clinic/staff/<str:public_id>/active/", views.staff_active, name="bb-clinic-staff-active"),
    re_path(r"^invite/(?P<token>[^/]+)/$", views.accept, name="bb-invitation"),
    path("clinician/profile/", views.profile, name="bb-clinician-profile"),
    path("clinician/availability/", views.availability, name="bb-clinician-availability"),
    path("clinician/availability/time-off/", views.add_time_off, name="bb-time-off-add"),
    path(
        "clinician/availability/time-off/<str:public_id>/remove/",
        views.remove_time_off,
        name="bb-time-off-remove",
    ),
    path("me/region/", views.region, name="bb-region"),
]
