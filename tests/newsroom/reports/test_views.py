"""«Отчёты → Анализ сообщений» in the admin: who sees it, the period switch, the downloads."""

import io
from unittest import mock

from django.urls import reverse
from django.utils import timezone

import pytest
from docx import Document

from newsroom import roles
from tests.factories import UserFactory
from tests.newsroom.reports.month import NOW, build_month

pytestmark = pytest.mark.django_db
URL = reverse("newsroom_monthly_report")


@pytest.fixture
def head(site_tree):
    build_month()
    return UserFactory(username="report-head", groups=[roles.HEAD_OF_PRESS_OFFICE])


@pytest.fixture(autouse=True)
def december():
    with mock.patch.object(timezone, "now", return_value=NOW):
        yield


def test_the_last_closed_month_by_default_with_charts(client, head):
    client.force_login(head)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ноябрь 2026 г." in html
    assert "data-total>7<" in html
    assert html.count("data-chart=") == 5
    assert 'data-chart="timeliness"' in html
    assert "Недостатки в работе исполнителей" in html


def test_switching_the_period(client, head):
    client.force_login(head)
    html = client.get(URL, {"month": "2026-10"}).content.decode()
    assert "октябрь 2026 г." in html and "data-total>3<" in html
    html = client.get(URL, {"start": "2026-11-01", "end": "2026-11-15"}).content.decode()
    assert "01.11.2026 — 15.11.2026" in html and "data-total>3<" in html  # C1, C2, C4


@pytest.mark.parametrize(
    "params, error",
    [
        ({"start": "2026-11-10"}, "Укажите обе даты периода"),
        ({"start": "2026-11-10", "end": "2026-11-01"}, "Конец периода раньше его начала"),
        ({"start": "2024-01-01", "end": "2026-11-01"}, "Период — не больше года"),
        ({"month": "1999-13"}, "Выберите корректный вариант"),
    ],
)
def test_a_wrong_period_is_explained(client, head, params, error):
    client.force_login(head)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert "data-monthly-report" not in html


def test_the_docx_download(client, head):
    client.force_login(head)
    response = client.get(URL, {"month": "2026-11", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="analiz-soobshchenij-2026-11.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert any("ноябрь 2026" in p.text for p in document.paragraphs)


@pytest.mark.parametrize("role", [roles.EXECUTORS, roles.ACCREDITATION])
def test_those_who_do_not_read_reports_are_refused(client, site_tree, role):
    client.force_login(UserFactory(groups=[role]))
    assert client.get(URL).status_code in {302, 403}
    assert client.get(URL, {"format": "xlsx"}).status_code in {302, 403}


def test_the_menu_item_is_in_the_reports_menu_for_the_head_only(client, head, site_tree):
    # The sidebar is drawn from JSON on the page; the item's address stands for it.
    client.force_login(head)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(UserFactory(groups=[roles.EXECUTORS]))
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
