"""Time in one place: ISO 8601 UTC with a trailing ``Z`` everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_offset = timedelta(0)


def now() -> datetime:
    """The current instant (UTC). Deployed it is the host's clock; the local stack's demo cohort moves it."""
    return datetime.now(UTC) + _offset


def travel(offset: timedelta) -> None:
    """Sets where ``now`` stands from the host's clock. Only ``make demo`` calls this, to live through 90 days
    of a practice's history in a few minutes, through the same validation (a reading up to 30 days old, a log
    up to 30 days back) a deployed stack applies; ``travel(timedelta(0))`` returns to the host's clock."""
    global _offset
    _offset = offset


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_iso() -> str:
    return iso(now())


# a patient's calendar ---------------------------------------------------------------------------

DEFAULT_ZONE = "UTC"


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone ``name`` (profiles hold validated names); UTC for none or one this runtime lacks."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def parse(text: str) -> datetime:
    """An ISO 8601 timestamp as stored (``…Z`` or with an offset)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_date(moment: datetime | str, zone_name: str | None) -> date:
    """The calendar date of ``moment`` in the zone: the day a reading or a log belongs to."""
    instant = parse(moment) if isinstance(moment, str) else moment
    return instant.astimezone(zone(zone_name)).date()


def current_month(zone_name: str | None, at: datetime | None = None) -> str:
    """``YYYY-MM`` of now (or ``at``) in the zone."""
    return local_date(at or now(), zone_name).strftime("%Y-%m")


def month_days(month: str) -> tuple[date, date]:
    """The first and the last day of ``YYYY-MM``."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + (number == 12), number % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_span_utc(month: str, zone_name: str | None) -> tuple[str, str]:
    """The month's first and last instant in the zone, as ISO UTC text bounds (inclusive): a month that
    holds a DST change is 743 or 745 hours long, and its logs are those whose local date lies in it."""
    first, last = month_days(month)
    tz = zone(zone_name)
    start = datetime.combine(first, time.min, tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tz) - timedelta(milliseconds=1)
    return iso(start), iso(end)
