from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
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

from newsroom.panels import AnswerChecklistPanel, CaseContextPanel


class AnswerKind(models.TextChoices):
    FINAL = "final", _("Ответ по существу")
    INTERIM = "interim", _("Промежуточный ответ")


class Answer(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    """The official answer to a citizen's message, drafted by the executor and approved in the
    workflow «Согласование ответа» (press office, then curator)."""

    case = models.ForeignKey(
        "newsroom.Case",
        verbose_name=_("сообщение"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    kind = models.CharField(
        _("вид ответа"), max_length=16, choices=AnswerKind.choices, default=AnswerKind.FINAL
    )
    text = models.TextField(
        _("текст ответа"),
        help_text=_("Простым языком, как в соцсети, по существу вопроса (регламент, R12)."),
    )
    measures_taken = models.TextField(_("принятые меры"), blank=True)
    stages_and_terms = models.TextField(_("этапы и сроки решения"), blank=True)
    legal_basis = models.TextField(
        _("правовые основания отказа"),
        blank=True,
        help_text=_(
            "Если в просьбе отказано: какие акты и почему — с объяснением, а не списком ссылок."
        ),
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="answer")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="answer",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("case", read_only=True),
        CaseContextPanel(heading=_("Сообщение гражданина и срок")),
        FieldPanel("kind"),
        FieldPanel("text"),
        MultiFieldPanel(
            [
                FieldPanel("measures_taken"),
                FieldPanel("stages_and_terms"),
                FieldPanel("legal_basis"),
            ],
            heading=_("Содержание ответа (R12)"),
        ),
        InlinePanel(
            "attachments", heading=_("Фото и видео, подтверждающие меры"), label=_("вложение")
        ),
        AnswerChecklistPanel(heading=_("Проверка ответа")),
    ]
    search_fields = [
        index.SearchField("text"),
        index.FilterField("case"),
        index.FilterField("kind"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("ответ на сообщение")
        verbose_name_plural = _("ответы на сообщения")

    def __str__(self):
        return f"{self.get_kind_display()} на сообщение № {self.case_id}"

    @property
    def revisions(self):
        return self._revisions


class AnswerAttachment(Orderable):
    answer = ParentalKey(Answer, on_delete=models.CASCADE, related_name="attachments")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("фото"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(_("ссылка на видео"), blank=True)
    caption = models.CharField(_("подпись"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("video_url"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")
