from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("messages/", views.inbox, name="bb-messages"),
    path("messages/new/", views.compose, name="bb-message-new"),
    path("messages/waiting/", views.waiting, name="bb-messages-waiting"),
    path("messages/<str:public_id>/", views.thread, name="bb-message-thread"),
]
