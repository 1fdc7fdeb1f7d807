"""The public form: a good application is stored with its files, consents and number and the
applicant gets an e-mail; every bad input is refused next to its field, keeps what was typed and
stores nothing."""

import datetime
import io
import re

from django.core import mail

import pytest
from PIL import Image

from accreditation.models import (
    AccreditationPage,
    Application,
    ApplicationStatus,
    Consent,
    ConsentKind,
    DecisionLog,
    Journalist,
)
from accreditation.models.applications import hash_token
from newsroom.clock import organisation_clock
from newsroom.worktime import Unit
from tests.accreditation import files
from tests.accreditation.conftest import stored_files
from tests.accreditation.factories import ApplicationFactory, JournalistFactory
from tests.accreditation.helpers import form_data, journalist, submit

pytestmark = pytest.mark.django_db


def nothing_stored(private_root):
    assert not Application.objects.exists()
    assert not Journalist.objects.exists()
    assert not Consent.objects.exists()
    assert stored_files(private_root) == []


def test_the_form_shows_the_year_the_window_and_the_consent_texts(client, page):
    response = client.get(page.url)
    html = response.content.decode()
    year = datetime.date.today().year + 1
    assert response.status_code == 200
    assert f"Заявка на аккредитацию на {year} год" in html
    assert "статья 9 Федерального закона" in html
    assert "Оставьте это поле пустым" in html  # the honeypot, hidden by CSS
    assert "no-store" in response["Cache-Control"]


def test_a_good_application_is_stored_and_the_applicant_gets_a_private_link(
    client, page, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, page, form_data(page, journalists=2), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    token = re.search(r"/status/([^/]+)/\?new=1$", response["Location"])[1]

    application = Application.objects.get()
    year = datetime.date.today().year + 1
    assert application.number == f"А-{year}-0001"
    assert application.year == year
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.registration_number == "ПИ № ТУ 22 - 00123"
    assert application.ip_address == "198.51.100.7"
    assert application.status_token_hash == hash_token(token)
    assert token not in application.status_token_hash
    expected_due = organisation_clock().add(application.submitted_at, 10, Unit.WORKING_DAYS)
    assert application.review_due_at == expected_due

    first, second = application.journalists.order_by("pk")
    assert first.phone == "+79123456780"
    for person in (first, second):
        assert person.photo.name.endswith(".jpg") and person.letter.name.endswith(".pdf")
        assert re.fullmatch(rf"{year}/[0-9a-f]{{32}}\.(jpg|pdf)", person.photo.name)
        image = Image.open(io.BytesIO(person.photo.read()))
        assert not image.getexif()
        consents = {c.kind: c for c in person.consents.select_related("text")}
        assert set(consents) == {ConsentKind.PROCESSING, ConsentKind.DISTRIBUTION}
        assert consents[ConsentKind.PROCESSING].text == page.consent_text("processing")
        assert consents[ConsentKind.PROCESSING].ip_address == "198.51.100.7"
        assert person.listed
    assert len(stored_files(private_root)) == 4
    assert all(str(private_root) in str(p) for p in stored_files(private_root))

    assert DecisionLog.objects.get().action == "submitted"
    message = mail.outbox[-1]
    assert message.to == ["redakciya@vestnik.example.ru"]
    assert application.number in message.subject
    assert f"https://press.example.ru/accreditation/status/{token}/" in message.body

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert f"Заявка принята, её номер — {application.number}" in thanks.content.decode()
    assert thanks["Referrer-Policy"] == "same-origin"


def test_reviewers_are_told_of_a_new_application(
    client, page, reviewer, editor, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    UserFactory(username="left", groups=["Аккредитация"], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, page, form_data(page, journalists=2))
    application = Application.objects.get()
    to_reviewers = [m for m in mail.outbox if m.to != ["redakciya@vestnik.example.ru"]]
    assert len(to_reviewers) == 1
    message = to_reviewers[0]
    assert message.to == [reviewer.email]  # not the editor, not a deactivated reviewer
    assert message.subject == f"Новая заявка на аккредитацию {application.number}"
    assert "Журналистов в заявке: 2." in message.body
    assert f"https://press.example.ru/admin/accreditation/{application.pk}/" in message.body


def test_a_refused_application_tells_no_reviewer(client, page, reviewer):
    response = submit(client, page, form_data(page, applicant_email="не адрес"))
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert mail.outbox == []


def test_an_added_set_of_fields_left_empty_is_ignored(client, page):
    data = form_data(page)
    data["j-TOTAL_FORMS"] = 2  # «Добавить журналиста» clicked, nothing typed
    assert submit(client, page, data).status_code == 302
    assert Journalist.objects.count() == 1


def test_numbers_follow_each_other_within_a_year(client, page):
    submit(client, page, form_data(page))
    submit(
        client,
        page,
        form_data(page, registration_number="ЭЛ № ФС 77 - 54321", outlet_kind="online"),
    )
    year = datetime.date.today().year + 1
    assert sorted(Application.objects.values_list("number", flat=True)) == [
        f"А-{year}-0001",
        f"А-{year}-0002",
    ]


@pytest.mark.parametrize(
    ("outlet", "person", "field", "message"),
    [
        ({"registration_number": "ФС 77-12345"}, {}, "registration_number", "серии свидетельства"),
        ({"registration_number": "ЭЛ № ФС 77 - 12"}, {}, "registration_number", "не похож"),
        ({"outlet_kind": "agency"}, {}, "registration_number", "серии ИА"),
        ({"registration_date": "2999-01-01"}, {}, "registration_date", "в будущем"),
        ({"registration_date": "32.13.2020"}, {}, "registration_date", "ДД.ММ.ГГГГ"),
        ({"applicant_email": "не почта"}, {}, "applicant_email", "адрес эл. почты"),
        ({"website": "not a site at all"}, {}, "website", "адрес сайта"),
        ({"outlet_name": ""}, {}, "outlet_name", "заполнить это поле"),
        ({}, {"phone": "12-34"}, "j-0-phone", "10 цифр"),
        ({}, {"phone": "+1 212 555 0100"}, "j-0-phone", "российский номер"),
        ({}, {"email": "ivanova@"}, "j-0-email", "адрес эл. почты"),
        ({}, {"full_name": "Мария"}, "j-0-full_name", "фамилию и имя"),
        ({}, {"consent_processing": None}, "j-0-consent_processing", "статья 9 152-ФЗ"),
        ({}, {"photo": None}, "j-0-photo", "Выберите фотографию"),
        ({}, {"letter": None}, "j-0-letter", "письма редакции"),
        (
            {},
            {"photo": files.upload("photo.jpg", files.pdf_bytes())},
            "j-0-photo",
            "не является изображением",
        ),
        ({}, {"letter": files.upload("l.pdf", b"%PDF-1.4 junk")}, "j-0-letter", "им не является"),
        (
            {},
            {"photo": files.upload("bomb.png", files.bomb_png())},
            "j-0-photo",
            "слишком большое изображение",
        ),
    ],
)
def test_each_bad_field_is_refused_next_to_it_and_nothing_is_stored(
    client, page, private_root, outlet, person, field, message
):
    data = form_data(page, people=[journalist(0, **person)], **outlet)
    response = submit(client, page, data)
    assert response.status_code == 200
    html = response.content.decode()
    block = re.search(rf'data-field="{field}">(.*?)</div>', html, re.S)
    assert block, field
    assert message in block[1]
    assert "нужно выбрать заново" in html
    nothing_stored(private_root)


def test_the_form_keeps_what_was_typed_and_asks_for_the_files_again(client, page):
    data = form_data(page, people=[journalist(0, phone="12")], outlet_name="Вестник «Заря»")
    html = submit(client, page, data).content.decode()
    assert 'value="Вестник «Заря»"' in html
    assert 'value="Петров Пётр Петрович"' in html
    assert 'value="Иванова Мария Сергеевна"' in html
    assert "Выберите файл ещё раз" in html


def test_a_file_over_10_mb_is_refused(client, page, private_root):
    big = files.upload("letter.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1))
    html = submit(
        client, page, form_data(page, people=[journalist(0, letter=big)])
    ).content.decode()
    assert "больше 10 МБ" in html
    nothing_stored(private_root)


def test_without_the_distribution_consent_the_journalist_is_accepted_but_not_listed(client, page):
    submit(client, page, form_data(page, people=[journalist(0, consent_distribution=None)]))
    person = Journalist.objects.get()
    assert [c.kind for c in person.consents.all()] == [ConsentKind.PROCESSING]
    assert not person.listed


def test_a_changed_consent_text_must_be_agreed_to_again(client, page, private_root):
    data = form_data(page)
    page.consent_processing_text = "Новая редакция согласия на обработку."
    page.save()
    html = submit(client, page, data).content.decode()
    assert "текст согласий изменился" in html
    assert "версия 2" in html
    nothing_stored(private_root)


def test_the_same_address_twice_is_refused(client, page, private_root):
    people = [journalist(0), journalist(1, email="ivanova0@vestnik.example.ru")]
    html = submit(client, page, form_data(page, people=people)).content.decode()
    assert "уже указан у другого журналиста" in html
    nothing_stored(private_root)


def test_the_honeypot_stores_nothing(client, page, private_root):
    response = submit(client, page, form_data(page, company_site="http://spam.example"))
    assert response.status_code == 400
    assert "Заявка не принята" in response.content.decode()
    nothing_stored(private_root)


def test_the_rate_limit_answers_429_in_russian(client, page, settings):
    settings.ACCREDITATION_SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        number = f"ЭЛ № ФС 77 - 1000{n}"
        response = submit(
            client, page, form_data(page, registration_number=number, outlet_kind="online")
        )
        assert response.status_code == 302
    response = submit(client, page, form_data(page))
    assert response.status_code == 429
    assert "Слишком много заявок" in response.content.decode()
    assert Application.objects.count() == 2
    other = submit(client, page, form_data(page), REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 302  # another address is not limited


def test_behind_the_proxy_each_visitor_is_limited_and_recorded_by_his_own_address(
    client, page, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCREDITATION_SUBMISSIONS_PER_HOUR = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = submit(client, page, form_data(page), HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert first.status_code == 302
    assert Application.objects.get().ip_address == "203.0.113.5"
    # A visitor who writes his own X-Forwarded-For is still known by what nginx appended.
    again = submit(
        client,
        page,
        form_data(page, registration_number="ЭЛ № ФС 77 - 10009", outlet_kind="online"),
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5",
        **proxy,
    )
    assert again.status_code == 429
    other = submit(
        client,
        page,
        form_data(page, registration_number="ЭЛ № ФС 77 - 10008", outlet_kind="online"),
        HTTP_X_FORWARDED_FOR="203.0.113.77",
        **proxy,
    )
    assert other.status_code == 302


def test_attempts_are_limited_too(client, page, settings):
    settings.ACCREDITATION_SUBMISSIONS_PER_HOUR = 1
    for _ in range(4):
        assert submit(client, page, {"outlet_name": ""}).status_code == 200
    assert submit(client, page, {"outlet_name": ""}).status_code == 429


def test_outside_the_window_the_form_is_replaced_by_the_next_dates(client, page, private_root):
    today = datetime.date.today()
    # A window that opened and closed before today (two days long, a month ago).
    start = today - datetime.timedelta(days=40)
    end = start + datetime.timedelta(days=2)
    if end.month == 2 and end.day == 29 or start.month == 2 and start.day == 29:
        start, end = start - datetime.timedelta(days=2), end - datetime.timedelta(days=2)
    page.window_start_day, page.window_start_month = start.day, start.month
    page.window_end_day, page.window_end_month = end.day, end.month
    page.save()
    html = client.get(page.url).content.decode()
    assert "Приём заявок закрыт" in html
    assert "Отправить заявку" not in html
    assert f"с {start.day} " in html
    submit(client, page, form_data(page))
    nothing_stored(private_root)


def test_the_quota_counts_the_outlets_other_applications(client, page, private_root):
    page.quota = 2
    page.save()
    html = submit(client, page, form_data(page, journalists=3)).content.decode()
    assert "не больше 2 журналистов" in html
    earlier = ApplicationFactory(
        page=page, registration_number="ПИ № ТУ 22 - 00123", year=datetime.date.today().year + 1
    )
    JournalistFactory(application=earlier, consents=())
    html = submit(client, page, form_data(page, journalists=2)).content.decode()
    assert "осталось мест: 1" in html
    assert Application.objects.count() == 1  # only the earlier one
    assert stored_files(private_root) == []
    assert submit(client, page, form_data(page, journalists=1)).status_code == 302


def test_a_failure_half_way_leaves_no_rows_and_no_files(client, page, private_root, monkeypatch):
    from accreditation.models import consents

    calls = []
    original = consents.Consent.objects.create

    def failing_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("диск переполнен")
        return original(**kwargs)

    monkeypatch.setattr(consents.Consent.objects, "create", failing_create)
    client.raise_request_exception = False
    response = submit(client, page, form_data(page, journalists=2))
    assert response.status_code == 500
    nothing_stored(private_root)


def test_the_page_lives_under_the_home_page_once(page, site_tree):
    assert page.get_parent().specific == site_tree.home
    assert AccreditationPage.can_create_at(site_tree.home) is False  # max_count = 1
    assert "accreditation.AccreditationPage" in [
        f"{m._meta.app_label}.{m.__name__}"
        for m in site_tree.home.specific_class.allowed_subpage_models()
    ]
