from django.urls import path

from social_sync import views

app_name = "social_sync"

urlpatterns = [
    path("outbox/<int:pk>/retry/", views.retry_delivery, name="retry"),
    path("sandbox/<int:pk>/", views.sandbox_post, name="sandbox_post"),
]
