from django.db import models
from django.db.models import F


class Counter(models.Model):
    """A named sequence (application and card numbers of a year), taken one by one."""

    name = models.CharField(max_length=32, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "счётчик номеров"

    def __str__(self):
        return f"{self.name}: {self.value}"

    @classmethod
    def next(cls, name):
        """The next number; call inside the transaction that uses it (the row stays locked on
        PostgreSQL until it ends, and SQLite's write lock is taken at its start)."""
        cls.objects.get_or_create(name=name)
        cls.objects.filter(name=name).update(value=F("value") + 1)
        return cls.objects.select_for_update().get(name=name).value
