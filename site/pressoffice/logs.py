"""Log lines a machine can read: one JSON object per line with the time (UTC, ISO 8601), the
level, the logger and the message, and the traceback when there is one.

Plain Python (``logging`` only). What goes into a message is the caller's care: the project logs
ids and counts, never an e-mail address, a phone, a token or a citizen's text.
"""

from __future__ import annotations

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
