from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.models import Page

from newsroom.http import BadInput, read_json_object, text_of
from newsroom.models.listing import NEWS_PER_PAGE, paginate
from newsroom.news_style import review_fields
from newsroom.panels import FIELD_LABELS
from newsroom.visibility import visible_to_visitors

MAX_STYLE_CHECK_BYTES = 512 * 1024


SEARCH_SECTIONS = {
    "news": ("NewsIndexPage", "Новости"),
    "events": ("EventIndexPage", "События"),
    "heads": ("HeadSectionPage", "Разделы Глав"),
}
SEARCH_PERIODS = {"week": (7, "за неделю"), "month": (31, "за месяц"), "year": (366, "за год")}


def _search_query(query):
    """Each word of the query in one of its lemmas (``newsroom.lemmas``), all words required."""
    from wagtail.search.query import And, Or, PlainText

    from newsroom.lemmas import query_terms

    parts = []
    for lemmas in query_terms(query):
        options = [PlainText(lemma) for lemma in sorted(lemmas)]
        parts.append(options[0] if len(options) == 1 else Or(options))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def _scoped(pages, site, section, period):
    from django.utils import timezone

    from newsroom import models

    if section in SEARCH_SECTIONS:
        model = getattr(models, SEARCH_SECTIONS[section][0])
        roots = model.objects.live()
        if site is not None:
            roots = roots.descendant_of(site.root_page, inclusive=True)
        scoped = Page.objects.none()
        for root in roots:
            scoped |= pages.descendant_of(root)
        pages = scoped
    if period in SEARCH_PERIODS:
        since = timezone.now() - timezone.timedelta(days=SEARCH_PERIODS[period][0])
        pages = pages.filter(first_published_at__gte=since)
    return pages


def _title_vocabulary(pages):
    """The words of the published titles, kept for the current site generation."""
    from django.core.cache import caches

    from newsroom.cache import current_generation
    from newsroom.lemmas import vocabulary
    from newsroom.site_memory import FRAGMENTS_CACHE

    local = caches[FRAGMENTS_CACHE]
    key = f"search-vocabulary:{current_generation()}"
    words = local.get(key)
    if words is None:
        words = vocabulary(pages.values_list("title", flat=True))
        local.set(key, words, 3600)
    return words


def _mark_words(results, terms):
    """Each result's title and snippet as segments, the words of the query marked."""
    from django.utils.text import Truncator

    from newsroom.lemmas import highlight

    results.object_list = list(results.object_list)
    for page in results.object_list:
        snippet = page.search_description or getattr(page, "lead", "") or ""
        page.title_marks = highlight(page.title, terms)
        page.snippet_marks = highlight(Truncator(snippet).words(40), terms)


def search(request):
    from newsroom.lemmas import correct, query_terms

    query = request.GET.get("q", "").strip()[:200]
    section = request.GET.get("section", "")
    period = request.GET.get("period", "")
    results, corrected = None, None
    if query:
        site = request.site if hasattr(request, "site") else None
        pages = visible_to_visitors(Page.objects.all())
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        scoped = _scoped(pages, site, section, period)
        wanted = _search_query(query)
        found = scoped.specific().search(wanted) if wanted is not None else Page.objects.none()
        if wanted is not None and not found.count():
            corrected = correct(query, _title_vocabulary(pages))
            if corrected:
                found = scoped.specific().search(_search_query(corrected))
        results = paginate(request, found, NEWS_PER_PAGE)
        _mark_words(results, query_terms(corrected or query))
    context = {
        "query": query,
        "results": results,
        "corrected": corrected,
        "section": section if section in SEARCH_SECTIONS else "",
        "period": period if period in SEARCH_PERIODS else "",
        "sections": [(key, label) for key, (_model, label) in SEARCH_SECTIONS.items()],
        "periods": [(key, label) for key, (_days, label) in SEARCH_PERIODS.items()],
    }
    return render(request, "newsroom/search.html", context)


@require_POST
def style_check(request):
    """Checks the text an editor has in the form now; answers with the report's HTML."""
    try:
        data = read_json_object(
            request,
            max_bytes=MAX_STYLE_CHECK_BYTES,
            too_long=_("Текст слишком длинный для проверки."),
            unreadable=_("Не удалось прочитать текст для проверки."),
        )
        fields = {key: text_of(data, key, FIELD_LABELS[key]) for key in ("title", "lead", "body")}
    except BadInput as refusal:
        return HttpResponseBadRequest(str(refusal))
    report = review_fields(**fields)
    html = render_to_string(
        "newsroom/includes/style_report.html",
        {"report": report, "field_labels": FIELD_LABELS},
        request=request,
    )
    return HttpResponse(html)
