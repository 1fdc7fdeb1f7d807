"""Form data for the Wagtail page editor, as the browser would post it."""

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
