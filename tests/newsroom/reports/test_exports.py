"""The monthly analysis as files, read back: DOCX with python-docx, XLSX with openpyxl, PDF with
pypdf."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from newsroom.reports import exports, monthly
from newsroom.reports.period import Period
from tests.newsroom.reports.month import MSK, NOW, build_month

pytestmark = pytest.mark.django_db

HEAD = exports.Letterhead(
    organisation="Администрация Ключевского района",
    address="с. Ключи, ул. Центральная, 1",
    signatory_position="Заместитель главы администрации",
    signatory_name="И. И. Иванов",
)


@pytest.fixture
def report():
    build_month()
    return monthly.build(Period.month(2026, 11, MSK), now=NOW)


def test_docx_is_the_document_the_deputy_head_signs(report):
    document = Document(io.BytesIO(exports.docx_bytes(report, HEAD)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "АДМИНИСТРАЦИЯ КЛЮЧЕВСКОГО РАЙОНА" in text
    assert "Анализ работы с сообщениями граждан за ноябрь 2026 г." in text
    assert "Период: 01.11.2026 — 30.11.2026" in text
    assert "Выявлено сообщений: 7." in text
    assert "Ответ размещён в срок: 3 из 4 (75%)." in text
    tables = {table.rows[0].cells[0].text: table for table in document.tables}
    timeliness = tables["Этап"]
    rows = [[cell.text for cell in row.cells] for row in timeliness.rows]
    assert rows[1] == ["Направление ответственному", "5", "3", "2", "0", "60%", "1", "5"]
    assert rows[4] == ["Доработка после возврата", "2", "0", "1", "1", "0%", "9", "9"]
    shortcomings = tables["Подразделение"]
    assert [cell.text for cell in shortcomings.rows[1].cells] == [
        "УЖХ",
        "Иван Петров",
        "2",
        "0",
        "1",
    ]
    # The signatory block: position on the left, the name after the signature line.
    signature = document.tables[-1].rows[0].cells
    assert signature[0].text == "Заместитель главы администрации"
    assert signature[1].text.endswith("И. И. Иванов")
    # The charts are pictures in the document.
    assert len(document.inline_shapes) == 5


def test_xlsx_has_every_table_on_its_own_sheet(report):
    workbook = load_workbook(io.BytesIO(exports.xlsx_bytes(report, HEAD)))
    assert workbook.sheetnames[0] == "Сводка"
    assert {"Своевременность", "Динамика", "Недостатки", "Повторы", "12 месяцев"} <= set(
        workbook.sheetnames
    )
    sheet = workbook["Своевременность"]
    assert sheet["A1"].value == "Своевременность по этапам регламента"
    assert [cell.value for cell in sheet[2]][:3] == ["Этап", "Всего", "В срок"]
    assert [cell.value for cell in sheet[7]][:5] == ["Размещение ответа", 5, 3, 1, 1]
    networks = workbook["Объём — сетям"]
    assert [cell.value for cell in networks[3]][:2] == ["ВКонтакте", 4]
    # Figures stay numbers in the spreadsheet, shown with a number format.
    assert sheet["F7"].value == pytest.approx(0.75) and sheet["F7"].number_format == "0.0%"
    assert sheet["G7"].value == 10.0
    dynamics = workbook["Динамика"]
    values = [cell.value for cell in dynamics[3]]
    assert values[:3] == ["Сообщений всего", 7, 3]
    assert values[3] == pytest.approx(1.333) and values[5] == pytest.approx(1.333)
    assert dynamics["D3"].number_format == "+0.0%;-0.0%;0%"
    assert dynamics["B5"].value == pytest.approx(0.75)  # «Ответ размещён в срок»: a share


def test_pdf_reads_as_the_report(report):
    reader = PdfReader(io.BytesIO(exports.pdf_bytes(report, HEAD)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Анализ работы с сообщениями граждан" in text
    assert "Недостатки в работе исполнителей" in text
    assert "Иван Петров" in text
    assert reader.metadata.title.startswith("Анализ работы")


def test_an_empty_month_still_makes_every_file():
    empty = monthly.build(Period.month(2020, 1, MSK), now=NOW)
    document = Document(io.BytesIO(exports.docx_bytes(empty, HEAD)))
    assert "Нет данных за период." in [paragraph.text for paragraph in document.paragraphs]
    assert len(document.inline_shapes) == 0
    assert load_workbook(io.BytesIO(exports.xlsx_bytes(empty, HEAD)))["Сводка"]["A1"].value
    assert PdfReader(io.BytesIO(exports.pdf_bytes(empty, HEAD))).pages
