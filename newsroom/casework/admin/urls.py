"""Admin URLs of citizens' messages, included under ``admin/cases/`` by newsroom.wagtail_hooks."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.CaseIndexView.as_view(), name="newsroom_cases"),
    path(
        "results/",
        views.CaseIndexView.as_view(results_only=True),
        name="newsroom_cases_results",
    ),
    path("mine/", views.MyCasesView.as_view(), name="newsroom_my_cases"),
    path(
        "mine/results/",
        views.MyCasesView.as_view(results_only=True),
        name="newsroom_my_cases_results",
    ),
    path("new/", views.CaseCreateView.as_view(), name="newsroom_case_create"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="newsroom_case"),
    path(
        "<int:pk>/action/<slug:action>/",
        views.CaseActionView.as_view(),
        name="newsroom_case_action",
    ),
]
