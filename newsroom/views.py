import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.models import Page

from newsroom.models.listing import NEWS_PER_PAGE, paginate
from newsroom.news_style import review_fields
from newsroom.panels import FIELD_LABELS

MAX_STYLE_CHECK_BYTES = 512 * 1024


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = None
    if query:
        site = request.site if hasattr(request, "site") else None
        pages = Page.objects.live().public()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = paginate(request, pages.specific().search(query), NEWS_PER_PAGE)
    return render(request, "newsroom/search.html", {"query": query, "results": results})


@require_POST
def style_check(request):
    """Checks the text an editor has in the form now; answers with the report's HTML."""
    if len(request.body) > MAX_STYLE_CHECK_BYTES:
        return HttpResponseBadRequest(_("Текст слишком длинный для проверки."))
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest(_("Не удалось прочитать текст для проверки."))
    if not isinstance(data, dict):
        return HttpResponseBadRequest(_("Не удалось прочитать текст для проверки."))
    fields = {key: str(data.get(key) or "") for key in ("title", "lead", "body")}
    report = review_fields(**fields)
    html = render_to_string(
        "newsroom/includes/style_report.html",
        {"report": report, "field_labels": FIELD_LABELS},
        request=request,
    )
    return HttpResponse(html)
