"""The CY2026 RPM billing rules at their boundaries (``rpm_core.services.billing_rules``), table-driven."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rpm_core.clock import month_days
from rpm_core.services.billing_rules import ManagementLog, assess, management_codes

JAN_1 = date(2026, 1, 1)


def _days(first: date, count: int, step: int = 1) -> list[date]:
    return [first + timedelta(days=step * i) for i in range(count)]


def _codes(month: str, days: list[date], logs: list[ManagementLog] = ()) -> list[tuple[str, int]]:  # type: ignore[assignment]
    first, last = month_days(month)
    return [(code["code"], code["units"]) for code in assess(first, last, days, list(logs)).codes]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, []),
        (2, [("99453", 1), ("99445", 1)]),
        (15, [("99453", 1), ("99445", 1)]),
        (16, [("99453", 1), ("99454", 1)]),
        (30, [("99453", 1), ("99454", 1)]),
    ],
)
def test_device_days_in_a_period(days: int, expected: list[tuple[str, int]]) -> None:
    """Days with a transmitted reading in the 30-day period from the first one (Jan 1 - Jan 30, 2026)."""
    assert _codes("2026-01", _days(JAN_1, days)) == expected


def test_a_day_counts_once_and_days_outside_the_period_do_not_count() -> None:
    days = [JAN_1, JAN_1, date(2026, 1, 30), date(2026, 1, 31)]
    first, last = month_days("2026-01")
    found = assess(first, last, days, [])
    assert [(p.start, p.end, len(p.days)) for p in found.periods] == [(JAN_1, date(2026, 1, 30), 2)]


def test_no_transmitted_readings_no_period_no_code() -> None:
    """Manual readings only: the facts hold no transmitted day (they are counted apart, never here)."""
    first, last = month_days("2026-01")
    found = assess(first, last, [], [])
    assert found.periods == []
    assert found.codes == []


def test_a_period_spanning_two_months_belongs_to_the_month_it_ends_in() -> None:
    days = _days(date(2026, 1, 20), 20)  # Jan 20 - Feb 8; the period is Jan 20 - Feb 18
    assert _codes("2026-01", days) == []
    first, last = month_days("2026-02")
    found = assess(first, last, days, [])
    assert [(p.start, p.end, len(p.days)) for p in found.periods] == [(date(2026, 1, 20), date(2026, 2, 18), 20)]
    assert [code["code"] for code in found.codes] == ["99453", "99454"]
    assert found.codes[1]["evidence"][0] == "2026-01-20"
    assert len(found.codes[1]["evidence"]) == 20


def test_first_reading_on_the_last_day_of_a_month() -> None:
    """Jan 31 + 29 days is Mar 1 (2026 is no leap year): neither January nor February lists the period."""
    days = [date(2026, 1, 31), date(2026, 2, 10), date(2026, 3, 1), date(2026, 3, 2)]
    assert _codes("2026-01", days) == []
    assert _codes("2026-02", days) == []
    first, last = month_days("2026-03")
    found = assess(first, last, days, [])
    assert [(p.start, p.end, len(p.days)) for p in found.periods] == [
        (date(2026, 1, 31), date(2026, 3, 1), 3),
        (date(2026, 3, 2), date(2026, 3, 31), 1),
    ]
    assert [code["code"] for code in found.codes] == ["99453", "99445"]


def test_set_up_once_with_the_first_qualifying_period() -> None:
    days = [JAN_1, *_days(date(2026, 1, 31), 20)]  # period 1 (Jan 1-30): 1 day; period 2 (Jan 31-Mar 1): 20
    assert _codes("2026-01", days) == []
    assert _codes("2026-03", days) == [("99453", 1), ("99454", 1)]
    later = [*days, *_days(date(2026, 3, 2), 16)]
    assert _codes("2026-03", later) == [("99453", 1), ("99454", 1), ("99454", 1)]  # two periods end in March
    assert _codes("2026-04", [*later, *_days(date(2026, 4, 1), 16)]) == [("99454", 1)]  # no second 99453


def _logs(minutes: int, *, interactive: bool = True) -> list[ManagementLog]:
    """The month's minutes in two logs: a review and an interaction (interactive or not)."""
    review = minutes // 2
    return [
        ManagementLog("review-1", date(2026, 1, 5), review, author="dr-a"),
        ManagementLog("talk-1", date(2026, 1, 20), minutes - review, interactive=interactive, author="dr-b"),
    ]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (9, []),
        (10, [("99470", 1)]),
        (19, [("99470", 1)]),
        (20, [("99457", 1)]),
        (39, [("99457", 1)]),
        (40, [("99457", 1), ("99458", 1)]),
        (59, [("99457", 1), ("99458", 1)]),
        (60, [("99457", 1), ("99458", 2)]),
    ],
)
def test_management_minutes(minutes: int, expected: list[tuple[str, int]]) -> None:
    assert _codes("2026-01", [], _logs(minutes)) == expected
    assert management_codes(minutes, interactive=True) == expected


@pytest.mark.parametrize("minutes", [9, 10, 19, 20, 40, 60, 240])
def test_minutes_without_an_interactive_contact_support_no_management_code(minutes: int) -> None:
    assert _codes("2026-01", [], _logs(minutes, interactive=False)) == []


def test_99470_never_with_99457() -> None:
    for minutes in range(0, 300):
        codes = {code for code, _ in management_codes(minutes, interactive=True)}
        assert not {"99470", "99457"} <= codes
        assert not ({"99470"} & codes and {"99458"} & codes)


def test_the_device_codes_never_both_for_one_period() -> None:
    for count in range(0, 31):
        first, last = month_days("2026-01")
        codes = [code["code"] for code in assess(first, last, _days(JAN_1, count), []).codes]
        assert not {"99445", "99454"} <= set(codes)


def test_management_evidence_practitioner_and_month_bounds() -> None:
    logs = [*_logs(30), ManagementLog("december", date(2025, 12, 31), 50, interactive=True, author="dr-c")]
    first, last = month_days("2026-01")
    found = assess(first, last, [], logs)
    assert found.minutes == 30
    assert found.interactive == ["talk-1"]
    assert found.codes == [
        {"code": "99457", "units": 1, "periodStart": first, "periodEnd": last, "evidence": ["review-1", "talk-1"]}
    ]
    assert found.practitioner == "dr-a"  # 15 minutes each: ties go to the smaller id
    assert assess(first, last, [], logs, practitioner="dr-profile").practitioner == "dr-profile"


def test_a_month_in_a_zone_is_its_local_span_across_dst() -> None:
    from rpm_core.clock import local_date, month_span_utc

    assert month_span_utc("2026-03", "America/New_York") == ("2026-03-01T05:00:00.000Z", "2026-04-01T03:59:59.999Z")
    assert month_span_utc("2026-01", "UTC") == ("2026-01-01T00:00:00.000Z", "2026-01-31T23:59:59.999Z")
    assert local_date("2026-02-01T03:30:00.000Z", "America/New_York") == date(2026, 1, 31)
    assert local_date("2026-02-01T05:00:00.000Z", "America/New_York") == date(2026, 2, 1)
