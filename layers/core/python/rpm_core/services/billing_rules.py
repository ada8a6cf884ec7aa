"""The RPM billing rules of the CY2026 physician fee schedule (CMS-1832-F), as facts and candidate codes.

Pure functions of one patient's facts: the local dates with a transmitted reading (``source: "device"``)
and the month's management logs. No storage, no clock: ``rpm_core.services.billing`` gathers the facts
and the table-driven tests (``tests/unit/test_billing_rules.py``) pin the boundaries.

- Device periods: consecutive 30-day periods, the first starting on the first day with a transmitted
  reading; a period belongs to the month in which it ends. 16-30 days → 99454, 2-15 → 99445 (never both).
- Set-up, 99453: once per patient, with the first period that qualifies for 99445 or 99454.
- Management, per calendar month: the minutes of review and interaction logs; with at least one
  interactive contact, 10-19 minutes → 99470, 20 or more → 99457 plus one 99458 per further full 20
  minutes (99470 never with 99457); without one, no management code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

PERIOD_DAYS = 30
DEVICE_FULL = "99454"
"""16-30 days of transmitted readings in a 30-day period."""
DEVICE_SHORT = "99445"
"""2-15 days (new in CY2026)."""
SET_UP = "99453"
MANAGEMENT_SHORT = "99470"
"""10-19 minutes in the month (new in CY2026)."""
MANAGEMENT_FIRST = "99457"
MANAGEMENT_MORE = "99458"
FULL_DAYS, SHORT_DAYS = 16, 2
SHORT_MINUTES, FIRST_MINUTES, MORE_MINUTES = 10, 20, 20


@dataclass(frozen=True)
class ManagementLog:
    """A review or interaction log of the month: its id, local date, minutes, and whether it was interactive."""

    log_id: str
    day: date
    minutes: int
    interactive: bool = False
    author: str | None = None


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    days: tuple[date, ...]
    """The period's dates with a transmitted reading, in order."""

    @property
    def device_code(self) -> str | None:
        if len(self.days) >= FULL_DAYS:
            return DEVICE_FULL
        if len(self.days) >= SHORT_DAYS:
            return DEVICE_SHORT
        return None


@dataclass
class Assessment:
    periods: list[Period] = field(default_factory=list)
    minutes: int = 0
    interactive: list[str] = field(default_factory=list)
    practitioner: str | None = None
    codes: list[dict[str, Any]] = field(default_factory=list)


def _period(first: date, index: int, days: list[date]) -> Period:
    start = first + timedelta(days=PERIOD_DAYS * index)
    end = start + timedelta(days=PERIOD_DAYS - 1)
    return Period(start, end, tuple(day for day in days if start <= day <= end))


def periods_ending_in(month_first: date, month_last: date, days: list[date]) -> tuple[list[Period], Period | None]:
    """The device periods that end in the month, and the patient's first qualifying period (ever)."""
    ordered = sorted(set(days))
    if not ordered:
        return [], None
    first = ordered[0]
    by_index: dict[int, list[date]] = {}
    for day in ordered:
        by_index.setdefault((day - first).days // PERIOD_DAYS, []).append(day)
    qualifying = next((index for index in sorted(by_index) if len(by_index[index]) >= SHORT_DAYS), None)
    ending: list[Period] = []
    index = max(0, -(-((month_first - first).days - (PERIOD_DAYS - 1)) // PERIOD_DAYS))
    while True:
        period = _period(first, index, by_index.get(index, []))
        if period.end > month_last:
            break
        if period.end >= month_first:
            ending.append(period)
        index += 1
    return ending, (_period(first, qualifying, by_index[qualifying]) if qualifying is not None else None)


def _code(code: str, start: date, end: date, evidence: list[str], units: int = 1) -> dict[str, Any]:
    return {"code": code, "units": units, "periodStart": start, "periodEnd": end, "evidence": evidence}


def management_codes(minutes: int, interactive: bool) -> list[tuple[str, int]]:
    """(code, units) for a month's minutes: none without an interactive contact."""
    if not interactive or minutes < SHORT_MINUTES:
        return []
    if minutes < FIRST_MINUTES:
        return [(MANAGEMENT_SHORT, 1)]
    more = (minutes - FIRST_MINUTES) // MORE_MINUTES
    return [(MANAGEMENT_FIRST, 1), *([(MANAGEMENT_MORE, more)] if more else [])]


def assess(
    month_first: date,
    month_last: date,
    transmitted_days: list[date],
    logs: list[ManagementLog],
    practitioner: str | None = None,
) -> Assessment:
    """Everything one patient's month supports. ``transmitted_days``: every local date up to the month's
    end with a transmitted reading (earlier ones decide the periods and 99453); ``logs``: the month's."""
    result = Assessment()
    result.periods, first_qualifying = periods_ending_in(month_first, month_last, transmitted_days)
    for period in result.periods:
        code = period.device_code
        if code is None:
            continue
        evidence = [day.isoformat() for day in period.days]
        if first_qualifying is not None and period.start == first_qualifying.start:
            result.codes.append(_code(SET_UP, period.start, period.end, evidence))
        result.codes.append(_code(code, period.start, period.end, evidence))
    month_logs = [log for log in logs if month_first <= log.day <= month_last and log.minutes > 0]
    result.minutes = sum(log.minutes for log in month_logs)
    result.interactive = [log.log_id for log in month_logs if log.interactive]
    for code, units in management_codes(result.minutes, bool(result.interactive)):
        evidence = [log.log_id for log in sorted(month_logs, key=lambda log: (log.day, log.log_id))]
        result.codes.append(_code(code, month_first, month_last, evidence, units))
    by_author = Counter[str]()
    for log in month_logs:
        if log.author:
            by_author[log.author] += log.minutes
    most = sorted(by_author.items(), key=lambda pair: (-pair[1], pair[0]))
    result.practitioner = practitioner or (most[0][0] if most else None)
    return result
