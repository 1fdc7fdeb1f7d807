from django.db.models.signals import post_migrate
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    from social_sync.services.outbox import is_crossposted_type, record_publication

    # Wagtail sends the signal also when it only schedules a go-live time; the item goes out
    # when the scheduled publication really makes it live.
    if is_crossposted_type(instance) and instance.live:
        record_publication(instance)


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    from social_sync.services.outbox import is_crossposted_type, record_unpublication

    if is_crossposted_type(instance):
        record_unpublication(instance)


@receiver(post_migrate)
def on_post_migrate(sender, **kwargs):
    if sender.name == "social_sync":
        from social_sync.tasks import ensure_schedules

        ensure_schedules()
