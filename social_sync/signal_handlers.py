from django.db.models.signals import post_migrate
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from django_q.signals import post_spawn

from newsroom.casework.signals import answer_approved, answer_placed_by_hand, case_closed
from newsroom.demo import page_tree_ready


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    from social_sync.crossposting import is_crossposted
    from social_sync.services.outbox import record_publication

    # Wagtail sends the signal also when it only schedules a go-live time; the item goes out
    # when the scheduled publication really makes it live.
    if is_crossposted(instance) and instance.live:
        record_publication(instance)


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    from social_sync.crossposting import is_crossposted
    from social_sync.services.outbox import record_unpublication

    if is_crossposted(instance):
        record_unpublication(instance)


@receiver(post_migrate)
def on_post_migrate(sender, **kwargs):
    if sender.name == "social_sync":
        from social_sync.tasks import ensure_schedules

        ensure_schedules()


@receiver(page_tree_ready, dispatch_uid="social_sync-demo")
def on_demo_page_tree_ready(sender, **kwargs):
    """Seeds this app's part of the demo site; returns how many objects it created."""
    from social_sync.demo import seed_accounts

    return seed_accounts(sender, **kwargs)


RESUME_KEY = "social_sync:resume-after-start"
RESUME_WINDOW_SECONDS = 30


@receiver(post_spawn, dispatch_uid="social_sync-resume")
def on_worker_spawned(sender, proc_name=None, **kwargs):
    """A worker process (re)started: take back what dead workers held and queue what is due at
    once, instead of at the next minute sweep. The first process of a start does it; the others
    (and respawns within the window) find the key already set."""
    from django.core.cache import cache

    from django_q.tasks import async_task

    if cache.add(RESUME_KEY, proc_name or "worker", RESUME_WINDOW_SECONDS):
        async_task("social_sync.tasks.dispatch_due", group="social_sync")


@receiver(answer_approved, dispatch_uid="social_sync-reply")
def on_answer_approved(sender, answer, case, **kwargs):
    from social_sync.services.replies import record_reply

    record_reply(answer, case)


@receiver(answer_placed_by_hand, dispatch_uid="social_sync-reply-by-hand")
def on_answer_placed_by_hand(sender, case, **kwargs):
    from social_sync.services.replies import cancel_unsent

    cancel_unsent(case)


@receiver(case_closed, dispatch_uid="social_sync-comments-done")
def on_case_closed(sender, case, **kwargs):
    from social_sync.services.moderation import case_closed as close_comments

    close_comments(case)
