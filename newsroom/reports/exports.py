"""The monthly analysis as files: DOCX (the document the deputy head signs), XLSX (every table on
its own sheet) and PDF. Each takes the report, the organisation's header and the charts' PNGs."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from newsroom import spreadsheets
from newsroom.organisation import DATE_FORMAT
from newsroom.reports import charts as chart_drawing
from newsroom.reports.monthly import MonthlyReport
from newsroom.reports.report_charts import charts_of
from newsroom.reports.tables import Figure, Table, all_tables
from newsroom.spreadsheets import append_row

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Letterhead:
    organisation: str
    address: str = ""
    signatory_position: str = ""
    signatory_name: str = ""


def title_of(report: MonthlyReport) -> str:
    return f"Анализ работы с сообщениями граждан за {report.period.label}"


def file_name(report: MonthlyReport, extension: str) -> str:
    return f"analiz-soobshchenij-{report.period.key}.{extension}"


def _chart_pngs(report):
    return [(key, chart_drawing.png(chart)) for key, chart in charts_of(report)]


def summary_lines(report: MonthlyReport) -> list[str]:
    answer = report.stage("answer")
    lines = [f"Выявлено сообщений: {report.total}."]
    if answer.judged:
        share = f"{answer.on_time_share:g}".replace(".", ",")
        lines.append(f"Ответ размещён в срок: {answer.on_time} из {answer.judged} ({share}%).")
    lines.append(f"Сообщений с нарушением сроков: {report.late_total}.")
    lines.append(
        f"Возвратов на доработку: {report.reworks_total}; повторных сообщений: {report.repeats}."
    )
    return lines


# --- DOCX ------------------------------------------------------------------------------------


def docx_bytes(report: MonthlyReport, head: Letterhead, pngs=None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    pngs = _chart_pngs(report) if pngs is None else pngs
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    document.core_properties.title = title_of(report)
    document.core_properties.author = head.organisation

    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(head.organisation.upper())
    run.bold = True
    if head.address:
        address = document.add_paragraph(head.address)
        address.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_heading(title_of(report), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = document.add_paragraph(
        f"Период: {report.period.first:{DATE_FORMAT}} — {report.period.last:{DATE_FORMAT}}"
        f" (часовой пояс {report.period.zone})."
    )
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in summary_lines(report):
        document.add_paragraph(line)

    charts = dict(pngs)
    placed = set()

    def chart(key):
        if key in charts and key not in placed:
            document.add_picture(io.BytesIO(charts[key]), width=Cm(17))
            placed.add(key)

    for table in all_tables(report):
        if table.key == "Своевременность":
            chart("timeliness")
        if table.key == "12 месяцев":
            chart("trend")
            chart("trend_on_time")
        _docx_table(document, table)
        if table.key.startswith("Объём — сетям"):
            chart("networks")
        if table.key.startswith("Объём — подразделениям"):
            chart("units")

    document.add_paragraph()
    signature = document.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    left.text = head.signatory_position or "Заместитель главы администрации"
    right.text = f"____________ {head.signatory_name}".rstrip()
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    made = report.made_at.astimezone(report.period.zone)
    document.add_paragraph(f"Сформирован {made:%d.%m.%Y %H:%M}.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, table: Table):
    from docx.shared import Pt

    document.add_heading(table.title, level=2)
    if not table.rows:
        document.add_paragraph("Нет данных за период.")
        return
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(10)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(10)
    if table.note:
        document.add_paragraph(table.note).runs[0].italic = True


# --- XLSX ------------------------------------------------------------------------------------


def xlsx_bytes(report: MonthlyReport, head: Letterhead) -> bytes:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = spreadsheets.new_workbook()
    summary = workbook.active
    summary.title = "Сводка"
    append_row(summary, [head.organisation])
    append_row(summary, [title_of(report)])
    append_row(
        summary, [f"{report.period.first:{DATE_FORMAT}} — {report.period.last:{DATE_FORMAT}}"]
    )
    for line in summary_lines(report):
        append_row(summary, [line])
    summary["A1"].font = summary["A2"].font = Font(bold=True)
    summary.column_dimensions["A"].width = 80
    for table in all_tables(report):
        sheet = workbook.create_sheet(_sheet_name(table.key, workbook.sheetnames))
        append_row(sheet, [table.title])[0].font = Font(bold=True)
        for cell in append_row(sheet, table.header):
            cell.font = Font(bold=True)
        for row in table.rows:
            cells = append_row(
                sheet, [cell.number if isinstance(cell, Figure) else cell for cell in row]
            )
            for cell, value in zip(cells, row, strict=False):
                if isinstance(value, Figure) and value.number is not None:
                    cell.number_format = value.excel_format
        if table.note:
            append_row(sheet, [])
            append_row(sheet, [table.note])
        for index, _ in enumerate(table.header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 14 if index > 1 else 40
        sheet.freeze_panes = "A3"
    return spreadsheets.workbook_bytes(workbook)


def _sheet_name(key, taken):
    name = "".join(ch for ch in key if ch not in "[]:*?/\\")[:31]
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name[:28]} {n}"
        n += 1
    return candidate


# --- PDF -------------------------------------------------------------------------------------


def pdf_bytes(report: MonthlyReport, head: Letterhead, pngs=None) -> bytes:
    import font_source_sans_pro
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pngs = _chart_pngs(report) if pngs is None else pngs
    fonts = font_source_sans_pro.font_directory
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(title_of(report))
    pdf.set_author(head.organisation)
    pdf.add_font("Sans", "", os.path.join(fonts, "SourceSansPro-Regular.ttf"))
    pdf.add_font("Sans", "B", os.path.join(fonts, "SourceSansPro-Bold.ttf"))
    # Source Sans Pro's italics have no Cyrillic letters: notes are set in a smaller regular face.
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Sans", "B", 11)
    pdf.multi_cell(width, 6, head.organisation.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "B", 14)
    pdf.multi_cell(width, 8, title_of(report), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 10)
    pdf.cell(
        width,
        6,
        f"{report.period.first:{DATE_FORMAT}} — {report.period.last:{DATE_FORMAT}}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for line in summary_lines(report):
        pdf.multi_cell(width, 5, line, new_x="LMARGIN", new_y="NEXT")
    for _key, image in pngs:
        pdf.image(io.BytesIO(image), w=width)
    for table in all_tables(report):
        pdf.ln(3)
        pdf.set_font("Sans", "B", 11)
        pdf.multi_cell(width, 6, table.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", 8)
        if not table.rows:
            pdf.cell(width, 5, "Нет данных за период.", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(
            headings_style=FontFace(emphasis="BOLD"), line_height=4.5, text_align="LEFT"
        ) as grid:
            grid.row([str(text) for text in table.header])
            for row in table.rows:
                grid.row([str(value) for value in row])
        if table.note:
            pdf.set_font("Sans", "", 7)
            pdf.multi_cell(width, 4, table.note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Sans", "", 11)
    position = head.signatory_position or "Заместитель главы администрации"
    pdf.cell(width / 2, 6, position)
    pdf.cell(width / 2, 6, f"____________ {head.signatory_name}".rstrip(), align="R")
    return bytes(pdf.output())
