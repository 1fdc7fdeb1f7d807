"""The head of the press office reads the monthly analysis in a real browser: opens it from the
«Отчёты» menu, switches the period to the hand-built month, sees its charts and figures, and
downloads the DOCX she signs."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from newsroom import roles
from tests.browser.test_case_answer import Screenshots
from tests.browser.test_newsroom_publication import log_in
from tests.factories import UserFactory
from tests.newsroom.reports.month import build_month

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def head(site_tree):
    build_month()
    return UserFactory(
        username="head",
        first_name="Ольга",
        last_name="Заведующая",
        groups=[roles.HEAD_OF_PRESS_OFFICE],
    )


def test_the_head_reads_switches_and_downloads_the_monthly_analysis(new_context, head, results_dir):
    shot = Screenshots(results_dir, "monthly-report")
    page = log_in(new_context(), head)
    page.get_by_role("button", name=re.compile("^Отч[её]ты$")).click()
    page.get_by_role("link", name="Анализ сообщений").click()
    expect(page.get_by_role("heading", name="Анализ сообщений граждан").first).to_be_visible()
    expect(page.locator("[data-monthly-report]")).to_be_visible()
    # The last closed month is shown and chosen in the month list.
    month = page.get_by_label("Месяц")
    assert "(идёт)" not in month.locator("option:checked").inner_text()
    shot(page, "default-period")

    # A span of days that is not in the month list: November 2026, the hand-built month.
    page.get_by_label("Или период: с").fill("2026-11-01")
    page.get_by_label("по", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Показать период").click()
    expect(page.locator("[data-total]")).to_have_text("7")
    charts = page.locator("[data-chart] svg")
    expect(charts).to_have_count(5)
    expect(page.locator('[data-chart="networks"] svg title')).to_have_text("Сообщения по сетям")
    expect(page.locator('[data-chart="networks"]')).to_contain_text("ВКонтакте")
    box = charts.first.bounding_box()
    assert box["width"] > 300 and box["height"] > 80  # drawn, not an empty element
    expect(page.get_by_role("heading", name="Недостатки в работе исполнителей")).to_be_visible()
    expect(page.get_by_role("cell", name="Иван Петров").first).to_be_visible()
    shot(page, "november")

    # A wrong span is explained and shows nothing half-built.
    page.get_by_label("Или период: с").fill("2026-11-30")
    page.get_by_label("по", exact=True).fill("2026-11-01")
    page.get_by_role("button", name="Показать период").click()
    expect(page.get_by_role("alert")).to_contain_text("Конец периода раньше его начала")
    expect(page.locator("[data-monthly-report]")).to_have_count(0)
    page.go_back()
    expect(page.locator("[data-total]")).to_have_text("7")

    with page.expect_download() as download_info:
        page.locator('[data-download="docx"]').click()
    download = download_info.value
    assert download.suggested_filename == "analiz-soobshchenij-2026-11.docx"  # a whole month
    document = Document(io.BytesIO(open(download.path(), "rb").read()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Период: 01.11.2026 — 30.11.2026" in text
    assert "Выявлено сообщений: 7." in text
    assert len(document.inline_shapes) == 5


def test_the_plan_is_collected_approved_and_downloaded(new_context, head, site_tree, results_dir):
    """An editor collects next month's plan and submits it; the head approves it from her
    dashboard and downloads the approved DOCX."""
    from datetime import timedelta

    from django.utils import timezone

    from newsroom.models import MonthlyPlan
    from newsroom.reports.period import add_months
    from tests.factories import EventPageFactory

    shot = Screenshots(results_dir, "monthly-plan")
    first = add_months(timezone.localdate(), 1)
    start = timezone.make_aware(timezone.datetime(first.year, first.month, 10, 10))
    EventPageFactory(
        parent=site_tree.event_index,
        title="Сессия районного собрания",
        start=start,
        end=start + timedelta(hours=2),
        place="Зал заседаний",
        leadership="Глава района",
    )
    editor = UserFactory(username="plan-editor", groups=[roles.EDITORS])
    page = log_in(new_context(), editor)
    page.goto("/admin/plans/collect/")
    page.get_by_role("button", name="Собрать план").click()
    expect(page.locator(".messages .success")).to_contain_text("из календаря взято: 1 мероприятие")
    expect(page.get_by_role("textbox", name="Мероприятие*").first).to_have_value(
        "Сессия районного собрания"
    )
    shot(page, "collected")
    page.get_by_role("button", name="Больше действий").click()
    submit = page.get_by_role("button", name='Отправить в "Утверждение плана мероприятий"')
    with page.expect_navigation():
        submit.click()
    page.context.close()

    plan = MonthlyPlan.objects.get()
    page = log_in(new_context(), head)
    row = page.get_by_role("region", name="В ожидании вашего отзыва").get_by_role("row")
    row = row.filter(has_text=str(plan))
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Действия").click()
    with page.expect_navigation(url="**/admin/"):
        row.get_by_role("button", name="Одобрить", exact=True).click()
    assert MonthlyPlan.objects.get().live
    page.goto(f"/admin/snippets/newsroom/monthlyplan/edit/{plan.pk}/")
    shot(page, "approved")
    with page.expect_download() as download_info:
        page.locator('[data-download="docx"]').click()
    document = Document(io.BytesIO(open(download_info.value.path(), "rb").read()))
    assert document.paragraphs[0].text.startswith("УТВЕРЖДЁН\nОльга Заведующая")
    cells = [cell.text for cell in document.tables[0].rows[1].cells]
    assert cells[2:] == ["Сессия районного собрания", "Зал заседаний", "", "Глава района"]
