from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("visits/<str:public_id>/room/", views.room, name="bb-video-room"),
    path("visits/<str:public_id>/room/join/", views.join, name="bb-video-join"),
    path("visits/<str:public_id>/room/signal/", views.signal, name="bb-video-signal"),
    path("visits/<str:public_id>/room/news/", views.news, name="bb-video-news"),
]
