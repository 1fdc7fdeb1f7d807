"""Admin URLs of the accreditation, included under ``admin/accreditation/`` by wagtail_hooks."""

from django.urls import path

from accreditation.views import admin, announcements

urlpatterns = [
    path("", admin.ApplicationIndexView.as_view(), name="accreditation_applications"),
    path(
        "results/",
        admin.ApplicationIndexView.as_view(results_only=True),
        name="accreditation_applications_results",
    ),
    path("<int:pk>/", admin.ApplicationDetailView.as_view(), name="accreditation_application"),
    path(
        "<int:pk>/decide/<slug:action>/",
        admin.decide,
        name="accreditation_decide",
    ),
    path("card/<int:pk>/<slug:action>/", admin.card_action, name="accreditation_card_action"),
    path("card/<int:pk>.pdf", admin.card_pdf, name="accreditation_card_pdf"),
    path("file/<int:pk>/<slug:kind>/", admin.journalist_file, name="accreditation_file"),
    path("person/<int:pk>/export/", admin.export_person, name="accreditation_export"),
    path(
        "person/<int:pk>/withdraw-consent/",
        admin.withdraw_consent,
        name="accreditation_withdraw_consent",
    ),
    path("person/<int:pk>/erase/", admin.ErasePersonView.as_view(), name="accreditation_erase"),
    path("announce/<int:page_id>/", announcements.announce, name="accreditation_announce"),
    path(
        "announce/<int:page_id>/retry/",
        announcements.retry,
        name="accreditation_announce_retry",
    ),
]
