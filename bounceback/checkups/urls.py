from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("checkup/", views.start, name="bb-start"),
    path("checkup/<uuid:public_id>/", views.run, name="bb-checkup"),
    path("checkup/<uuid:public_id>/step/<slug:step_id>/", views.save_step, name="bb-save-step"),
    path("checkup/<uuid:public_id>/answer/", views.save_one, name="bb-save-one"),
    path("checkup/<uuid:public_id>/decline/<slug:step_id>/", views.decline, name="bb-decline"),
    path("checkup/<uuid:public_id>/safe/", views.confirm_safe, name="bb-confirm-safe"),
    path("checkup/<uuid:public_id>/finish/", views.finish, name="bb-finish"),
    path("checkup/<uuid:public_id>/keep/", views.keep, name="bb-keep"),
    path("checkup/<uuid:public_id>/results/", views.results, name="bb-results"),
    path("me/", views.me, name="bb-me"),
]
