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


class CrosspostedPage(models.Model):
    """Mixin of page types that are crossposted to the official accounts."""

    #: The ``SocialAccount`` switch that takes this kind of page: ``post_news`` or ``post_events``.
    crosspost_switch = None

    # The accounts the editor unticked; an account added later is included by default.
    social_skip = ParentalManyToManyField(
        "social_sync.SocialAccount",
        verbose_name=_("не отправлять в соцсети"),
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


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
