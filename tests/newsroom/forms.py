"""Form data for the Wagtail page editor, as the browser would post it."""

import datetime
import json

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield


def news_form_data(
    title="Новость подразделения", slug="novost", lead="Коротко о главном.", **extra
):
    data = {
        "title": title,
        "slug": slug,
        "lead": lead,
        "body": streamfield([]),
        "date": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "tags": "",
        "comments": inline_formset([]),
        "seo_title": "",
        "social_images": "all",
        "search_description": "",
    }
    data.update(extra)
    return nested_form_data(data)


def event_form_data(page, **extra):
    """The event editor's form for ``page``, two days ahead, as the browser posts it."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "title": page.title,
        "slug": page.slug,
        "kind": "meeting",
        "start": (now + datetime.timedelta(days=2)).strftime("%d.%m.%Y %H:%M"),
        "end": (now + datetime.timedelta(days=2, hours=2)).strftime("%d.%m.%Y %H:%M"),
        "place": "Зал заседаний",
        "participants": "",
        "description": json.dumps({"blocks": [], "entityMap": {}}),  # what Draftail posts
        "speaker": "",
        "stream_url": "",
        "responsible_official": "",
        "leadership": "",
        "in_plan": "on",
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "social_images": "all",
    }
    data.update(extra)
    return nested_form_data(data)
