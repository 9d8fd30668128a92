from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from bounceback.checkups import views as checkups
from bounceback.front import views
from bounceback.plans import views as plans

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="bb-home"),
    path("help/", views.get_help, name="bb-help"),
    path("health/", views.health, name="bb-health"),
    path("help/young-people/", views.young_people, name="bb-young-people"),
    path("instruments/", views.catalogue, name="bb-catalogue"),
    path("instruments/<slug:instrument_id>/", views.instrument_detail, name="bb-instrument"),
    path("checkup/", checkups.start, name="bb-start"),
    path("checkup/<uuid:public_id>/", checkups.run, name="bb-checkup"),
    path("checkup/<uuid:public_id>/step/<slug:step_id>/", checkups.save_step, name="bb-save-step"),
    path("checkup/<uuid:public_id>/answer/", checkups.save_one, name="bb-save-one"),
    path("checkup/<uuid:public_id>/decline/<slug:step_id>/", checkups.decline, name="bb-decline"),
    path("checkup/<uuid:public_id>/safe/", checkups.confirm_safe, name="bb-confirm-safe"),
    path("checkup/<uuid:public_id>/keep/", checkups.keep, name="bb-keep"),
    path("checkup/<uuid:public_id>/results/", checkups.results, name="bb-results"),
    path("checkup/<uuid:public_id>/plan/", checkups.plan, name="bb-plan"),
    path("me/", checkups.me, name="bb-me"),
    path("evidence/", plans.evidence, name="bb-evidence"),
    path("practice/", plans.practice, name="bb-practice"),
    path("practice/done/", plans.practice_done, name="bb-practice-done"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "bounceback.front.views.server_error"
