from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("bounceback.front.urls")),
    path("", include("bounceback.checkups.urls")),
    path("", include("bounceback.plans.urls")),
    path("", include("bounceback.tracking.urls")),
    path("", include("bounceback.safetyplan.urls")),
    path("", include("bounceback.reminders.urls")),
    path("", include("bounceback.progress.urls")),
    path("", include("bounceback.care.urls")),
    path("", include("bounceback.alerts.urls")),
    path("", include("bounceback.messaging.urls")),
    path("", include("bounceback.visits.note_urls")),
    path("", include("bounceback.visits.urls")),
    path("", include("bounceback.datarights.urls")),
    path("", include("bounceback.clinics.urls")),
    path("", include("bounceback.video.urls")),
    path("", include("bounceback.dashboard.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "bounceback.front.views.bad_request"
handler403 = "bounceback.front.views.permission_denied"
handler500 = "bounceback.front.views.server_error"
