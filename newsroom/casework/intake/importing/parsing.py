"""Reading a file of citizens' messages (CSV or XLSX) into rows, in plain Python.

No Django here: the admin view (``newsroom.casework.intake.importing.views``) hands over the bytes of an uploaded
file and gets back its rows keyed by normalised column names; ``newsroom.casework.intake.importing.validation``
turns them into data for ``register_case``. Every problem with the file as a whole is a
``ParseError`` whose message is for the user, in Russian.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from newsroom.organisation import DATE_FORMAT, DATETIME_FORMAT

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip archive: a small file may unpack into gigabytes (its shared strings are read
# whole). Refused above this many unpacked bytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx")

FIELDS = (
    "external_id",
    "network",
    "url",
    "author_name",
    "author_id",
    "text",
    "published_at",
    "detected_at",
    "received_at",
    "category",
    "kind",
)
DATE_FIELDS = ("published_at", "detected_at", "received_at")

# Column headers as people write them, by field; the sample file uses the first one.
COLUMN_TITLES = {
    "external_id": "Номер",
    "network": "Сеть",
    "url": "Ссылка",
    "author_name": "Автор",
    "author_id": "ID автора",
    "text": "Текст",
    "published_at": "Опубликовано",
    "detected_at": "Выявлено",
    "received_at": "Получено",
    "category": "Тематика",
    "kind": "Вид",
}
_EXTRA_COLUMN_ALIASES = {
    "external_id": ("ID", "Номер сообщения", "Номер в источнике", "Внешний номер"),
    "network": ("Соцсеть", "Социальная сеть", "Источник сообщения", "Площадка"),
    "url": ("Ссылка на сообщение", "URL", "Адрес"),
    "author_name": ("Автор сообщения", "Имя автора"),
    "author_id": ("Идентификатор автора", "ИД автора", "Профиль автора"),
    "text": ("Текст сообщения", "Сообщение"),
    "published_at": ("Дата публикации", "Время публикации"),
    "detected_at": ("Дата выявления", "Время выявления"),
    "received_at": ("Дата получения", "Получено от куратора"),
    "category": ("Тема", "Категория"),
    "kind": ("Вид сообщения", "Тип", "Тип сообщения"),
}


def normalise_header(value) -> str:
    """``«  Дата   выявления*: »`` → ``дата выявления``: case, ё, spaces and markers do not matter."""
    text = "" if value is None else str(value)
    text = text.replace("\ufeff", "").replace("\xa0", " ").replace("ё", "е").replace("Ё", "Е")
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text.strip("*:").strip()


COLUMN_ALIASES = {}
for _field in FIELDS:
    for _alias in (_field, COLUMN_TITLES[_field], *_EXTRA_COLUMN_ALIASES[_field]):
        COLUMN_ALIASES[normalise_header(_alias)] = _field


class ParseError(Exception):
    """The file cannot be read at all; the message says why, in Russian."""


class DateParseError(ValueError):
    """A cell that is not a date and time; the message says what was expected, in Russian."""


@dataclass
class ParsedRow:
    number: int  # as the user sees it in the file: the header is row 1
    values: dict  # field → str, datetime, or None
    problems: list = field(default_factory=list)  # (field or "", message) found while reading


@dataclass
class ParsedFile:
    format: str  # "CSV" or "XLSX"
    rows: list  # ParsedRow, empty rows left out
    headers: dict  # field → the header as written in the file
    ignored_headers: list  # headers of columns that are not imported
    encoding: str = ""
    delimiter: str = ""

    @property
    def description(self):
        if self.format == "CSV":
            names = {";": "точка с запятой", ",": "запятая", "\t": "табуляция"}
            return (
                f"CSV, {self.encoding}, разделитель — {names.get(self.delimiter, self.delimiter)}"
            )
        return self.format


def read_table(data: bytes, filename: str = "") -> ParsedFile:
    """Reads a CSV or XLSX file of messages; the format is told by its content."""
    name = (filename or "").lower()
    if name and not name.endswith(ALLOWED_EXTENSIONS):
        if name.endswith(".xls"):
            raise ParseError(
                "Формат XLS (Excel 97–2003) не поддерживается: сохраните файл как XLSX или CSV."
            )
        raise ParseError("Загрузите файл CSV или XLSX.")
    if not data or not data.strip():
        raise ParseError("Файл пуст.")
    if len(data) > MAX_BYTES:
        raise ParseError(f"Файл больше {MAX_BYTES // (1024 * 1024)} МБ: разделите его на части.")
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError(
            "Это файл Excel старого формата (XLS) или зашифрованный XLSX: "
            "сохраните его как XLSX или CSV без пароля."
        )
    if name.endswith(".xlsx"):
        raise ParseError("Файл назван .xlsx, но это не таблица Excel. Загрузите файл CSV или XLSX.")
    return read_csv(data)


# CSV ---------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding: UTF-8 (with or without BOM),
    UTF-16 with BOM (Excel's «Unicode text»), or Windows-1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            raise ParseError("Файл помечен как UTF-8, но содержит неверные символы.") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ParseError("Файл помечен как UTF-16, но содержит неверные символы.") from None
    if b"\x00" in data:
        raise ParseError("Это не текстовый файл. Загрузите файл CSV или XLSX.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "Windows-1251"
    except UnicodeDecodeError:
        raise ParseError(
            "Не удалось определить кодировку файла: сохраните его в UTF-8 или Windows-1251."
        ) from None


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or a tab: whichever splits the header line into most columns."""
    header = ""
    for line in text.splitlines():
        if line.strip():
            header = line
            break
    counts = {d: len(next(csv.reader([header], delimiter=d))) for d in (";", ",", "\t")}
    # Excel in a Russian locale writes semicolons: they win a tie.
    return max((";", ",", "\t"), key=lambda d: counts[d])


def read_csv(data: bytes) -> ParsedFile:
    text, encoding = decode(data)
    try:
        delimiter = sniff_delimiter(text)
    except csv.Error as error:
        raise ParseError(f"Файл CSV повреждён (строка 1): {_csv_problem(error)}.") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = enumerate(reader, start=1)  # numbered as a spreadsheet shows them
        return _build("CSV", records, encoding=encoding, delimiter=delimiter)
    except csv.Error as error:
        raise ParseError(
            f"Файл CSV повреждён (строка {reader.line_num}): {_csv_problem(error)}."
        ) from None


def _csv_problem(error: csv.Error) -> str:
    """The csv module's complaint, in Russian."""
    if "field larger than field limit" in str(error):
        return (
            "ячейка длиннее %s знаков — скорее всего, в файле не закрыта кавычка"
            % f"{csv.field_size_limit():,}".replace(",", "\u00a0")
        )
    return "строку не удалось разобрать как CSV — проверьте кавычки и разделители"


# XLSX --------------------------------------------------------------------------------------


def read_xlsx(data: bytes) -> ParsedFile:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ParseError("Чтение XLSX недоступно: на сервере не установлен openpyxl.") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ParseError("Файл XLSX повреждён или это не таблица Excel.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ParseError("Файл XLSX слишком велик в распакованном виде: разделите его на части.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        raise ParseError("Файл XLSX повреждён или это не таблица Excel.") from None
    try:
        if not workbook.worksheets:
            raise ParseError("В файле XLSX нет ни одного листа.")
        sheet = workbook.worksheets[0]
        # The stored dimensions may claim a million formatted rows and columns: ignore them, so
        # that each row is as wide as its own cells.
        sheet.reset_dimensions()
        try:
            return _build("XLSX", enumerate(sheet.iter_rows(values_only=True), start=1))
        except ParseError:
            raise
        except Exception:
            raise ParseError("Файл XLSX повреждён: не удалось прочитать первый лист.") from None
    finally:
        workbook.close()


# Both --------------------------------------------------------------------------------------


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _build(format_, records, *, encoding="", delimiter="") -> ParsedFile:
    header = None
    for _number, cells in records:
        if not all(_is_empty(cell) for cell in cells):
            header = list(cells)
            break
    if header is None:
        raise ParseError("Файл пуст.")

    columns = []  # position → field or None
    headers, ignored = {}, []
    for cell in header:
        title = "" if cell is None else str(cell).replace("\ufeff", "").strip()
        field_name = COLUMN_ALIASES.get(normalise_header(cell))
        if field_name and field_name in headers:
            raise ParseError(
                f"Столбец «{headers[field_name]}» и столбец «{title}» означают одно и то же: "
                "оставьте один."
            )
        if field_name:
            headers[field_name] = title
        elif title:
            ignored.append(title)
        columns.append(field_name)
    if not headers:
        raise ParseError(
            "В первой строке файла нет ни одного известного заголовка столбца. "
            "Ожидаются, например: Сеть, Текст, Выявлено. Скачайте образец файла."
        )

    rows = []
    for number, cells in records:
        cells = list(cells)
        if all(_is_empty(cell) for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ParseError(f"В файле больше {MAX_ROWS} строк с данными: разделите его на части.")
        values = dict.fromkeys(headers)
        problems = []
        for position, cell in enumerate(cells):
            field_name = columns[position] if position < len(columns) else None
            if field_name is None:
                if position >= len(columns) and not _is_empty(cell):
                    problems.append(
                        (
                            "",
                            "в строке больше ячеек, чем столбцов в заголовке — проверьте разделитель и кавычки",
                        )
                    )
                continue
            values[field_name] = _cell_value(cell, field_name)
        # One message per row is enough.
        rows.append(ParsedRow(number, values, problems[:1]))
    if not rows:
        raise ParseError("В файле нет ни одной строки с данными — только заголовок.")
    return ParsedFile(format_, rows, headers, ignored, encoding=encoding, delimiter=delimiter)


def _cell_value(cell, field_name):
    """A cell as text (stripped, empty → None); dates from Excel stay datetimes."""
    if cell is None:
        return None
    if isinstance(cell, (datetime.datetime, datetime.date)):
        if field_name in DATE_FIELDS:
            return cell
        if not isinstance(cell, datetime.datetime):
            return cell.strftime(DATE_FORMAT)
        return cell.strftime(DATETIME_FORMAT)
    if isinstance(cell, bool):
        return "да" if cell else "нет"
    if isinstance(cell, float):
        if field_name in DATE_FIELDS:
            return cell  # an Excel serial date in a cell not formatted as a date
        if cell.is_integer():
            return str(int(cell))  # 123456789.0 → "123456789": numbers and IDs as written
        return repr(cell)
    if isinstance(cell, int):
        return cell if field_name in DATE_FIELDS else str(cell)
    text = str(cell).strip()
    return text or None


# Dates -------------------------------------------------------------------------------------

_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_RUSSIAN_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y %H:%M")
DATE_HINT = "ожидается дата и время: ДД.ММ.ГГГГ ЧЧ:ММ (например, 05.03.2025 14:30) или ISO 8601"


def parse_datetime(value, tz: datetime.tzinfo) -> datetime.datetime | None:
    """A moment from a cell: ``ДД.ММ.ГГГГ ЧЧ:ММ``, ISO 8601, an Excel datetime or serial number.

    Naive moments are in ``tz`` (the organisation's time zone); the result is always aware.
    An empty cell gives None; anything else that is not a date *and time* raises DateParseError.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        raise DateParseError(f"указана только дата без времени — {DATE_HINT}")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel counts days from 1899-12-30; 1 = 1900-01-01 … 2958465 = 9999-12-31.
        if not 1 <= value < 2958466:
            raise DateParseError(f"«{value}» — не дата; {DATE_HINT}")
        try:
            moment = _EXCEL_EPOCH + datetime.timedelta(days=float(value))
            moment = moment.replace(microsecond=0) + datetime.timedelta(
                seconds=round(moment.microsecond / 1_000_000)
            )
        except OverflowError:  # rounds up past 31.12.9999 23:59:59
            raise DateParseError(f"«{value}» — не дата; {DATE_HINT}") from None
    else:
        moment = _parse_text(str(value).strip())
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def _parse_text(text: str) -> datetime.datetime:
    cleaned = re.sub(r"\s+", " ", text.replace(",", " ").replace("\xa0", " ")).strip()
    cleaned = re.sub(r"\s*г\.?\s+", " ", cleaned)  # «05.03.2025 г. 14:30»
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}", cleaned) or re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", cleaned
    ):
        raise DateParseError(f"«{text}» — указана только дата без времени; {DATE_HINT}")
    for fmt in _RUSSIAN_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
    if re.match(r"\d{4}-\d{2}-\d{2}", cleaned):
        try:
            return datetime.datetime.fromisoformat(cleaned)
        except ValueError:
            pass
    raise DateParseError(f"«{text}» — не дата и время; {DATE_HINT}")


# Choices -----------------------------------------------------------------------------------


def normalise_label(value) -> str:
    """A value compared with choice labels: case, ё, spaces and quotes do not matter."""
    text = normalise_header(value)
    return re.sub(r"[«»\"']", "", text).strip()


def choice_lookup(choices, synonyms=None) -> dict:
    """A map from every way to write a choice — its value, its label, a synonym — to its value."""
    lookup = {}
    for value, label in choices:
        lookup[normalise_label(value)] = value
        lookup[normalise_label(label)] = value
    for alias, value in (synonyms or {}).items():
        lookup[normalise_label(alias)] = value
    return lookup
