"""The one way the product writes an Excel workbook: no text ever becomes a formula.

What goes into the monthly analysis, the plan of events and the norms report was typed by someone
— a citizen's message category sent through the API, an event's title, an account's name. A text
beginning with ``=`` is stored by openpyxl as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``),
and a spreadsheet opens the file mailed to the head of the press office with that formula live.
Every text cell that begins like a formula (``= + - @``, a tab or a line break) is written as text
with Excel's «quote prefix»: shown as typed, never evaluated, and still text if edited.

Plain Python (openpyxl): no Django import.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def new_workbook():
    from openpyxl import Workbook

    return Workbook()


def append_row(sheet, values: Iterable):
    """Appends ``values`` as the sheet's next row; returns the row's cells. Numbers, dates and
    ``None`` are written as they are, anything else as its text."""
    sheet.append([_cell_value(value) for value in values])
    cells = sheet[sheet.max_row]
    for cell in cells:
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
    return cells


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_value(value):
    import datetime
    import decimal

    if value is None or isinstance(
        value, bool | int | float | decimal.Decimal | datetime.date | datetime.time
    ):
        return value
    return str(value)
