"""The crossposting extension point: the one place where the newsroom's pages meet social_sync.

A page type that inherits ``CrosspostedPage`` goes to the official accounts when it is published.
It names the account switch that takes its kind of material (``crosspost_switch``), builds its
editor with ``crossposting_form`` and ``crossposting_tabs`` (the choice of accounts and the
«Соцсети» tab), and the rest of social_sync recognises it by this class, never by its name.
"""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import ObjectList, TabbedInterface
from wagtail.models import Page

from modelcluster.fields import ParentalManyToManyField

from social_sync.forms import CrosspostFormMixin
from social_sync.panels import crosspost_panels

#: The networks a page can have its own text and time for, in the order the editor sees them.
SOCIAL_TEXT_NETWORKS = ("vk", "ok", "telegram", "max")


class SocialImages(models.TextChoices):
    ALL = "all", _("Все изображения материала (до 10)")
    MAIN = "main", _("Только главное изображение")
    NONE = "none", _("Без изображений")


_OVERRIDE_HELP = _("Если пусто — общий текст для соцсетей.")
_SLOT_HELP = _("Пусто — сразу после публикации на сайте.")


def _override_field(label):
    return models.TextField(label, blank=True, help_text=_OVERRIDE_HELP)


def _slot_field(label):
    return models.DateTimeField(label, null=True, blank=True, help_text=_SLOT_HELP)


class CrosspostedPage(models.Model):
    """Mixin of page types that are crossposted to the official accounts."""

    #: The ``SocialAccount`` switch that takes this kind of page: ``post_news`` or ``post_events``.
    crosspost_switch = None

    # What the post says: short and conversational, not the article (seed 003 app. 2 p.8).
    social_text = models.TextField(
        _("текст для соцсетей"),
        blank=True,
        max_length=4000,
        help_text=_(
            "Коротко и разговорным языком: о чём новость и зачем её читать, 1–3 предложения. "
            "Пусто — в пост пойдут заголовок и лид."
        ),
    )
    social_hashtags = models.CharField(
        _("хештеги"),
        max_length=255,
        blank=True,
        help_text=_("Через пробел или запятую, «#» можно не ставить: «ремонтдорог Заречный»."),
    )
    social_publish_anyway = models.BooleanField(
        _("всё равно опубликовать в соцсетях"),
        default=False,
        help_text=_(
            "Пока в тексте для соцсетей есть обороты с пометкой «важно» (пресс-релизный стиль), "
            "пост в соцсети не уходит. Отметьте, если оставляете их сознательно."
        ),
    )
    social_images = models.CharField(
        _("изображения в посте"),
        max_length=8,
        choices=SocialImages.choices,
        default=SocialImages.ALL,
    )
    # Per network: its own text, and its own time (post to VK at once, to OK at 18:00).
    social_text_vk = _override_field(_("текст для ВКонтакте"))
    social_text_ok = _override_field(_("текст для Одноклассников"))
    social_text_telegram = _override_field(_("текст для Telegram"))
    social_text_max = _override_field(_("текст для MAX"))
    social_at_vk = _slot_field(_("когда опубликовать во ВКонтакте"))
    social_at_ok = _slot_field(_("когда опубликовать в Одноклассниках"))
    social_at_telegram = _slot_field(_("когда опубликовать в Telegram"))
    social_at_max = _slot_field(_("когда опубликовать в MAX"))

    # The accounts the editor unticked; an account added later is included by default.
    social_skip = ParentalManyToManyField(
        "social_sync.SocialAccount",
        verbose_name=_("не отправлять в соцсети"),
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def social_override(self, network):
        return (getattr(self, f"social_text_{network}", "") or "").strip()

    def social_slot(self, network):
        """When the post to ``network`` may go out, if the editor set a time; else None."""
        return getattr(self, f"social_at_{network}", None)

    def social_style_findings(self):
        """The post texts with «важно» style hints, ``[(where, hints)]``: what holds the posts
        back unless «всё равно опубликовать в соцсетях» is ticked."""
        from social_sync.services.style_gate import texts_to_fix

        return texts_to_fix(self)


def crossposting_form(form_class):
    """``form_class`` with the editor's choice of accounts for a crossposted page."""
    return type(form_class.__name__, (CrosspostFormMixin, form_class), {})


def crossposting_tabs(content_panels, promote_panels, form_class):
    """The editor's tabs of a crossposted page, with «Соцсети»: where it goes and where it went."""
    return TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Содержание")),
            ObjectList(promote_panels, heading=_("Продвижение")),
            ObjectList(Page.settings_panels, heading=_("Настройки")),
            ObjectList(crosspost_panels(), heading=_("Соцсети")),
        ],
        base_form_class=form_class,
    )


def page_class(page):
    """The specific class of ``page``, whether it is a specific page or a plain ``Page``."""
    if isinstance(page, CrosspostedPage):
        return type(page)
    return page.specific_class


def is_crossposted(page):
    cls = page_class(page)
    return cls is not None and issubclass(cls, CrosspostedPage)


def crosspost_switch(page):
    """The account switch that takes ``page``'s kind of material, or None."""
    return page_class(page).crosspost_switch if is_crossposted(page) else None


def crossposted_models():
    return [model for model in apps.get_models() if issubclass(model, CrosspostedPage)]


def section_models():
    """Page types under which crossposted pages are created: an account can be limited to them."""
    crossposted = set(crossposted_models())
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and model is not Page
        and crossposted & set(model.allowed_subpage_models())
    ]
