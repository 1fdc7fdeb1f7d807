from django.urls import include, path

from newsroom import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("api/v1/", include("newsroom.casework.intake.api.urls")),
]
