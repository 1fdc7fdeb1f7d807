from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def on_post_migrate(sender, **kwargs):
    if sender.name == "accreditation":
        from accreditation.tasks import ensure_schedules

        ensure_schedules()
