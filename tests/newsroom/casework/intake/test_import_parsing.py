"""Reading and checking files of citizens' messages: pure tests, no database."""

import datetime
import io
import json
import zoneinfo

import pytest
from openpyxl import Workbook

from newsroom.casework.intake.importing import parsing, validation
from newsroom.casework.intake.importing.parsing import ParseError, parse_datetime, read_table

BARNAUL = zoneinfo.ZoneInfo("Asia/Barnaul")  # UTC+7
NOW = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)

RUSSIAN_CSV = (
    "Номер;Сеть;Ссылка;Автор;ID автора;Текст;Опубликовано;Выявлено;Получено;Тематика;Вид\n"
    "A-1;ВКонтакте;https://vk.com/wall-1_1;Иван Петров;id101;Яма на дороге у школы;"
    "05.03.2025 14:30;05.03.2025 15:00;05.03.2025 15:10;Дороги;Инцидент повышенной важности\n"
    "A-2;Одноклассники;;Мария;;Не вывозят мусор, ул. Ленина;;06.03.2025 09:05;;ЖКХ;\n"
)


def xlsx_bytes(rows, *, title="Сообщения", before=None):
    workbook = Workbook()
    sheet = workbook.active
    if before is not None:  # an earlier sheet: only the first one is read
        sheet.title = "Первый"
        for row in before:
            sheet.append(row)
        sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(parsed, tz=BARNAUL):
    return validation.validate(parsed, tz, now=NOW)


# CSV ---------------------------------------------------------------------------------------


def test_russian_headers_labels_and_dates():
    parsed = read_table(RUSSIAN_CSV.encode("utf-8"), "messages.csv")
    assert parsed.format == "CSV" and parsed.delimiter == ";" and parsed.encoding == "UTF-8"
    assert [row.number for row in parsed.rows] == [2, 3]
    first = parsed.rows[0].values
    assert first["external_id"] == "A-1"
    assert first["network"] == "ВКонтакте"
    assert first["author_id"] == "id101"
    assert parsed.rows[1].values["url"] is None  # an empty cell is no value

    result = check(parsed)
    assert result.errors == []
    data = result.rows[0].data
    assert data["network"] == "vk"
    assert data["kind"] == "high_importance"
    assert data["detected_at"] == datetime.datetime(2025, 3, 5, 15, 0, tzinfo=BARNAUL)
    assert data["detected_at"].utcoffset() == datetime.timedelta(hours=7)
    assert data["published_at"] == datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL)
    assert data["received_at"] == datetime.datetime(2025, 3, 5, 15, 10, tzinfo=BARNAUL)
    assert data["category"] == "Дороги"
    assert data["url"] == "https://vk.com/wall-1_1"
    second = result.rows[1].data
    assert second["network"] == "ok"
    assert second["kind"] == "incident"  # the default when empty
    assert second["url"] == "" and "published_at" not in second


def test_utf8_with_bom():
    parsed = read_table(("\ufeff" + RUSSIAN_CSV).encode("utf-8"), "messages.csv")
    assert "external_id" in parsed.headers  # the BOM does not stick to the first header
    assert parsed.headers["external_id"] == "Номер"
    assert check(parsed).errors == []


def test_cp1251_fallback():
    parsed = read_table(RUSSIAN_CSV.encode("cp1251"), "messages.csv")
    assert parsed.encoding == "Windows-1251"
    assert parsed.rows[0].values["text"] == "Яма на дороге у школы"
    assert len(check(parsed).rows) == 2


def test_commas_quotes_and_crlf():
    content = (
        "network,text,detected_at,external_id\r\n"
        'vk,"Текст, с запятой и ""кавычками""\r\nи второй строкой",2025-03-05T15:00:00+03:00,7\r\n'
        "telegram,Ещё одно,2025-03-05 16:00,8\r\n"
    )
    parsed = read_table(content.encode("utf-8"), "export.csv")
    assert parsed.delimiter == ","
    assert parsed.rows[0].values["text"] == 'Текст, с запятой и "кавычками"\r\nи второй строкой'
    # A record spanning two lines is still one row, numbered as a spreadsheet shows it.
    assert [row.number for row in parsed.rows] == [2, 3]
    result = check(parsed)
    assert result.errors == []
    moment = result.rows[0].data["detected_at"]
    assert moment.utcoffset() == datetime.timedelta(hours=3)  # an explicit offset is kept
    assert moment == datetime.datetime(2025, 3, 5, 12, 0, tzinfo=datetime.UTC)
    assert result.rows[1].data["detected_at"] == datetime.datetime(
        2025, 3, 5, 16, 0, tzinfo=BARNAUL
    )


def test_header_variants_and_unknown_columns():
    content = (
        "  СЕТЬ* ;Текст сообщения;Дата выявления;Комментарий\nвк;Текст;01.02.2025 10:00;что-то\n"
    )
    parsed = read_table(content.encode("utf-8"), "a.csv")
    assert set(parsed.headers) == {"network", "text", "detected_at"}
    assert parsed.ignored_headers == ["Комментарий"]
    assert check(parsed).rows[0].data["network"] == "vk"


def test_empty_lines_are_skipped_but_counted():
    content = "Сеть;Текст;Выявлено\n\nvk;Первое;01.02.2025 10:00\n;;\nok;Второе;01.02.2025 11:00\n"
    parsed = read_table(content.encode("utf-8"), "a.csv")
    assert [row.number for row in parsed.rows] == [3, 5]


# XLSX --------------------------------------------------------------------------------------


def test_xlsx_with_excel_dates_and_numbers():
    data = xlsx_bytes(
        [
            ["ID", "Сеть", "Текст", "Выявлено", "Опубликовано", "ID автора"],
            [
                1001,
                "ВКонтакте",
                "Нет света",
                datetime.datetime(2025, 3, 5, 15, 0),
                45721.5,
                123456789,
            ],
            [1002, "telegram", "Нет воды", "06.03.2025 09:05", None, None],
        ]
    )
    parsed = read_table(data, "messages.xlsx")
    assert parsed.format == "XLSX"
    assert parsed.rows[0].values["external_id"] == "1001"  # not "1001.0"
    assert parsed.rows[0].values["author_id"] == "123456789"
    result = check(parsed)
    assert result.errors == []
    first = result.rows[0].data
    assert first["detected_at"] == datetime.datetime(2025, 3, 5, 15, 0, tzinfo=BARNAUL)
    # 45721.5 is noon of 2025-03-05 as an Excel serial number.
    assert first["published_at"] == datetime.datetime(2025, 3, 5, 12, 0, tzinfo=BARNAUL)
    assert result.rows[1].data["detected_at"] == datetime.datetime(2025, 3, 6, 9, 5, tzinfo=BARNAUL)


def test_xlsx_reads_the_first_sheet_only():
    data = xlsx_bytes(
        [["Сеть", "Текст", "Выявлено"]],
        before=[["Сеть", "Текст", "Выявлено"], ["vk", "С первого листа", "01.02.2025 10:00"]],
    )
    parsed = read_table(data, "two-sheets.xlsx")
    assert [row.values["text"] for row in parsed.rows] == ["С первого листа"]


def test_broken_xlsx():
    with pytest.raises(ParseError, match="XLSX повреждён"):
        read_table(b"PK\x03\x04" + b"\x00" * 100, "broken.xlsx")
    with pytest.raises(ParseError, match="не таблица Excel"):
        read_table("Сеть;Текст\n".encode(), "renamed.xlsx")


# Limits and bad files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "Файл пуст"),
        (b"  \r\n ", "a.csv", "Файл пуст"),
        (b"%PDF-1.4 something", "a.pdf", "Загрузите файл CSV или XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", "XLS"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.csv", "не текстовый файл"),
        ("Сеть;Текст;Выявлено\n".encode(), "a.csv", "только заголовок"),
        ("Имя;Фамилия\nИван;Петров\n".encode(), "a.csv", "нет ни одного известного заголовка"),
        ("Сеть;Соцсеть;Текст\nvk;vk;x\n".encode(), "a.csv", "означают одно и то же"),
    ],
)
def test_bad_files(content, name, message):
    with pytest.raises(ParseError, match=message):
        read_table(content, name)


def test_row_limit():
    header = "Сеть;Текст;Выявлено\n"
    row = "vk;Текст;01.02.2025 10:00\n"
    assert len(read_table((header + row * parsing.MAX_ROWS).encode(), "a.csv").rows) == 5000
    with pytest.raises(ParseError, match="больше 5000 строк"):
        read_table((header + row * (parsing.MAX_ROWS + 1)).encode(), "a.csv")


def test_xlsx_row_limit():
    rows = [["Сеть", "Текст", "Выявлено"]] + [["vk", "Текст", "01.02.2025 10:00"]] * 5001
    with pytest.raises(ParseError, match="больше 5000 строк"):
        read_table(xlsx_bytes(rows), "big.xlsx")


def test_size_limit():
    content = "Сеть;Текст;Выявлено\n" + "vk;" + "я" * parsing.MAX_BYTES + ";01.02.2025 10:00\n"
    with pytest.raises(ParseError, match="больше 5 МБ"):
        read_table(content.encode(), "big.csv")


def test_missing_required_columns():
    parsed = read_table("Сеть;Автор\nvk;Иван\n".encode(), "a.csv")
    with pytest.raises(validation.MissingColumns, match="«Текст», «Выявлено»"):
        check(parsed)


# Rows with errors ------------------------------------------------------------------------


def test_errors_name_the_row_and_the_column():
    content = (
        "Номер;Сеть;Текст;Выявлено;Ссылка;Вид\n"
        "1;вк;Хорошая строка;01.02.2025 10:00;vk.com/wall-1_2;\n"  # row 2
        "2;Фейсбук;Текст;01.02.2025 10:00;;\n"  # row 3: unknown network
        "3;vk;;31.02.2025 10:00;;\n"  # row 4: no text, bad date
        "1;ok;Повтор номера;01.02.2025 10:00;;\n"  # row 5: duplicate number
        "5;ok;Текст;01.02.2025;не ссылка;Жалоба\n"  # row 6: date only, bad url, bad kind
        "6;ok;Текст;01.07.2025 10:00;;\n"  # row 7: in the future
    )
    result = check(read_table(content.encode(), "a.csv"))
    assert [row.row for row in result.rows] == [2]
    assert result.rows[0].data["url"] == "https://vk.com/wall-1_2"
    found = {(e.row, e.column): e.message for e in result.errors}
    assert set(found) == {
        (3, "Сеть"),
        (4, "Текст"),
        (4, "Выявлено"),
        (5, "Номер"),
        (6, "Выявлено"),
        (6, "Ссылка"),
        (6, "Вид"),
        (7, "Выявлено"),
    }
    assert "неизвестная сеть «Фейсбук»" in found[3, "Сеть"] and "ВКонтакте" in found[3, "Сеть"]
    assert found[4, "Текст"] == "не заполнено — это обязательное поле"
    assert "не дата и время" in found[4, "Выявлено"]
    assert found[5, "Номер"] == "номер «1» уже встречался в строке 2"
    assert "только дата без времени" in found[6, "Выявлено"]
    assert "не ссылка" in found[6, "Ссылка"]
    assert "неизвестный вид «Жалоба»" in found[6, "Вид"]
    assert "ещё не наступила" in found[7, "Выявлено"]


def test_too_long_values_and_extra_cells():
    content = f"Сеть;Текст;Выявлено;Автор\nvk;Текст;01.02.2025 10:00;{'а' * 256}\nvk;Текст;01.02.2025 10:00;Иван;лишнее\n"
    result = check(read_table(content.encode(), "a.csv"))
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[2, "Автор"] == "слишком длинно: 256 символов, допустимо 255"
    assert "больше ячеек" in messages[3, ""]


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("ВКонтакте", "vk"),
        ("вконтакте", "vk"),
        ("VK", "vk"),
        ("Одноклассники", "ok"),
        ("Telegram", "telegram"),
        ("Телеграм", "telegram"),
        ("ПОС (Госуслуги)", "pos"),
        ("Госуслуги", "pos"),
        ("Сайт", "site"),
        ("MAX", "max"),
    ],
)
def test_network_labels(label, value):
    assert validation.NETWORKS[parsing.normalise_label(label)] == value


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Инцидент", "incident"),
        ("Инцидент повышенной важности", "high_importance"),
        ("«Инцидент повышенной важности»", "high_importance"),
        ("high_importance", "high_importance"),
        ("Обращение по 59-ФЗ через ПОС", "pos_appeal"),
        ("Публикация, найденная администрацией", "found_by_administration"),
    ],
)
def test_kind_labels(label, value):
    assert validation.KINDS[parsing.normalise_label(label)] == value


# Dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05.03.2025 14:30", datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL)),
        ("5.3.2025 9:05", datetime.datetime(2025, 3, 5, 9, 5, tzinfo=BARNAUL)),
        ("05.03.2025 14:30:15", datetime.datetime(2025, 3, 5, 14, 30, 15, tzinfo=BARNAUL)),
        ("05.03.2025, 14:30", datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL)),
        ("05.03.2025 г. 14:30", datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL)),
        ("2025-03-05T14:30", datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL)),
        ("2025-03-05 14:30:00", datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL)),
        ("2025-03-05T07:30:00Z", datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL)),
        (
            datetime.datetime(2025, 3, 5, 14, 30),
            datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BARNAUL),
        ),
        (45721.25, datetime.datetime(2025, 3, 5, 6, 0, tzinfo=BARNAUL)),
        (45721, datetime.datetime(2025, 3, 5, 0, 0, tzinfo=BARNAUL)),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_datetime(value, expected):
    moment = parse_datetime(value, BARNAUL)
    assert moment == expected
    if moment is not None:
        assert moment.tzinfo is not None


def test_naive_moments_take_the_organisation_zone():
    moscow = parse_datetime("05.03.2025 14:30", zoneinfo.ZoneInfo("Europe/Moscow"))
    barnaul = parse_datetime("05.03.2025 14:30", BARNAUL)
    assert moscow - barnaul == datetime.timedelta(hours=4)


@pytest.mark.parametrize(
    "value",
    [
        "05.03.2025",
        "2025-03-05",
        "32.01.2025 10:00",
        "05.03.2025 25:00",
        "вчера",
        "14:30",
        datetime.date(2025, 3, 5),
        -5.0,
    ],
)
def test_parse_datetime_refuses(value):
    with pytest.raises(parsing.DateParseError):
        parse_datetime(value, BARNAUL)


def test_validated_rows_survive_json():
    result = check(read_table(RUSSIAN_CSV.encode(), "a.csv"))
    stored = validation.to_json(result)
    restored = validation.data_from_json(json.loads(json.dumps(stored))["rows"][0]["data"])
    assert restored == result.rows[0].data
