from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Department(index.Indexed, models.Model):
    """A structural unit of the administration that submits material for publication."""

    name = models.CharField(_("название"), max_length=255, unique=True)
    short_name = models.CharField(_("краткое название"), max_length=64, unique=True)
    slug = models.SlugField(
        _("адрес раздела"),
        max_length=64,
        unique=True,
        help_text=_("Латиницей; используется в адресе раздела новостей подразделения."),
    )
    head_name = models.CharField(_("руководитель"), max_length=255, blank=True)
    head_position = models.CharField(_("должность руководителя"), max_length=255, blank=True)
    phone = models.CharField(_("телефон"), max_length=64, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    competence = models.TextField(
        _("вопросы компетенции"),
        blank=True,
        help_text=_(
            "Ключевые слова через запятую: «дороги, водопровод, отопление». По ним система предлагает исполнителя."
        ),
    )
    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("группа пользователей"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="department",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("head_name"), FieldPanel("head_position")], heading=_("Руководитель")
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("address")],
            heading=_("Контакты"),
        ),
        FieldPanel("competence"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
        index.SearchField("head_name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("подразделение")
        verbose_name_plural = _("подразделения")

    def __str__(self):
        return self.name

    @property
    def competence_keywords(self):
        return [word.strip() for word in self.competence.split(",") if word.strip()]

    @property
    def group_name(self):
        return department_group_name(self.short_name)


def department_group_name(short_name):
    return f"Подразделение: {short_name}"
