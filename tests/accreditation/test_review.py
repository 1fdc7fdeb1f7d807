"""Review in the admin: the queue, the application with its files, the decisions and their
e-mails and log, revocation only on the grounds of art. 48 — and nobody outside the group."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from accreditation.models import (
    Accreditation,
    ApplicationStatus,
    CardState,
    DecisionAction,
    JournalistDecision,
    RevocationGround,
)
from accreditation.services import decisions
from newsroom import roles
from tests.accreditation.helpers import make_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(page):
    application, _token = make_application(page)
    return application


def admin_urls(application, card):
    journalist = application.journalists.first()
    return [
        ("get", reverse("accreditation:index")),
        ("get", reverse("accreditation:index_results")),
        ("get", reverse("accreditation:detail", args=[application.pk])),
        ("post", reverse("accreditation:decide", args=[application.pk, "approve"])),
        ("post", reverse("accreditation:decide", args=[application.pk, "reject"])),
        ("post", reverse("accreditation:decide", args=[application.pk, "correction"])),
        ("post", reverse("accreditation:card_action", args=[card.pk, "revoke"])),
        ("post", reverse("accreditation:card_action", args=[card.pk, "returned"])),
        ("get", reverse("accreditation:card_pdf", args=[card.pk])),
        ("get", reverse("accreditation:file", args=[journalist.pk, "photo"])),
        ("get", reverse("accreditation:file", args=[journalist.pk, "letter"])),
        ("post", reverse("accreditation:export", args=[journalist.pk])),
        ("post", reverse("accreditation:withdraw_consent", args=[journalist.pk])),
        ("get", reverse("accreditation:erase", args=[journalist.pk])),
        ("post", reverse("accreditation:erase", args=[journalist.pk])),
    ]


@pytest.mark.parametrize(
    "groups",
    [
        [roles.EDITORS],
        [roles.HEAD_OF_PRESS_OFFICE],
        [roles.EXECUTORS],
        [roles.CURATORS],
        [roles.ADMINISTRATORS],  # administrators too: personal data are for reviewers only
        ["Подразделение: Образование"],
    ],
)
def test_nobody_outside_the_group_reaches_any_admin_url(client, application, reviewer, groups):
    card = decisions.approve(application, reviewer, [application.journalists.first().pk])[0]
    application.refresh_from_db()
    outsider = UserFactory(username="outsider", groups=groups)
    client.force_login(outsider)
    for method, url in admin_urls(application, card):
        response = getattr(client, method)(url, {"journalists": "1", "reason": "x"})
        assert response.status_code == 403, (url, response.status_code)
    assert Accreditation.objects.count() == 1
    assert application.journalists.filter(decision=JournalistDecision.PENDING).count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, application, reviewer):
    card = decisions.approve(application, reviewer)[0]
    for method, url in admin_urls(application, card):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")


def test_files_are_not_under_media_and_have_no_public_address(application):
    from django.conf import settings

    journalist = application.journalists.first()
    assert str(settings.PRIVATE_STORAGE_ROOT) in journalist.photo.path
    assert str(settings.MEDIA_ROOT) not in journalist.photo.path
    with pytest.raises(NotImplementedError):
        journalist.photo.url  # noqa: B018


def test_the_queue_filters_searches_and_marks_overdue(client, page, reviewer):
    late, _ = make_application(page, journalists=1, outlet_name="Опоздавшая газета")
    late.review_due_at = timezone.now() - datetime.timedelta(hours=1)
    late.save()
    fresh, _ = make_application(
        page, journalists=2, outlet_name="Свежий вестник", registration_number="ЭЛ № ФС 77 - 55555"
    )
    client.force_login(reviewer)
    url = reverse("accreditation:index")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Опоздавшая газета") < html.index("Свежий вестник")  # overdue first
    assert "Просрочено" in html
    names = lambda r: {a.outlet_name for a in r.context["object_list"]}  # noqa: E731
    assert names(client.get(url, {"overdue": "true"})) == {"Опоздавшая газета"}
    assert names(client.get(url, {"q": "свежий"})) == {"Свежий вестник"}
    assert names(client.get(url, {"q": "Сидоров"})) == {"Свежий вестник"}
    assert names(client.get(url, {"status": "approved"})) == set()
    assert names(client.get(url, {"year": str(late.year)})) == {
        "Опоздавшая газета",
        "Свежий вестник",
    }


def test_the_application_page_shows_the_files_to_a_reviewer(client, application, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("accreditation:detail", args=[application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Иванова Мария Сергеевна" in html and "Вернуть на исправление" in html
    journalist = application.journalists.first()
    photo = client.get(reverse("accreditation:file", args=[journalist.pk, "photo"]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content).startswith(b"\xff\xd8")
    letter = client.get(reverse("accreditation:file", args=[journalist.pk, "letter"]))
    assert letter["Content-Type"] == "application/pdf"
    assert "no-store" in letter["Cache-Control"]
    assert (
        client.get(reverse("accreditation:file", args=[journalist.pk, "passport"])).status_code
        == 404
    )
    assert client.get(reverse("accreditation:file", args=[999999, "photo"])).status_code == 404


def test_approving_one_journalist_then_the_other(
    client, application, reviewer, django_capture_on_commit_callbacks
):
    first, second = application.journalists.order_by("pk")
    client.force_login(reviewer)
    url = reverse("accreditation:decide", args=[application.pk, "approve"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"approve-journalists": [str(first.pk)]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED  # the other is still pending
    card = Accreditation.objects.get(journalist=first)
    year = application.year
    assert card.number == f"{year}-0001"
    assert card.valid_until == datetime.date(year, 12, 31)
    assert mail.outbox[-1].to == [application.applicant_email]
    assert card.number in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"approve-journalists": [str(second.pk)]})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_at is not None
    assert application.log.filter(action=DecisionAction.APPROVED).count() == 2
    assert ModelLogEntry.objects.filter(action="accreditation.approved").count() == 2
    assert len(mail.outbox) == 2  # one e-mail per decision


def test_rejecting_needs_a_reason(
    client, application, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    url = reverse("accreditation:decide", args=[application.pk, "reject"])
    ids = [str(pk) for pk in application.journalists.values_list("pk", flat=True)]
    response = client.post(url, {"reject-journalists": ids, "reject-reason": ""})
    assert response.status_code == 200
    assert "Укажите причину отказа" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"reject-journalists": ids, "reject-reason": "Издание не выходит с 2020 года."}
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert set(application.journalists.values_list("decision", flat=True)) == {"rejected"}
    assert "Издание не выходит с 2020 года." in mail.outbox[-1].body
    assert not Accreditation.objects.exists()


def test_correction_needs_a_comment_and_only_before_any_decision(
    client, application, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    url = reverse("accreditation:decide", args=[application.pk, "correction"])
    assert (
        "Напишите, что нужно исправить"
        in client.post(url, {"correction-comment": " "}).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"correction-comment": "Приложите письмо за подписью главного редактора."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEEDS_CORRECTION
    assert application.review_due_at is None
    assert "Приложите письмо" in mail.outbox[-1].body
    with pytest.raises(decisions.DecisionError):
        decisions.approve(application, reviewer)  # nothing to decide while it is being corrected


def test_no_correction_after_a_decision(application, reviewer):
    decisions.approve(application, reviewer, [application.journalists.first().pk])
    with pytest.raises(decisions.DecisionError, match="только до первого решения"):
        decisions.ask_correction(application, reviewer, "Исправьте")


def test_decided_journalists_cannot_be_decided_again(application, reviewer):
    decisions.approve(application, reviewer)
    with pytest.raises(decisions.DecisionError):
        decisions.reject(application, reviewer, "Передумали")
    assert Accreditation.objects.count() == 2


@pytest.fixture
def card(application, reviewer):
    return decisions.approve(application, reviewer)[0]


def test_revocation_only_on_the_grounds_of_article_48(
    client, card, reviewer, django_capture_on_commit_callbacks
):
    with pytest.raises(decisions.DecisionError, match="статьи 48"):
        decisions.revoke(card, reviewer, "bad_behaviour", "Грубил")
    with pytest.raises(decisions.DecisionError, match="решение суда"):
        decisions.revoke(card, reviewer, RevocationGround.COURT_CONFIRMED_UNTRUTH, "Статья")
    client.force_login(reviewer)
    url = reverse("accreditation:card_action", args=[card.pk, "revoke"])
    prefix = f"revoke{card.pk}"
    response = client.post(url, {f"{prefix}-ground": "bad_behaviour", f"{prefix}-details": "x"})
    assert response.status_code == 200
    assert Accreditation.objects.get(pk=card.pk).state() == CardState.VALID
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                f"{prefix}-ground": RevocationGround.RULES_BREACH,
                f"{prefix}-details": "Проход в зону заседания без разрешения 12.05.",
            },
        )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.state() == CardState.REVOKED
    assert card.revocation_ground == RevocationGround.RULES_BREACH
    assert "отозвана" in mail.outbox[-1].subject
    assert card.journalist.email in mail.outbox[-1].to
    with pytest.raises(decisions.DecisionError):
        decisions.revoke(card, reviewer, RevocationGround.RULES_BREACH, "ещё раз")


def test_revocation_confirmed_by_a_court_keeps_the_decision(card, reviewer):
    decisions.revoke(
        card,
        reviewer,
        RevocationGround.COURT_CONFIRMED_UNTRUTH,
        "Публикация от 01.03 о закупках",
        "Решение районного суда от 10.04.2027 по делу № 2-123/2027, вступило в силу 15.05.2027",
    )
    card.refresh_from_db()
    assert "2-123/2027" in card.court_decision
    entry = card.journalist.application.log.get(action=DecisionAction.REVOKED)
    assert "2-123/2027" in entry.comment


def test_the_card_return_is_recorded_once(client, card, reviewer):
    decisions.revoke(card, reviewer, RevocationGround.RULES_BREACH, "Нарушение")
    client.force_login(reviewer)
    url = reverse("accreditation:card_action", args=[card.pk, "returned"])
    prefix = f"return{card.pk}"
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    assert client.post(url, {f"{prefix}-returned_on": future}).status_code == 200
    today = timezone.localdate().isoformat()
    assert client.post(url, {f"{prefix}-returned_on": today}).status_code == 302
    card.refresh_from_db()
    assert card.card_returned_at == timezone.localdate()
    with pytest.raises(decisions.DecisionError, match="уже отмечен"):
        decisions.record_return(card, reviewer)
    assert card.journalist.application.log.filter(action=DecisionAction.CARD_RETURNED).count() == 1


def test_superusers_review_too(client, application):
    admin = UserFactory(username="root")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("accreditation:detail", args=[application.pk])).status_code == 200


def test_the_menu_item_is_for_reviewers_only(client, application, reviewer, editor):
    client.force_login(reviewer)
    assert reverse("accreditation:index") in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert reverse("accreditation:index") not in client.get("/admin/").content.decode()


def test_editors_edit_the_page_in_the_admin(client, page, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Приём заявок" in html and "текст согласия на обработку" in html.lower()


def test_an_impossible_window_is_refused_in_the_editor(page):
    from django.core.exceptions import ValidationError

    page.window_start_day, page.window_start_month = 30, 2
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "window_start_day" in error.value.message_dict
