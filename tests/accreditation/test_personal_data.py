"""Personal data: the retention job, one person's export and erasure, all logged."""

import datetime
import io
import json
import zipfile

from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import CardState, DecisionAction, Journalist
from accreditation.services import decisions, personal_data
from tests.accreditation.conftest import stored_files
from tests.accreditation.helpers import make_application

pytestmark = pytest.mark.django_db


def test_rejected_applications_are_anonymised_after_a_year(
    page, reviewer, private_root, django_capture_on_commit_callbacks
):
    application, _ = make_application(page, journalists=1)
    decisions.reject(application, reviewer, "Не СМИ")
    assert personal_data.apply_retention() == 0
    Journalist.objects.update(decided_at=timezone.now() - datetime.timedelta(days=366))
    with django_capture_on_commit_callbacks(execute=True):
        assert personal_data.apply_retention() == 1
    journalist = Journalist.objects.get()
    assert journalist.full_name == "удалено" and journalist.email == "" and journalist.phone == ""
    assert not journalist.photo and not journalist.letter
    assert stored_files(private_root) == []
    application.refresh_from_db()
    assert application.applicant_email == "" and application.editor_in_chief == "удалено"
    assert application.ip_address is None and application.anonymised_at
    assert not journalist.consents.exclude(ip_address=None).exists()
    assert application.log.filter(action=DecisionAction.ANONYMISED).count() == 1
    assert personal_data.apply_retention() == 0


def test_expired_accreditations_are_anonymised_after_the_configured_period(
    page, reviewer, settings, private_root, django_capture_on_commit_callbacks
):
    settings.ACCREDITATION_RETENTION_DAYS = 30
    application, _ = make_application(page, journalists=1)
    card = decisions.approve(application, reviewer)[0]
    after_end = card.valid_until + datetime.timedelta(days=30)
    assert personal_data.apply_retention(after_end) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert personal_data.apply_retention(after_end + datetime.timedelta(days=1)) == 1
    card.refresh_from_db()
    assert card.number and card.state(after_end) == CardState.EXPIRED  # the history stays
    assert stored_files(private_root) == []


def test_a_reviewer_exports_one_persons_data(client, page, reviewer):
    application, _ = make_application(page, journalists=2)
    journalist = application.journalists.order_by("pk").first()
    client.force_login(reviewer)
    response = client.post(reverse("accreditation:export", args=[journalist.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data.json", "letter.pdf", "photo.jpg"]
    data = json.loads(archive.read("data.json"))
    assert data["журналист"]["фамилия, имя, отчество"] == "Иванова Мария Сергеевна"
    assert data["журналист"]["телефон"] == "+79123456780"
    assert data["заявка"]["номер"] == application.number
    assert {c["версия текста"] for c in data["согласия"]} == {1}
    assert "Сидоров" not in archive.read("data.json").decode()  # only this person
    assert application.log.filter(action=DecisionAction.EXPORTED, journalist=journalist).exists()


def test_an_accredited_journalists_data_is_exported_with_the_card(client, page, reviewer):
    application, _ = make_application(page, journalists=1)
    card = decisions.approve(application, reviewer)[0]
    client.force_login(reviewer)
    response = client.post(reverse("accreditation:export", args=[card.journalist.pk]))
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["аккредитация"]["номер карточки"] == card.number
    assert data["аккредитация"]["состояние"] == str(card.state().label)
    assert data["аккредитация"]["действительна до"] == card.valid_until.isoformat()


def test_a_reviewer_erases_one_person_on_request(
    client, page, reviewer, private_root, django_capture_on_commit_callbacks
):
    application, _ = make_application(page, journalists=2)
    card = decisions.approve(application, reviewer)[0]
    journalist = card.journalist
    client.force_login(reviewer)
    url = reverse("accreditation:erase", args=[journalist.pk])
    assert "будет прекращена" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Укажите основание" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Заявление от 12.03 № 15", "confirm": "on"})
    assert response.status_code == 302
    journalist.refresh_from_db()
    card.refresh_from_db()
    assert journalist.full_name == "удалено" and not journalist.photo
    assert card.state() == CardState.ENDED
    assert len(stored_files(private_root)) == 2  # the other journalist's files stay
    application.refresh_from_db()
    assert application.applicant_email  # the other journalist is still there
    entry = application.log.get(action=DecisionAction.ERASED)
    assert entry.actor == reviewer and "№ 15" in entry.comment
    verify = client.get(f"{page.url}verify/{card.number}/").content.decode()
    assert "прекращена" in verify and "Иванова" not in verify


def test_a_withdrawn_distribution_consent_takes_the_name_off_the_registry(client, page, reviewer):
    application, _ = make_application(page, journalists=1)
    card = decisions.approve(application, reviewer)[0]
    assert "Иванова Мария Сергеевна" in client.get(f"{page.url}registry/").content.decode()
    client.force_login(reviewer)
    url = reverse("accreditation:withdraw_consent", args=[card.journalist.pk])
    assert client.post(url, {"note": "Заявление от 01.02"}).status_code == 302
    client.logout()
    assert "Иванова Мария Сергеевна" not in client.get(f"{page.url}registry/").content.decode()
    assert "Иванова" not in client.get(f"{page.url}verify/{card.number}/").content.decode()
    assert application.log.filter(action=DecisionAction.CONSENT_WITHDRAWN).count() == 1
    assert not personal_data.withdraw_distribution(card.journalist, reviewer)
