"""The applicant's private status page (correction and resubmission, the card once approved),
and the card itself: a PDF with the name, number and validity and a QR code to verification."""

import io

from django.core import mail

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from accreditation.models import ApplicationStatus, DecisionAction
from accreditation.services import decisions
from accreditation.services.cards import card_pdf
from tests.accreditation import files
from tests.accreditation.conftest import stored_files
from tests.accreditation.helpers import make_application

pytestmark = pytest.mark.django_db


def status_url(page, token):
    return page.url + page.reverse_subpage("status", kwargs={"token": token})


def test_the_status_page_needs_the_exact_token(client, page):
    application, token = make_application(page, journalists=1)
    assert client.get(status_url(page, token)).status_code == 200
    assert client.get(status_url(page, token[:-1] + "x")).status_code == 404
    assert client.get(status_url(page, "a" * 43)).status_code == 404


def test_correction_and_resubmission(
    client, page, reviewer, private_root, django_capture_on_commit_callbacks
):
    application, token = make_application(page, journalists=1)
    journalist = application.journalists.get()
    old_letter = journalist.letter.name
    decisions.ask_correction(application, reviewer, "Письмо без подписи главного редактора.")
    url = status_url(page, token)
    html = client.get(url).content.decode()
    assert "Письмо без подписи главного редактора." in html
    assert 'value="Вестник района"' in html

    prefix = f"j{journalist.pk}"
    data = {
        "o-outlet_name": "Вестник района",
        "o-outlet_kind": "print",
        "o-registration_number": "ПИ № ТУ 22 - 00123",
        "o-registration_date": "2015-03-01",
        "o-website": "",
        "o-editor_in_chief": "Петров Пётр Петрович",
        "o-applicant_email": "redakciya@vestnik.example.ru",
        f"{prefix}-full_name": "Иванова Мария Сергеевна",
        f"{prefix}-position": "редактор отдела",
        f"{prefix}-phone": "+7 912 345 67 80",
        f"{prefix}-email": "person0@vestnik.example.ru",
        f"{prefix}-letter": files.upload("signed.pdf", b"%PDF-1.4 junk"),
    }
    response = client.post(url, data)
    assert "им не является" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEEDS_CORRECTION

    data[f"{prefix}-letter"] = files.letter("signed.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?resubmitted=1")
    application.refresh_from_db()
    journalist.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.review_due_at is not None
    assert journalist.position == "редактор отдела"
    assert journalist.letter.name != old_letter
    assert len(stored_files(private_root)) == 2  # the old letter is gone
    assert application.log.filter(action=DecisionAction.RESUBMITTED).exists()
    to_applicant, to_reviewers = mail.outbox[-2:]
    assert to_applicant.to == ["redakciya@vestnik.example.ru"]
    assert "снова на рассмотрении" in to_applicant.body
    assert to_reviewers.to == [reviewer.email]
    assert to_reviewers.subject == f"Исправленная заявка на аккредитацию {application.number}"
    assert f"/admin/accreditation/{application.pk}/" in to_reviewers.body
    assert client.post(url, data).status_code == 409  # nothing to correct any more


def test_the_applicant_downloads_the_card_once_approved(client, page, reviewer):
    application, token = make_application(page, journalists=1)
    html = client.get(status_url(page, token)).content.decode()
    assert "Скачать карточку" not in html
    card = decisions.approve(application, reviewer)[0]
    html = client.get(status_url(page, token)).content.decode()
    assert "Скачать карточку" in html
    url = page.url + page.reverse_subpage("status_card", kwargs={"token": token, "pk": card.pk})
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    other, other_token = make_application(
        page, journalists=1, registration_number="ЭЛ № ФС 77 - 11111"
    )
    stolen = page.url + page.reverse_subpage(
        "status_card", kwargs={"token": other_token, "pk": card.pk}
    )
    assert client.get(stolen).status_code == 404


def qr_payloads(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    found = []
    for image in reader.pages[0].images:
        picture = Image.open(io.BytesIO(image.data))
        found += [result.text for result in zxingcpp.read_barcodes(picture)]
    return reader, found


def test_the_card_pdf_has_the_name_number_validity_and_a_qr_code_to_verification(
    page, reviewer, client
):
    application, _token = make_application(page, journalists=1)
    card = decisions.approve(application, reviewer)[0]
    reader, payloads = qr_payloads(card_pdf(card))
    text = reader.pages[0].extract_text()
    assert "Иванова Мария Сергеевна" in text
    assert f"№ {card.number}" in text
    assert f"действительна до 31.12.{card.year}" in text
    assert "Вестник района" in text
    expected = f"https://press.example.ru/accreditation/verify/{card.number}/"
    assert payloads == [expected]
    assert len(reader.pages[0].images) == 2  # the photo and the QR code
    verification = client.get(expected.removeprefix("https://press.example.ru"))
    assert "действительна" in verification.content.decode()


def test_reviewers_download_the_card_from_the_admin(client, page, reviewer):
    from django.urls import reverse

    application, _token = make_application(page, journalists=1)
    card = decisions.approve(application, reviewer)[0]
    client.force_login(reviewer)
    response = client.get(reverse("accreditation:card_pdf", args=[card.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"kartochka-{card.number}.pdf" in response["Content-Disposition"]
