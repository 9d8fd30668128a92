from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("care/", views.my_care, name="bb-care"),
    path("care/access-log/", views.access_log, name="bb-care-log"),
    path("care/<uuid:public_id>/", views.sharing, name="bb-care-sharing"),
    path("care/<uuid:public_id>/end/", views.end, name="bb-care-end"),
    path(
        "care/<uuid:public_id>/shares/<uuid:share_id>/stop/",
        views.revoke,
        name="bb-care-revoke",
    ),
    path("clinician/members/", views.my_members, name="bb-clinician-members"),
    path("clinician/members/<str:public_id>/", views.member, name="bb-clinician-member"),
    path("clinician/members/<str:public_id>/<str:kind>/", views.member_kind, name="bb-clinician-member-kind"),
]
