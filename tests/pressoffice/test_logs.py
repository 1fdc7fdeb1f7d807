"""Log lines: one JSON object each, with time, level and logger, a traceback kept inside."""

import json
import logging

from pressoffice.logs import JsonFormatter
from tests.once import once

pytestmark = once


def test_a_line_is_one_json_object_with_time_level_and_logger():
    try:
        raise ValueError("сбой «в кавычках»\nи на двух строках")
    except ValueError:
        record = logging.getLogger("social_sync.delivery").makeRecord(
            "social_sync.delivery", logging.WARNING, __file__, 1, "Outbox item %s: %s",
            (42, "пауза"), exc_info=__import__("sys").exc_info(),
        )  # fmt: skip
    line = JsonFormatter().format(record)

    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["level"] == "WARNING" and parsed["logger"] == "social_sync.delivery"
    assert parsed["message"] == "Outbox item 42: пауза"
    assert parsed["time"].endswith("+00:00") and "T" in parsed["time"]
    assert "ValueError: сбой «в кавычках»" in parsed["exception"]


def test_production_writes_json_lines_unless_told_otherwise():
    """The production settings, loaded as gunicorn loads them (a process of their own)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; sys.path[:0] = ['site']; import pressoffice.settings.production as s; "
        "print(s.LOGGING['handlers']['console']['formatter'])"
    )
    env = {**os.environ, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "press.example.ru"}
    env.pop("LOG_FORMAT", None)
    chosen = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=root, env=extra, capture_output=True, text=True,
            check=True, timeout=60,
        ).stdout.strip()
        for extra in (env, {**env, "LOG_FORMAT": "text"})
    ]  # fmt: skip
    assert chosen == ["json", "text"]
