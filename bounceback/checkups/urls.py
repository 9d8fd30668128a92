from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("checkup/", views.start, name="bb-start"),
    path("checkup/<uuid:public_id>/", views.run, name="bb-checkup"),
    path("checkup/<uuid:public_id>/p/<slug:token>/", views.step, name="bb-step"),
    path("checkup/<uuid:public_id>/answer/", views.save_one, name="bb-save-one"),
    path("checkup/<uuid:public_id>/keep/", views.keep, name="bb-keep"),
    path("checkup/<uuid:public_id>/results/", views.results, name="bb-results"),
    path("me/", views.me, name="bb-me"),
]
