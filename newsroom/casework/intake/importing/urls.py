from django.urls import path

from newsroom.casework.intake.importing import views

urlpatterns = [
    path("", views.CaseImportView.as_view(), name="newsroom_case_import"),
    path("commit/", views.CaseImportCommitView.as_view(), name="newsroom_case_import_commit"),
    path("<int:pk>/", views.CaseImportJobView.as_view(), name="newsroom_case_import_job"),
    path(
        "template.csv",
        views.CaseImportTemplateView.as_view(),
        name="newsroom_case_import_template",
    ),
]
