from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("care/find/", views.find_care, name="bb-find-care"),
    path("care/clinicians/<str:public_id>/", views.clinician, name="bb-clinician"),
    path("care/clinicians/<str:public_id>/book/", views.book, name="bb-book"),
    path("visits/", views.visits, name="bb-visits"),
    path("visits/<str:public_id>/", views.visit, name="bb-visit"),
    path("visits/<str:public_id>/cancel/", views.cancel, name="bb-visit-cancel"),
    path("visits/<str:public_id>/reschedule/", views.reschedule, name="bb-visit-reschedule"),
    path("visits/<str:public_id>/invite.ics", views.invite, name="bb-visit-invite"),
]
