"""The editor's preview of a page's posts: what each network will show, from the form as it is now.

The page is rebuilt from its latest draft (or, for a new page, from nothing) with the form's
values on top, and goes through the same ``build_content`` that delivery uses, so the preview
shows what will be sent.
"""

import datetime

from django.apps import apps
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from newsroom import date_range
from newsroom.http import BadInput, forbidden, id_of, read_json_object, text_of
from social_sync.crossposting import SOCIAL_TEXT_NETWORKS, CrosspostedPage
from social_sync.post_format import FORMATS
from social_sync.services.content import build_content

MAX_PREVIEW_BYTES = 256 * 1024
SOCIAL_IMAGES = frozenset({"all", "main", "none"})
TEXT_FIELDS = (
    "title",
    "lead",
    "place",
    "social_text",
    "social_hashtags",
    *(f"social_text_{network}" for network in SOCIAL_TEXT_NETWORKS),
)


class PreviewRefused(Exception):
    pass


def _read(request):
    """The form's values: text fields as text (a list, an object or broken characters refused),
    the rest as the browser sent them."""
    data = read_json_object(
        request,
        max_bytes=MAX_PREVIEW_BYTES,
        too_long=_("Текст слишком длинный для предпросмотра."),
        unreadable=_("Не удалось прочитать форму для предпросмотра."),
    )
    for name in (*TEXT_FIELDS, "slug", "page_type", "start"):
        if name in data:
            data[name] = text_of(data, name, name)
    return data


def _page_and_url(request, data):
    """The draft to preview and its address; None when the user may not edit it."""
    page_id = id_of(data.get("page_id"))
    slug = data.get("slug", "").strip()
    if page_id:
        saved = get_object_or_404(Page, pk=page_id)
        if not saved.permissions_for_user(request.user).can_edit():
            return None, ""
        page = saved.specific.get_latest_revision_as_object()
        url = saved.get_full_url() or ""
        if slug and slug != saved.slug and url:
            url = url.rstrip("/").rsplit("/", 1)[0] + f"/{slug}/"
        return page, url
    parent = get_object_or_404(Page, pk=id_of(data.get("parent_id")) or 0)
    if not parent.permissions_for_user(request.user).can_add_subpage():
        return None, ""
    try:
        model = apps.get_model(data.get("page_type", ""))
    except (LookupError, ValueError):
        model = None
    if model is None or not issubclass(model, CrosspostedPage):
        raise PreviewRefused(_("Этот тип страницы не отправляется в соцсети."))
    parent_url = parent.get_full_url() or "/"
    return model(), f"{parent_url.rstrip('/')}/{slug or '…'}/"


def _parse_start(value):
    value = value.strip()
    for pattern in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            moment = datetime.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return timezone.make_aware(moment) if date_range.is_within(moment) else None
    return None


def _apply_form(page, data):
    for name in TEXT_FIELDS:
        if name in data and hasattr(page, name):
            setattr(page, name, data[name])
    if "social_publish_anyway" in data:
        page.social_publish_anyway = bool(data["social_publish_anyway"])
    if isinstance(data.get("social_images"), str) and data["social_images"] in SOCIAL_IMAGES:
        page.social_images = data["social_images"]
    if hasattr(page, "main_image_id") and "main_image" in data:
        image_id = id_of(data.get("main_image"))
        exists = image_id and get_image_model().objects.filter(pk=image_id).exists()
        page.main_image_id = image_id if exists else None
    if hasattr(page, "start") and "start" in data:
        page.start = _parse_start(data.get("start", "")) or page.start


@require_POST
def social_preview(request):
    """Answers with the HTML of the posts of every network and the style check of the text."""
    from newsroom.news_style import checker

    if not PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change"]):
        return forbidden(request)  # writes no page anywhere
    try:
        data = _read(request)
        page, url = _page_and_url(request, data)
    except (PreviewRefused, BadInput) as refusal:
        return HttpResponseBadRequest(str(refusal))
    if page is None:
        return forbidden(request)
    _apply_form(page, data)
    if getattr(page, "start", True) is None:
        page.start = timezone.now()  # an event without its time yet: the preview shows today
    content = build_content(page, url=url)
    previews = [content.preview_for(network) for network in FORMATS]
    texts = {"social": content.text, **content.overrides}
    report = checker().check(texts)
    labels = {"social": _("Текст для соцсетей")}
    labels.update({network: FORMATS[network].label for network in content.overrides})
    html = render_to_string(
        "social_sync/includes/social_previews.html",
        {
            "previews": previews,
            "images": content.images,
            "url": url,
            "title": page.title,
            "own_text": content.with_title is False,
            "report": report,
            "field_labels": labels,
            "publish_anyway": getattr(page, "social_publish_anyway", False),
        },
        request=request,
    )
    return HttpResponse(html)
