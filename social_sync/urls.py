from django.urls import path

from social_sync import calendar_views, case_reply, inbox, preview, views

app_name = "social_sync"

urlpatterns = [
    path("outbox/", views.OutboxIndexView.as_view(), name="outbox"),
    path(
        "outbox/results/", views.OutboxIndexView.as_view(results_only=True), name="outbox_results"
    ),
    path("outbox/<int:pk>/retry/", views.retry_delivery, name="retry"),
    path("accounts/<int:pk>/retry-failed/", views.retry_account, name="retry_account"),
    path("sandbox/<int:pk>/", views.sandbox_post, name="sandbox_post"),
    path("preview/", preview.social_preview, name="preview"),
    path("comments/", inbox.CommentInboxView.as_view(), name="comments"),
    path(
        "comments/results/",
        inbox.CommentInboxView.as_view(results_only=True),
        name="comments_results",
    ),
    path("comments/<int:pk>/", inbox.comment_detail, name="comment"),
    path("comments/<int:pk>/<slug:action>/", inbox.comment_action, name="comment_action"),
    path(
        "cases/<int:pk>/reply-account/",
        case_reply.choose_reply_account,
        name="case_reply_account",
    ),
    path("reports/norms/", views.NormsReportView.as_view(), name="norms_report"),
    path("calendar/", calendar_views.ContentCalendarView.as_view(), name="calendar"),
]
