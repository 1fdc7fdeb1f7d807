from django.urls import path

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from newsroom import views
from newsroom.viewsets import NewsroomViewSetGroup

register_snippet(NewsroomViewSetGroup)


@hooks.register("register_admin_urls")
def register_style_check_url():
    return [path("newsroom/style-check/", views.style_check, name="newsroom_style_check")]
