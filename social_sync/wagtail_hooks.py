from django.urls import include, path

from wagtail import hooks


@hooks.register("register_admin_urls")
def register_social_admin_urls():
    return [path("social/", include("social_sync.urls"))]
