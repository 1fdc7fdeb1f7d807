"""The report's charts: laid out once, drawn as SVG and PNG, readable without colour."""

import io
import xml.etree.ElementTree as ET

from PIL import Image

from newsroom.reports import charts
from newsroom.reports.charts import Bars, Line, Marker, Path_, Rect, Text

NS = {"svg": "http://www.w3.org/2000/svg"}


def texts(layout):
    return [item.text for item in layout.items if isinstance(item, Text)]


def test_bars_carry_their_numbers_and_series_differ_by_hatching():
    chart = Bars(
        "Сообщения", ["ВКонтакте", "Одноклассники"], [("Ноябрь", [4, 1]), ("Октябрь", [2, 0])]
    )
    layout = charts.layout(chart)
    assert {"4", "1", "2", "0", "Ноябрь", "Октябрь", "ВКонтакте", "Одноклассники"} <= set(
        texts(layout)
    )
    rects = [item for item in layout.items if isinstance(item, Rect)]
    assert {rect.style for rect in rects} == {0, 1}  # a dark fill and a hatching
    longest = max(rect.w for rect in rects if rect.h > 12)
    assert [rect.w for rect in rects if rect.h > 12][0] == longest  # 4 is the longest bar
    assert [rect.w for rect in rects if rect.h > 12][3] == 0


def test_long_labels_are_shortened_with_an_ellipsis():
    label = "Окончательный ответ после промежуточного по регламенту района " * 2
    layout = charts.layout(Bars("Этапы", [label], [("В срок", [50.0])], unit="%"))
    shortened = [text for text in texts(layout) if text.startswith("Окончательный")][0]
    assert shortened.endswith("…") and len(shortened) < len(label)
    assert "50%" in texts(layout)


def test_a_line_breaks_where_a_month_has_no_figure():
    chart = Line("Доля", ["янв", "фев", "мар", "апр"], [("В срок", [50.0, None, 60.0, 75.5])], "%")
    layout = charts.layout(chart)
    paths = [item for item in layout.items if isinstance(item, Path_) and item.width == 2]
    assert [len(path.points) for path in paths] == [2]  # мар–апр; январь stands alone
    assert len([item for item in layout.items if isinstance(item, Marker)]) == 3
    assert {"50%", "60%", "75,5%"} <= set(texts(layout))


def test_round_steps_on_the_axis():
    assert [charts.nice_step(x) for x in (0, 0.3, 1, 7, 26, 1234)] == [1, 0.5, 1, 10, 50, 2000]
    layout = charts.layout(Line("Сообщений", ["окт", "ноя"], [("Сообщений", [3, 7])]))
    assert {"0", "2", "4", "6", "8"} <= set(texts(layout))


def test_svg_is_well_formed_with_a_title_for_screen_readers():
    chart = Bars("Сообщения по сетям", ["ВКонтакте", "Telegram & MAX"], [("Сообщений", [4, 2])])
    root = ET.fromstring(charts.svg(chart))
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Сообщения по сетям"
    assert "Telegram & MAX" in [node.text for node in root.findall("svg:text", NS)]


def test_png_is_twice_the_layout_for_print():
    chart = Line("Тренд", ["окт", "ноя"], [("A", [1, 2]), ("B", [2, None])])
    image = Image.open(io.BytesIO(charts.png(chart)))
    layout = charts.layout(chart)
    assert image.size == (layout.width * 2, layout.height * 2)
    assert image.convert("L").getextrema()[0] < 50  # there is ink on it
