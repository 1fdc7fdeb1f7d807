"""The public side of the accreditation page: the form, the private status page, the registry
and the verification of a card. Called by the routes of ``AccreditationPage``.

No response here is cached (the anonymous page cache skips them: ``never_cache``): the form
carries a CSRF token, the status page is private, and a revoked card must show as revoked at once.
"""

import re

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accreditation import forms, uploads
from accreditation.models import (
    Accreditation,
    ApplicationStatus,
    CardState,
    Consent,
    ConsentKind,
)
from accreditation.models.applications import Application
from accreditation.services import applications as service
from accreditation.services import cards, ratelimit
from newsroom.http import client_ip

PAGE_TEMPLATE = "accreditation/accreditation_page.html"
STATUS_TEMPLATE = "accreditation/public/status.html"
REGISTRY_TEMPLATE = "accreditation/public/registry.html"
VERIFY_TEMPLATE = "accreditation/public/verify.html"
LIMITED_TEMPLATE = "accreditation/public/rate_limited.html"
HONEYPOT_TEMPLATE = "accreditation/public/honeypot.html"
FILES_AGAIN = (
    "Форма не отправлена: исправьте отмеченные поля. Браузер не сохраняет выбранные файлы, "
    "поэтому фотографии и письма редакции нужно выбрать заново."
)


def private(response):
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"  # the token never leaves the site
    response["X-Robots-Tag"] = "noindex"
    return response


def _render(request, page, template, context, status=200):
    response = page.render(request, context_overrides=context, template=template)
    response.status_code = status
    return private(response)


# The form -----------------------------------------------------------------------------------


def _journalist_count(request, maximum):
    try:
        wanted = int(request.GET.get("journalists", 1))
    except ValueError:
        wanted = 1
    return max(1, min(wanted, maximum))


def apply(request, page):
    today = timezone.localdate()
    occurrence = page.window.current(today)
    context = {
        "occurrence": occurrence,
        "next_window": page.window.next(today) if occurrence is None else None,
        "max_megabytes": uploads.max_megabytes(),
    }
    if occurrence is None:
        return _render(request, page, PAGE_TEMPLATE, context)
    year = occurrence.year
    consent_texts = {kind: page.consent_text(kind) for kind in ConsentKind.values}
    formset_class = forms.journalist_formset(page.quota)
    context.update(
        year=year,
        consent_processing=consent_texts[ConsentKind.PROCESSING],
        consent_distribution=consent_texts[ConsentKind.DISTRIBUTION],
        quota=page.quota,
        max_journalists=formset_class.max_num,
    )

    if request.method != "POST":
        outlet_form = forms.PublicOutletForm(
            initial={
                "processing_version": consent_texts[ConsentKind.PROCESSING].pk,
                "distribution_version": consent_texts[ConsentKind.DISTRIBUTION].pk,
            }
        )
        formset = formset_class(prefix="j")
        formset.min_num = _journalist_count(request, formset_class.max_num)
        context.update(outlet_form=outlet_form, formset=formset)
        return _render(request, page, PAGE_TEMPLATE, context)

    ip = client_ip(request)
    if ratelimit.is_limited(ip):
        return _render(request, page, LIMITED_TEMPLATE, context, status=429)
    ratelimit.note_attempt(ip)
    if request.POST.get(forms.HONEYPOT):
        return _render(request, page, HONEYPOT_TEMPLATE, context, status=400)

    outlet_form = forms.PublicOutletForm(request.POST)
    formset = formset_class(request.POST, request.FILES, prefix="j")
    context.update(outlet_form=outlet_form, formset=formset)
    valid = outlet_form.is_valid() & formset.is_valid()
    if valid:
        shown = (
            outlet_form.cleaned_data["processing_version"],
            outlet_form.cleaned_data["distribution_version"],
        )
        current = (
            consent_texts[ConsentKind.PROCESSING].pk,
            consent_texts[ConsentKind.DISTRIBUTION].pk,
        )
        if shown != current:
            outlet_form.add_error(
                None,
                "Пока вы заполняли форму, текст согласий изменился. Прочитайте новый текст "
                "ниже и отметьте согласия снова.",
            )
            valid = False
    if valid:
        # A set of fields added and left empty is no journalist: the formset skipped it.
        journalists = [
            {**form.cleaned_data, "checked": form.checked}
            for form in formset.forms
            if form.cleaned_data
        ]
        try:
            application, token = service.submit(
                page, year, outlet_form.cleaned_data, journalists, consent_texts, ip
            )
        except service.SubmissionError as error:
            outlet_form.add_error(None, str(error))
        else:
            ratelimit.note_accepted(ip)
            url = page.url + page.reverse_subpage("status", kwargs={"token": token})
            return private(redirect(f"{url}?new=1"))
    context.update(errors_summary=FILES_AGAIN, files_again=True)
    return _render(request, page, PAGE_TEMPLATE, context, status=200)


# The private status page ---------------------------------------------------------------------


def _application(page, token):
    application = Application.by_token(token)
    if application is None or application.page_id != page.pk:
        raise Http404
    return application


def _journalists(application):
    return list(
        application.journalists.select_related("accreditation").prefetch_related(
            Prefetch("consents", queryset=Consent.objects.all())
        )
    )


def _correction_forms(application, journalists, data=None, files=None):
    initial = {name: getattr(application, name) for name in service.OUTLET_FIELDS}
    outlet_form = forms.OutletForm(data, initial=initial, prefix="o")
    journalist_forms = [
        (
            journalist,
            forms.CorrectionJournalistForm(
                data,
                files,
                initial={name: getattr(journalist, name) for name in service.JOURNALIST_FIELDS},
                prefix=f"j{journalist.pk}",
            ),
        )
        for journalist in journalists
    ]
    return outlet_form, journalist_forms


def status(request, page, token):
    application = _application(page, token)
    journalists = _journalists(application)
    correcting = application.status == ApplicationStatus.NEEDS_CORRECTION
    context = {
        "application": application,
        "journalists": journalists,
        "just_submitted": request.GET.get("new") == "1",
        "resubmitted": request.GET.get("resubmitted") == "1",
        "token": token,
        "max_megabytes": uploads.max_megabytes(),
    }
    if correcting:
        if request.method == "POST":
            outlet_form, journalist_forms = _correction_forms(
                application, journalists, request.POST, request.FILES
            )
            valid = outlet_form.is_valid()
            for _journalist, form in journalist_forms:
                valid = form.is_valid() and valid
            if valid:
                try:
                    service.resubmit(
                        application,
                        outlet_form.cleaned_data,
                        {
                            journalist.pk: {**form.cleaned_data, "checked": form.checked}
                            for journalist, form in journalist_forms
                        },
                    )
                except service.SubmissionError as error:
                    outlet_form.add_error(None, str(error))
                else:
                    url = page.url + page.reverse_subpage("status", kwargs={"token": token})
                    return private(redirect(f"{url}?resubmitted=1"))
            context.update(errors_summary=FILES_AGAIN, files_again=True)
        else:
            outlet_form, journalist_forms = _correction_forms(application, journalists)
        context.update(outlet_form=outlet_form, journalist_forms=journalist_forms)
    elif request.method == "POST":
        return private(HttpResponse("Заявку сейчас нельзя изменить.", status=409))
    return _render(request, page, STATUS_TEMPLATE, context)


def status_card(request, page, token, pk):
    application = _application(page, token)
    card = (
        Accreditation.objects.filter(pk=pk, journalist__application=application)
        .select_related("journalist__application__page")
        .first()
    )
    if card is None or card.state() != CardState.VALID:
        raise Http404
    return private(pdf_response(card))


def pdf_response(card):
    response = HttpResponse(cards.card_pdf(card), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cards.card_filename(card)}"'
    return response


# The registry and the verification ------------------------------------------------------------


def registry(request, page):
    today = timezone.localdate()
    current = (
        Accreditation.objects.current(today)
        .filter(year__in=(today.year, today.year + 1))
        .select_related("journalist__application")
        .prefetch_related("journalist__consents")
        .order_by("year", "journalist__application__outlet_name", "journalist__full_name")
    )
    years = {}
    for card in current:
        application = card.journalist.application
        outlets = years.setdefault(card.year, {})
        outlet = outlets.setdefault(
            application.registration_number,
            {"application": application, "listed": [], "unlisted": 0},
        )
        if card.journalist.listed and not card.journalist.anonymised_at:
            outlet["listed"].append(card)
        else:
            outlet["unlisted"] += 1
    context = {
        "years": [
            {
                "year": year,
                "outlets": sorted(
                    outlets.values(), key=lambda o: o["application"].outlet_name.lower()
                ),
            }
            for year, outlets in sorted(years.items())
        ],
        "today": today,
    }
    return _render(request, page, REGISTRY_TEMPLATE, context)


_NUMBER = re.compile(r"(\d{4})\s*[-–—]\s*(\d{1,6})")


def normalise_card_number(text):
    """«№ 2027-0001», «2027 - 1», «АК-2027-0001» → «2027-0001»; None if it is not a number."""
    match = _NUMBER.search(text or "")
    if match is None:
        return None
    return f"{match[1]}-{int(match[2]):04d}"


def verify(request, page, number):
    number = (number or "").strip()
    context = {"query": number, "today": timezone.localdate()}
    status = 200
    if number:
        normalised = normalise_card_number(number)
        card = (
            Accreditation.objects.filter(number=normalised)
            .select_related("journalist__application")
            .prefetch_related("journalist__consents")
            .first()
            if normalised
            else None
        )
        if card is None:
            context["not_found"] = True
            status = 404
        else:
            journalist = card.journalist
            context.update(
                card=card,
                state=card.state(),
                states=CardState,
                journalist=journalist,
                show_name=journalist.listed and not journalist.anonymised_at,
            )
    return _render(request, page, VERIFY_TEMPLATE, context, status=status)
