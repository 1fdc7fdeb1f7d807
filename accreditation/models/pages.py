"""The accreditation page: the rules, the application form, the status pages, the registry and
the verification of a card. The views behind the routes are in ``accreditation.views.public``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from accreditation.windows import MONTHS_GENITIVE, Window, is_valid_day
from newsroom.models.date_safety import DateRangeMixin
from newsroom.models.slugs import LatinSlugMixin

from .consents import ConsentKind, ConsentText

MONTH_CHOICES = [(n, MONTHS_GENITIVE[n]) for n in range(1, 13)]
DAY_CHOICES = [(n, str(n)) for n in range(1, 32)]

DEFAULT_PROCESSING_CONSENT = (
    "Я, свободно, своей волей и в своём интересе, даю согласие администрации района "
    "(оператору персональных данных) на обработку моих персональных данных: фамилии, имени, "
    "отчества, должности, места работы (названия СМИ), номера телефона, адреса электронной "
    "почты, фотографии — в целях рассмотрения заявки на аккредитацию, изготовления "
    "аккредитационной карточки, проверки её действительности и информирования о мероприятиях "
    "администрации. Согласие даётся на срок аккредитации и хранения документов о ней и может "
    "быть отозвано письменным заявлением (статья 9 Федерального закона от 27.07.2006 № 152-ФЗ "
    "«О персональных данных»)."
)
DEFAULT_DISTRIBUTION_CONSENT = (
    "Я даю согласие администрации района на распространение моих персональных данных — "
    "фамилии, имени, отчества, должности и названия СМИ — неограниченному кругу лиц путём "
    "размещения в реестре аккредитованных журналистов на официальном сайте администрации и на "
    "странице проверки аккредитационной карточки. Условия и запреты на обработку не "
    "установлены. Согласие действует до окончания срока аккредитации и может быть отозвано в "
    "любой момент (статья 10.1 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных "
    "данных»)."
)


class AccreditationPage(DateRangeMixin, LatinSlugMixin, RoutablePageMixin, Page):
    show_in_menus_default = True  # a section of the site: in the main menu
    rules = RichTextField(
        _("правила аккредитации"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
    )
    window_start_day = models.PositiveSmallIntegerField(
        _("день начала приёма"), choices=DAY_CHOICES, default=1
    )
    window_start_month = models.PositiveSmallIntegerField(
        _("месяц начала приёма"), choices=MONTH_CHOICES, default=12
    )
    window_end_day = models.PositiveSmallIntegerField(
        _("день окончания приёма"), choices=DAY_CHOICES, default=10
    )
    window_end_month = models.PositiveSmallIntegerField(
        _("месяц окончания приёма"), choices=MONTH_CHOICES, default=1
    )
    quota = models.PositiveSmallIntegerField(
        _("журналистов от одного СМИ, не больше"),
        null=True,
        blank=True,
        help_text=_("Пусто — без ограничения (но не больше 20 в одной заявке)."),
    )
    review_working_days = models.PositiveSmallIntegerField(
        _("срок рассмотрения, рабочих дней"),
        default=10,
        help_text=_(
            "Считается по графику организации и производственному календарю со дня подачи "
            "(или повторной отправки после исправления), сам этот день не считается."
        ),
    )
    consent_processing_text = models.TextField(
        _("текст согласия на обработку персональных данных"), default=DEFAULT_PROCESSING_CONSENT
    )
    consent_distribution_text = models.TextField(
        _("текст согласия на распространение персональных данных"),
        default=DEFAULT_DISTRIBUTION_CONSENT,
        help_text=_(
            "Каждая новая редакция текста сохраняется отдельной версией; у каждого согласия "
            "хранится версия, которую видел журналист."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("rules"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("window_start_day"), FieldPanel("window_start_month")]),
                FieldRowPanel([FieldPanel("window_end_day"), FieldPanel("window_end_month")]),
            ],
            heading=_("Приём заявок"),
            help_text=_(
                "Оба дня включительно. Если приём переходит через Новый год (1 декабря – "
                "10 января), заявки принимаются на год, в котором он заканчивается; если "
                "заканчивается в июле–декабре — на следующий год."
            ),
        ),
        FieldRowPanel([FieldPanel("quota"), FieldPanel("review_working_days")]),
        MultiFieldPanel(
            [FieldPanel("consent_processing_text"), FieldPanel("consent_distribution_text")],
            heading=_("Согласия (152-ФЗ)"),
        ),
    ]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("аккредитация СМИ")

    def clean(self):
        super().clean()
        errors = {}
        if not is_valid_day(self.window_start_day, self.window_start_month):
            errors["window_start_day"] = _("Такого дня нет в этом месяце (29 февраля — тоже).")
        if not is_valid_day(self.window_end_day, self.window_end_month):
            errors["window_end_day"] = _("Такого дня нет в этом месяце (29 февраля — тоже).")
        if (self.window_start_day, self.window_start_month) == (
            self.window_end_day,
            self.window_end_month,
        ):
            errors["window_end_day"] = _("Приём не может начинаться и заканчиваться в один день.")
        if self.quota == 0:
            errors["quota"] = _("Оставьте поле пустым, если ограничения нет.")
        if not self.review_working_days:
            errors["review_working_days"] = _("Срок рассмотрения — хотя бы один рабочий день.")
        if errors:
            raise ValidationError(errors)

    @cached_property
    def window(self):
        return Window(
            self.window_start_day,
            self.window_start_month,
            self.window_end_day,
            self.window_end_month,
        )

    def consent_text(self, kind):
        text = (
            self.consent_processing_text
            if kind == ConsentKind.PROCESSING
            else self.consent_distribution_text
        )
        return ConsentText.current_for(kind, text)

    # Routes -------------------------------------------------------------------------------

    @path("")
    def apply(self, request):
        from accreditation.views import public

        return public.apply(request, self)

    @path("status/<str:token>/")
    def status(self, request, token):
        from accreditation.views import public

        return public.status(request, self, token)

    @path("status/<str:token>/card/<int:pk>/")
    def status_card(self, request, token, pk):
        from accreditation.views import public

        return public.status_card(request, self, token, pk)

    @path("registry/")
    def registry(self, request):
        from accreditation.views import public

        return public.registry(request, self)

    @path("verify/")
    def verify_form(self, request):
        from accreditation.views import public

        return public.verify(request, self, request.GET.get("number", ""))

    @re_path(r"^verify/(?P<number>[^/]{1,40})/$")
    def verify(self, request, number):
        from accreditation.views import public

        return public.verify(request, self, number)

    def verification_path(self, number):
        return self.reverse_subpage("verify", kwargs={"number": number})
