from __future__ import annotations

from django.contrib import admin
from django.urls import path

from bounceback.front import views

urlpatterns = [
    path("", views.home, name="bb-home"),
    path("help/", views.get_help, name="bb-help"),
    path("instruments/", views.catalogue, name="bb-catalogue"),
    path("instruments/<slug:instrument_id>/", views.instrument_detail, name="bb-instrument"),
    path("admin/", admin.site.urls),
]
handler500 = "bounceback.front.views.server_error"
