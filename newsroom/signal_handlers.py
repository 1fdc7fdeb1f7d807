from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from newsroom import news_counts
from newsroom.cache import invalidate_page_cache


@receiver(page_published)
@receiver(page_unpublished)
def on_page_change(sender, instance=None, **kwargs):
    invalidate_page_cache()
    if _is_news(instance):
        news_counts.news_changed()


@receiver(post_page_move)
def on_page_move(sender, **kwargs):
    invalidate_page_cache()
    news_counts.news_changed()  # a section moves with its news items


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_privacy_change(sender, **kwargs):
    """A page closed to visitors (or opened again) leaves the cache and the menu at once: a
    cached copy would otherwise go on showing it to anyone; the news counts follow, since a
    closed page is no longer listed."""
    invalidate_page_cache()
    news_counts.news_changed()


def _is_news(page):
    from newsroom.models import NewsPage

    return isinstance(page, NewsPage)


def _media_models():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    return (get_image_model(), get_document_model())


@receiver(post_delete)
def on_page_delete(sender, instance, **kwargs):
    from newsroom.models import SocialLink

    if isinstance(instance, Page | Site):
        invalidate_page_cache()
        if _is_news(instance):
            news_counts.news_changed()
    elif isinstance(instance, _media_models()):
        invalidate_page_cache(media=True)
    elif isinstance(instance, SocialLink):
        invalidate_page_cache()
        instance.settings.forget_cached()


@receiver(post_save)
def on_shown_everywhere_change(sender, instance, created=False, **kwargs):
    from newsroom.models import Department, OrganisationSettings, SocialLink

    if isinstance(instance, Department | OrganisationSettings | SocialLink | Site):
        invalidate_page_cache()  # Site: hosts and home pages are remembered per generation
    elif isinstance(instance, _media_models()) and not created:
        # A new image or document is on no page yet; an edited one may be (a replaced file
        # gets new renditions, a changed title is its alt text or link).
        invalidate_page_cache(media=True)
    if isinstance(instance, OrganisationSettings):
        instance.forget_cached()
    elif isinstance(instance, SocialLink):
        instance.settings.forget_cached()


@receiver(post_save, sender="newsroom.CalendarOverride")
@receiver(post_delete, sender="newsroom.CalendarOverride")
def on_calendar_change(sender, **kwargs):
    from newsroom.clock import forget_clock

    forget_clock()


@receiver(post_save, sender="newsroom.DepartmentNewsIndexPage")
def on_department_area_saved(sender, instance, **kwargs):
    from newsroom.permissions import grant_department_area

    grant_department_area(instance)


@receiver(post_save, sender="newsroom.Department")
def on_department_saved(sender, instance, created, raw=False, **kwargs):
    from newsroom.permissions import ensure_department_group

    if not raw:
        ensure_department_group(instance)


@receiver(post_migrate)
def on_post_migrate(sender, **kwargs):
    if sender.name == "newsroom":
        from newsroom.tasks import ensure_schedules

        ensure_schedules()
    # After the last app's permissions exist (each app's are made in its own post_migrate):
    # administrators hold every permission, those of apps added later included.
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if with_models and sender.label == with_models[-1].label:
        from newsroom.permissions import grant_administrators_everything

        grant_administrators_everything()
