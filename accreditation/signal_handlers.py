from django.db.models.signals import post_migrate
from django.dispatch import receiver

from wagtail.signals import published

from newsroom.demo import page_tree_ready


@receiver(post_migrate)
def on_post_migrate(sender, **kwargs):
    if sender.name == "accreditation":
        from accreditation.tasks import ensure_schedules

        ensure_schedules()


@receiver(page_tree_ready, dispatch_uid="accreditation-demo")
def on_demo_page_tree_ready(sender, **kwargs):
    """Seeds this app's part of the demo site; returns how many objects it created."""
    from accreditation.demo import seed_accreditation_page

    return seed_accreditation_page(sender, **kwargs)


@receiver(published, dispatch_uid="accreditation-plan-approved")
def on_plan_published(sender, instance, revision=None, user=None, **kwargs):
    """An approved monthly plan announces its media-invited events to accredited journalists."""
    from newsroom.models import MonthlyPlan

    if sender is not MonthlyPlan:
        return
    from accreditation.services.announcements import announce_planned

    announce_planned(instance, user)
