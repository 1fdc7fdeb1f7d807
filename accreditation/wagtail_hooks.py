from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets.button import Button

from accreditation.models import DecisionAction
from accreditation.permissions import may_announce
from accreditation.viewsets import accreditation_viewset


@hooks.register("register_admin_viewset")
def register_accreditation_viewset():
    return accreditation_viewset


def _is_event(page):
    from newsroom.models import EventPage

    return page.specific_class is not None and issubclass(page.specific_class, EventPage)


def _announce_button(page, user, priority):
    if _is_event(page) and may_announce(user):
        return Button(
            _("Анонс для аккредитованных СМИ"),
            reverse("accreditation:announce", args=[page.pk]),
            icon_name="mail",
            priority=priority,
        )
    return None


@hooks.register("register_page_header_buttons")
def announce_header_button(page, user, view_name=None, next_url=None):
    button = _announce_button(page, user, 55)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def announce_listing_button(page, user, next_url=None):
    button = _announce_button(page, user, 45)
    if button:
        yield button


@hooks.register("register_log_actions")
def register_accreditation_log_actions(actions):
    for value, label in DecisionAction.choices:
        actions.register_action(f"accreditation.{value}", label, label)


@hooks.register("insert_global_admin_css")
def accreditation_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("accreditation/css/admin.css"))
