from django.urls import path

from social_sync import views

app_name = "social_sync"

urlpatterns = [
    path("outbox/", views.OutboxIndexView.as_view(), name="outbox"),
    path(
        "outbox/results/", views.OutboxIndexView.as_view(results_only=True), name="outbox_results"
    ),
    path("outbox/<int:pk>/retry/", views.retry_delivery, name="retry"),
    path("accounts/<int:pk>/retry-failed/", views.retry_account, name="retry_account"),
    path("sandbox/<int:pk>/", views.sandbox_post, name="sandbox_post"),
    path("reports/norms/", views.NormsReportView.as_view(), name="norms_report"),
]
