from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from newsroom.casework.rules.deadlines import OffDayShift, Rules, Term
from newsroom.worktime import Unit


class TermUnit(models.TextChoices):
    CALENDAR_MINUTES = Unit.CALENDAR_MINUTES.value, _("календарных минут")
    CALENDAR_HOURS = Unit.CALENDAR_HOURS.value, _("календарных часов")
    CALENDAR_DAYS = Unit.CALENDAR_DAYS.value, _("календарных дней")
    WORKING_MINUTES = Unit.WORKING_MINUTES.value, _("рабочих минут")
    WORKING_HOURS = Unit.WORKING_HOURS.value, _("рабочих часов")
    WORKING_DAYS = Unit.WORKING_DAYS.value, _("рабочих дней")


class ClockStart(models.TextChoices):
    DETECTED = "detected", _("с момента выявления сообщения")
    RECEIVED = "received", _("с момента получения от куратора")


class OffDayShiftChoice(models.TextChoices):
    PRECEDING = OffDayShift.PRECEDING.value, _("на предшествующий рабочий день")
    NEXT = OffDayShift.NEXT.value, _("на следующий рабочий день")


class ProfileScope(models.TextChoices):
    MESSAGES = "messages", _("сообщения из открытых источников")
    APPEALS = "appeals", _("обращения по 59-ФЗ")


# (field prefix, label, rule reference) of every term a profile may set.
TERMS = [
    ("routing", _("Направить ответственному (R4)"), "R4"),
    ("answer", _("Подготовить и разместить ответ (R5)"), "R5"),
    ("high_importance_answer", _("Ответ на инцидент повышенной важности (R6)"), "R6"),
    ("draft_lead", _("Проект ответа — не позднее чем за (R7)"), "R7"),
    ("forward", _("Передать проект куратору (R8)"), "R8"),
    ("rework", _("Доработать после возврата (R9)"), "R9"),
    ("final_after_interim", _("Окончательный ответ после промежуточного (R10)"), "R10"),
    ("extension", _("Продление срока (один раз)"), "59-ФЗ"),
]


def term_fields(label, required=False):
    """An amount and its unit: one term of the regulation."""
    amount = models.PositiveIntegerField(label, null=not required, blank=not required)
    unit = models.CharField(
        _("единица"), max_length=24, choices=TermUnit.choices, blank=not required
    )
    return amount, unit


class RegulationProfile(index.Indexed, models.Model):
    """The numbers of one municipality's regulation: deadlines with their units, posting norms.

    Rules are data: a new municipality is a new profile, not new code.
    """

    name = models.CharField(_("название"), max_length=255, unique=True)
    source = models.TextField(
        _("документ"), blank=True, help_text=_("Реквизиты регламента и пункты.")
    )
    scope = models.CharField(
        _("для чего"), max_length=16, choices=ProfileScope.choices, default=ProfileScope.MESSAGES
    )
    clock_start = models.CharField(
        _("срок считается"), max_length=16, choices=ClockStart.choices, default=ClockStart.DETECTED
    )

    routing_amount, routing_unit = term_fields(_("направить ответственному"))
    answer_amount, answer_unit = term_fields(_("подготовить и разместить ответ"), required=True)
    high_importance_answer_amount, high_importance_answer_unit = term_fields(
        _("ответ на инцидент повышенной важности")
    )
    draft_lead_amount, draft_lead_unit = term_fields(_("проект ответа — за столько до срока"))
    forward_amount, forward_unit = term_fields(_("передать проект куратору"))
    rework_amount, rework_unit = term_fields(_("доработать после возврата"))
    final_after_interim_amount, final_after_interim_unit = term_fields(
        _("окончательный ответ после промежуточного")
    )
    extension_amount, extension_unit = term_fields(_("продление срока"))

    off_day_shift = models.CharField(
        _("срок в нерабочий день переносится"),
        max_length=16,
        choices=OffDayShiftChoice.choices,
        default=OffDayShiftChoice.PRECEDING,
        help_text=_(
            "Для сроков в календарных днях (59-ФЗ): если последний день срока выпал на выходной "
            "или праздник. Муниципальные порядки обычно переносят на предшествующий рабочий день."
        ),
    )

    handles_repeated = models.BooleanField(
        _("повторные сообщения (R11)"),
        default=False,
        help_text=_(
            "Повторное сообщение направляется тому же исполнителю; ответ сообщает о принятых мерах."
        ),
    )
    allows_no_answer = models.BooleanField(
        _("сообщения без ответа (R13)"),
        default=False,
        help_text=_(
            "Угрозы, нецензурные и оскорбительные выражения, намерение причинить вред — без ответа."
        ),
    )
    reports_high_importance_to_head = models.BooleanField(
        _("сразу докладывать Главе (R15)"),
        default=False,
    )
    posts_per_week = models.PositiveSmallIntegerField(
        _("норма публикаций в неделю (P8)"), null=True, blank=True
    )
    surge_threshold = models.PositiveSmallIntegerField(
        _("всплеск: сообщений"),
        null=True,
        blank=True,
        help_text=_(
            "Столько сообщений на одну тему или об одном адресе за окно — и Главе с куратором "
            "сообщается сразу (R15). Пусто — не следить."
        ),
    )
    surge_window_hours = models.PositiveSmallIntegerField(_("всплеск: окно, часов"), default=24)

    panels = [
        FieldPanel("name"),
        FieldPanel("source"),
        FieldRowPanel([FieldPanel("scope"), FieldPanel("clock_start")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel(f"{prefix}_amount"), FieldPanel(f"{prefix}_unit")], heading=label
                )
                for prefix, label, _ref in TERMS
            ]
            + [FieldPanel("off_day_shift")],
            heading=_("Сроки"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("handles_repeated"),
                FieldPanel("allows_no_answer"),
                FieldPanel("reports_high_importance_to_head"),
                FieldPanel("posts_per_week"),
                FieldRowPanel([FieldPanel("surge_threshold"), FieldPanel("surge_window_hours")]),
            ],
            heading=_("Правила"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("профиль регламента")
        verbose_name_plural = _("профили регламентов")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for prefix, _label, _ref in TERMS:
            amount, unit = getattr(self, f"{prefix}_amount"), getattr(self, f"{prefix}_unit")
            if amount is not None and not unit:
                errors[f"{prefix}_unit"] = _("Укажите единицу срока.")
            if amount is None and unit and prefix != "answer":
                errors[f"{prefix}_amount"] = _("Укажите срок или уберите единицу.")
        if self.surge_threshold is not None and self.surge_threshold < 2:
            errors["surge_threshold"] = _("Всплеск — это хотя бы два сообщения.")
        if not self.surge_window_hours:
            errors["surge_window_hours"] = _("Окно — хотя бы один час.")
        if errors:
            raise ValidationError(errors)

    def term(self, prefix):
        amount, unit = getattr(self, f"{prefix}_amount"), getattr(self, f"{prefix}_unit")
        if amount is None or not unit:
            return None
        return Term(amount, Unit(unit))

    def rules(self) -> Rules:
        return Rules(
            **{prefix: self.term(prefix) for prefix, _label, _ref in TERMS},
            off_day_shift=OffDayShift(self.off_day_shift or OffDayShift.PRECEDING.value),
        )


class CalendarOverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("дополнительный выходной")
    WORKING_DAY = "working_day", _("рабочий день")
    SHORTENED = "shortened", _("сокращённый день")


class CalendarOverride(models.Model):
    """A change to the production calendar: a local day off, a working Saturday, a shortened day."""

    date = models.DateField(_("дата"), unique=True)
    kind = models.CharField(
        _("что это за день"), max_length=16, choices=CalendarOverrideKind.choices
    )
    note = models.CharField(_("основание"), max_length=255, blank=True)

    panels = [FieldPanel("date"), FieldPanel("kind"), FieldPanel("note")]

    class Meta:
        ordering = ["-date"]
        verbose_name = _("исключение производственного календаря")
        verbose_name_plural = _("производственный календарь: исключения")

    def __str__(self):
        return f"{self.date:%d.%m.%Y} — {self.get_kind_display()}"
