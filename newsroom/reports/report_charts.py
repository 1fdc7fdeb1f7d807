"""Which charts the monthly analysis shows, from its figures."""

from newsroom.reports.charts import Bars, Line


def charts_of(report):
    """``[(key, chart)]`` in the order the report shows them; empty figures draw no chart."""
    charts = []
    if report.total:
        networks = report.volume["network"]
        charts.append(
            (
                "networks",
                Bars(
                    "Сообщения по сетям",
                    [row.label for row in networks],
                    [("Сообщений", [row.count for row in networks])],
                ),
            )
        )
    judged = [stage for stage in report.stages if stage.judged]
    if judged:
        charts.append(
            (
                "timeliness",
                Bars(
                    "Доля этапов, выполненных в срок",
                    [stage.label for stage in judged],
                    [("В срок", [stage.on_time_share for stage in judged])],
                    unit="%",
                ),
            )
        )
    units = [row for row in report.volume.get("unit", []) if row.count][:8]
    if units:
        charts.append(
            (
                "units",
                Bars(
                    "Сообщения по подразделениям",
                    [row.label for row in units],
                    [("Сообщений", [row.count for row in units])],
                ),
            )
        )
    if any(point.total for point in report.trend):
        labels = [point.label for point in report.trend]
        charts.append(
            (
                "trend",
                Line(
                    "Сообщений за 12 месяцев",
                    labels,
                    [("Сообщений", [point.total for point in report.trend])],
                ),
            )
        )
        charts.append(
            (
                "trend_on_time",
                Line(
                    "Ответ размещён в срок, % по месяцам",
                    labels,
                    [("В срок", [point.on_time_share for point in report.trend])],
                    unit="%",
                ),
            )
        )
    return charts
