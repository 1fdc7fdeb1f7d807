"""The broadcast's page with its question form and its Q&A list (``EventPage.serve`` calls it).

The page is never cached while it takes questions: the form carries a CSRF token and a visitor
must see the message about their own question.
"""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from newsroom.broadcasts import forms, services
from newsroom.http import client_ip

SENT = "sent"


def _render(page, request, form, status=200, notice=""):
    context = page.get_context(request)
    context.update(
        question_form=form,
        questions_open=page.accepts_questions(),
        question_notice=notice or ("sent" if request.GET.get("question") == SENT else ""),
        qa=list(services.answered(page)),
    )
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    add_never_cache_headers(response)
    return response


def serve_broadcast(page, request, *args, **kwargs):
    if request.method != "POST":
        return _render(page, request, forms.QuestionForm())
    if not page.accepts_questions():
        return _render(page, request, None, status=400, notice="closed")
    ip = client_ip(request)
    if services.is_limited(ip):
        return _render(page, request, None, status=429, notice="limited")
    services.note_attempt(ip)
    if request.POST.get(forms.HONEYPOT):
        return _render(page, request, None, status=400, notice="rejected")
    form = forms.QuestionForm(request.POST)
    if not form.is_valid():
        return _render(page, request, form, status=400)
    _question, created = services.submit(page, form.cleaned_data, ip, forms.CONSENT_TEXT)
    suffix = SENT if created else "repeat"
    return HttpResponseRedirect(f"{page.url}?question={suffix}#questions")
