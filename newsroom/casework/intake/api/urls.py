"""The intake API for monitoring systems, under ``/api/v1/``."""

from django.urls import path, re_path

from newsroom.casework.intake.api import views

app_name = "newsroom_api"

urlpatterns = [
    path("messages/", views.message_list, name="messages"),
    # Without the slash too: a redirect would lose a POST's body.
    path("messages", views.message_list),
    path("messages/<int:case_id>/", views.message_detail, name="message"),
    path("messages/<int:case_id>", views.message_detail),
    re_path(r"^.*$", views.not_found),
]
