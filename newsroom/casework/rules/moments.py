"""Which moments an incoming message may carry: after 2000 and not in the future.

A date of 1900 or 2100 is a mistake of the sender (a wrong year, an empty cell read as zero, a
wrong time zone), and the years at the edge of what Python can hold (1 or 9999 with an offset)
cannot even be turned into UTC. Both are refused with a message instead of reaching the
working-time arithmetic or the database.
"""

from __future__ import annotations

import datetime

EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# A moment further ahead than this is a mistake (a clock a few minutes fast is not).
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)


def moment_problem(moment: datetime.datetime, now: datetime.datetime) -> str | None:
    """Why an aware ``moment`` cannot be taken, in Russian (lower case), or None."""
    try:
        in_utc = moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return "дата %04d года вне допустимого диапазона" % moment.year
    if in_utc < EARLIEST:
        return "дата раньше 2000 года — проверьте год"
    if in_utc > now + FUTURE_TOLERANCE:
        return "дата ещё не наступила — проверьте год и часовой пояс"
    return None
