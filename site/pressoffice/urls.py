from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import cache_control

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from newsroom import urls as newsroom_urls
from newsroom.security.logout import ConfirmedLogoutView
from newsroom.security.password_reset import QueuedPasswordResetView
from newsroom.sitemaps import VisitorSitemap
from pressoffice import metrics

urlpatterns = [
    # Two of Wagtail's account screens, answered our way (newsroom.security): the reset letter
    # is sent from a queued task, and signing out takes a confirmed POST.
    path(
        "admin/password_reset/",
        QueuedPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/logout/", ConfirmedLogoutView.as_view(), name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "sitemap.xml",
        cache_control(max_age=3600)(sitemap),
        {"sitemaps": {"wagtail": VisitorSitemap}},
        name="sitemap",
    ),
    path("metrics", metrics.export, name="metrics"),
    path("", include(newsroom_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
