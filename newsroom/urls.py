from django.urls import path

from newsroom import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
