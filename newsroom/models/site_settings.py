import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Site

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from newsroom.networks import LINK_HOSTS, LINK_NETWORKS


def validate_ogrn(value):
    """ОГРН: 13 digits, the last a check digit (the first 12 as a number, mod 11, mod 10)."""
    if not value:
        return
    if len(value) != 13 or not value.isdigit():
        raise ValidationError(_("ОГРН — это 13 цифр."))
    if int(value[:12]) % 11 % 10 != int(value[12]):
        raise ValidationError(_("Контрольная цифра ОГРН не сходится: проверьте номер."))


def _is_email(value):
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


@register_setting(icon="site")
class OrganisationSettings(ClusterableModel, BaseSiteSetting):
    """What the public site says about the administration, and its official accounts."""

    name = models.CharField(
        _("название организации"), max_length=255, default="Администрация района"
    )
    full_name = models.CharField(
        _("полное наименование"),
        max_length=500,
        blank=True,
        help_text=_(
            "Как в уставе и ЕГРЮЛ, например «Администрация Ключевского муниципального района Алтайского края»."
        ),
    )
    short_name = models.CharField(
        _("краткое наименование"), max_length=255, blank=True, help_text=_("Как в ЕГРЮЛ.")
    )
    ogrn = models.CharField(
        _("ОГРН"),
        max_length=13,
        blank=True,
        validators=[validate_ogrn],
        help_text=_("13 цифр."),
    )
    coat_of_arms = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("герб"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Показывается в шапке сайта рядом с названием."),
    )
    pos_widget_id = models.PositiveIntegerField(
        _("идентификатор виджета ПОС"),
        null=True,
        blank=True,
        help_text=_(
            "Номер виджета платформы обратной связи Госуслуг (ПОС), выданный организации в "
            "личном кабинете ПОС. Пусто — на странице «Обращения граждан» вместо виджета "
            "описаны другие способы связаться с администрацией."
        ),
    )
    pos_accepts_appeals = models.BooleanField(
        _("обращения по 59-ФЗ принимаются через ПОС"),
        default=True,
        help_text=_(
            "С 2025 года обращения граждан в электронной форме направляются через ПОС, а не по "
            "электронной почте."
        ),
    )
    pos_on_home = models.BooleanField(_("показывать виджет ПОС на главной странице"), default=False)
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    phone = models.CharField(_("телефон"), max_length=64, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    press_email = models.EmailField(_("почта пресс-службы"), blank=True)
    head_email = models.EmailField(
        _("почта Главы"),
        blank=True,
        help_text=_("Сюда сразу уходят сообщения об инцидентах повышенной важности (R15)."),
    )

    # Working time of the organisation: the clock that deadlines of citizens' messages run by.
    message_profile = models.ForeignKey(
        "newsroom.RegulationProfile",
        verbose_name=_("регламент работы с сообщениями"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"scope": "messages"},
    )
    appeal_profile = models.ForeignKey(
        "newsroom.RegulationProfile",
        verbose_name=_("порядок для обращений по 59-ФЗ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"scope": "appeals"},
    )
    broadcast_profile = models.ForeignKey(
        "newsroom.RegulationProfile",
        verbose_name=_("регламент для вопросов к прямым эфирам"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Вопросы, оставшиеся без ответа в эфире, становятся обращениями с этими сроками."
        ),
    )
    report_recipients = models.TextField(
        _("кому отправлять ежемесячный анализ"),
        blank=True,
        help_text=_(
            "Адреса электронной почты, по одному в строке. Отчёт за прошедший месяц уходит в "
            "первый рабочий день месяца."
        ),
    )
    report_signatory_position = models.CharField(
        _("должность подписывающего отчёт"),
        max_length=255,
        blank=True,
        default="Заместитель главы администрации",
    )
    report_signatory_name = models.CharField(
        _("подписывающий отчёт (И. О. Фамилия)"), max_length=255, blank=True
    )
    time_zone = models.CharField(
        _("часовой пояс"),
        max_length=64,
        default="Europe/Moscow",
        help_text=_("Например, Asia/Barnaul."),
    )
    workday_start = models.TimeField(_("начало рабочего дня"), default=datetime.time(9))
    workday_end = models.TimeField(_("конец рабочего дня"), default=datetime.time(18))
    break_start = models.TimeField(
        _("начало перерыва"), null=True, blank=True, default=datetime.time(13)
    )
    break_end = models.TimeField(
        _("конец перерыва"), null=True, blank=True, default=datetime.time(14)
    )
    shortened_by_minutes = models.PositiveSmallIntegerField(
        _("предпраздничный день короче на, минут"), default=60
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("full_name"),
                FieldPanel("short_name"),
                FieldPanel("ogrn"),
                FieldPanel("coat_of_arms"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("press_email"),
                FieldPanel("head_email"),
            ],
            heading=_("Организация"),
        ),
        InlinePanel("social_links", heading=_("Официальные аккаунты"), label=_("аккаунт")),
        MultiFieldPanel(
            [
                FieldPanel("pos_widget_id"),
                FieldPanel("pos_accepts_appeals"),
                FieldPanel("pos_on_home"),
            ],
            heading=_("Обращения граждан: платформа обратной связи (ПОС)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("report_recipients"),
                FieldPanel("report_signatory_position"),
                FieldPanel("report_signatory_name"),
            ],
            heading=_("Ежемесячный анализ сообщений"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("message_profile"),
                FieldPanel("appeal_profile"),
                FieldPanel("broadcast_profile"),
                FieldPanel("time_zone"),
                FieldPanel("workday_start"),
                FieldPanel("workday_end"),
                FieldPanel("break_start"),
                FieldPanel("break_end"),
                FieldPanel("shortened_by_minutes"),
            ],
            heading=_("Регламент и рабочее время"),
            help_text=_(
                "Рабочие дни — понедельник–пятница по производственному календарю РФ с исключениями."
            ),
        ),
    ]

    def clean(self):
        super().clean()
        errors = {}
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = _(
                "Неизвестный часовой пояс. Пример: Europe/Moscow, Asia/Barnaul."
            )
        if self.workday_start and self.workday_end and self.workday_start >= self.workday_end:
            errors["workday_end"] = _("Рабочий день должен заканчиваться позже, чем начинается.")
        if bool(self.break_start) != bool(self.break_end):
            errors["break_end"] = _("Укажите и начало, и конец перерыва — или ни того, ни другого.")
        elif self.break_start and not (
            self.workday_start < self.break_start < self.break_end < self.workday_end
        ):
            errors["break_start"] = _("Перерыв должен быть внутри рабочего дня.")
        bad = [line for line in self.report_recipient_list(strict=False) if not _is_email(line)]
        if bad:
            errors["report_recipients"] = _("Это не адрес электронной почты: %(bad)s.") % {
                "bad": ", ".join(bad)
            }
        if errors:
            raise ValidationError(errors)

    def report_recipient_list(self, strict=True):
        lines = [line.strip() for line in (self.report_recipients or "").splitlines()]
        lines = [line for line in lines if line]
        return [line for line in lines if _is_email(line)] if strict else lines

    class Meta:
        verbose_name = _("организация")

    @classmethod
    def for_request(cls, request):
        """The settings with their accounts, from the shared cache while the site is unchanged.

        Every public page shows them in the footer; saving the settings or an account forgets
        the cached copy (see ``forget_cached``).
        """
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        key = cls.cache_key(site.pk)
        instance = cache.get(key)
        if instance is None:
            instance = cls.for_site(site)
            instance.links = list(instance.social_links.all())
            cache.set(key, instance, settings.PAGE_CACHE_SECONDS)
        return instance

    @staticmethod
    def cache_key(site_id):
        return f"organisation-settings:{site_id}"

    def forget_cached(self):
        cache.delete(self.cache_key(self.site_id))

    @cached_property
    def links(self):
        return list(self.social_links.all())


class SocialLink(Orderable):
    settings = ParentalKey(
        OrganisationSettings, related_name="social_links", on_delete=models.CASCADE
    )
    network = models.CharField(_("сеть"), max_length=16, choices=LINK_NETWORKS)
    title = models.CharField(_("название"), max_length=255)
    url = models.URLField(_("ссылка"))

    panels = [FieldPanel("network"), FieldPanel("title"), FieldPanel("url")]

    def clean(self):
        super().clean()
        hosts = LINK_HOSTS.get(self.network)
        if not hosts or not self.url:
            return
        parts = urlsplit(self.url)
        host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
        if parts.scheme != "https" or host not in hosts:
            raise ValidationError(
                {
                    "url": _(
                        "Ссылка на страницу в сети «%(network)s» должна начинаться с %(hosts)s."
                    )
                    % {
                        "network": self.get_network_display(),
                        "hosts": " или ".join(f"https://{host}/" for host in hosts),
                    }
                }
            )

    class Meta(Orderable.Meta):
        verbose_name = _("официальный аккаунт")
        verbose_name_plural = _("официальные аккаунты")

    def __str__(self):
        return self.title
