from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="bb-home"),
    path("help/", views.get_help, name="bb-help"),
    path("health/", views.health, name="bb-health"),
    path("help/young-people/", views.young_people, name="bb-young-people"),
    path("instruments/", views.catalogue, name="bb-catalogue"),
    path("instruments/<slug:instrument_id>/", views.instrument_detail, name="bb-instrument"),
    path("privacy/", views.privacy, name="bb-privacy"),
    path("terms/", views.terms, name="bb-terms"),
    path("about/", views.about, name="bb-about"),
    path("favicon.ico", views.favicon, name="bb-favicon"),
]
