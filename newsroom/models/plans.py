"""The monthly plan of organisational and mass events (seed 000 p.3.14), sent every month to the
Governor's administration: collected from the events calendar, edited by the press office as a
draft and approved by the head of the office through the workflow «Утверждение плана
мероприятий»."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from newsroom.panels import PlanDownloadsPanel
from newsroom.reports.period import MONTH_NAMES


class MonthlyPlan(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("сайт организации"), on_delete=models.CASCADE
    )
    month = models.DateField(
        _("месяц"), help_text=_("Любой день месяца: план составляется на весь месяц.")
    )
    note = models.TextField(_("примечание"), blank=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="monthly_plan")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="monthly_plan",
        for_concrete_model=False,
    )

    panels = [
        PlanDownloadsPanel(heading=_("Файлы плана")),
        FieldRowPanel([FieldPanel("site"), FieldPanel("month")]),
        InlinePanel("items", heading=_("Мероприятия"), label=_("мероприятие")),
        FieldPanel("note"),
    ]
    search_fields = [index.FilterField("month")]

    class Meta:
        ordering = ["-month"]
        verbose_name = _("план мероприятий на месяц")
        verbose_name_plural = _("планы мероприятий")
        constraints = [
            models.UniqueConstraint(fields=["site", "month"], name="monthly_plan_once"),
        ]

    def __str__(self):
        return f"План мероприятий на {self.month_label}"

    @staticmethod
    def count_label(n):
        return ngettext("%(n)s план", "%(n)s планов", n) % {"n": n}

    @property
    def month_label(self):
        if not self.month:
            return ""
        return f"{MONTH_NAMES[self.month.month - 1]} {self.month.year} г."

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        if self.month:
            self.month = self.month.replace(day=1)
            clash = MonthlyPlan.objects.filter(site_id=self.site_id, month=self.month)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"month": _("План на %(month)s уже есть.") % {"month": self.month_label}}
                )


class PlanItem(Orderable):
    """One row of the plan: as the table sent upward has it."""

    plan = ParentalKey(MonthlyPlan, on_delete=models.CASCADE, related_name="items")
    event = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("событие в календаре"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start = models.DateTimeField(_("дата и время"))
    end = models.DateTimeField(_("окончание"), null=True, blank=True)
    title = models.CharField(_("мероприятие"), max_length=255)
    place = models.CharField(_("место проведения"), max_length=255, blank=True)
    responsible = models.CharField(
        _("ответственный"),
        max_length=255,
        blank=True,
        help_text=_("Должностное лицо, подразделение."),
    )
    leadership = models.CharField(_("участие руководства"), max_length=255, blank=True)
    media_invited = models.BooleanField(_("приглашаются СМИ"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("title"),
        FieldPanel("place"),
        FieldRowPanel([FieldPanel("responsible"), FieldPanel("leadership")]),
        FieldRowPanel([FieldPanel("media_invited"), FieldPanel("event")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("мероприятие плана")
        verbose_name_plural = _("мероприятия плана")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Окончание не может быть раньше начала.")})
