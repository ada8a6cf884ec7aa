"""Clinical records without storage: If-Match, the lab list order, appointment spans and bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from rpm_core.data.appointments import BOOKING_PREFIX, LONGEST_BOOKING, VERSION_KEY, Booking
from rpm_core.data.lab_results import list_key, version_key
from rpm_core.errors import PreconditionFailed
from rpm_core.models.clinical import MAX_APPOINTMENT, MIN_APPOINTMENT, check_span
from rpm_core.services.lab_results import parse_if_match

START = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("header", "version"), [(None, None), ("*", None), ("3", 3), ('"3"', 3), ('W/"12"', 12)])
def test_if_match_names_a_version(header: str | None, version: int | None) -> None:
    assert parse_if_match(header) == version


@pytest.mark.parametrize("header", ["", "abc", '"3', "3.0", "-1", '"1", "2"', "1" * 11])
def test_if_match_that_can_match_nothing_is_412(header: str) -> None:
    with pytest.raises(PreconditionFailed):
        parse_if_match(header)


def test_published_results_sort_above_drafts_newest_first() -> None:
    keys = [
        list_key({"labResultId": "a", "createdAt": "2025-01-05T00:00:00.000Z"}),
        list_key(
            {"labResultId": "b", "createdAt": "2025-01-01T00:00:00.000Z", "publishedAt": "2025-01-02T00:00:00.000Z"}
        ),
        list_key(
            {"labResultId": "c", "createdAt": "2025-01-01T00:00:00.000Z", "publishedAt": "2025-01-03T00:00:00.000Z"}
        ),
        list_key({"labResultId": "d", "createdAt": "2025-01-04T00:00:00.000Z"}),
    ]
    assert [key.split("#")[-1] for key in sorted(keys, reverse=True)] == ["c", "b", "a", "d"]


def test_version_keys_sort_as_numbers() -> None:
    assert sorted([version_key("x", 10), version_key("x", 9), version_key("x", 100)]) == [
        version_key("x", 9),
        version_key("x", 10),
        version_key("x", 100),
    ]


MINUTE = timedelta(minutes=1)


def test_the_overlap_query_covers_the_longest_appointment() -> None:
    assert MAX_APPOINTMENT <= LONGEST_BOOKING  # the Query's lower bound: start - LONGEST_BOOKING
    with pytest.raises(ValueError, match="at most"):
        Booking.of("p1", START, START + LONGEST_BOOKING + MINUTE)


def test_booking_keys_sort_as_time_and_never_meet_the_version_item() -> None:
    early = Booking.of("p1", START, START + 7 * MINUTE).entry_key("b")
    late = Booking.of("p1", START + 7 * MINUTE, START + 14 * MINUTE).entry_key("a")
    assert early == "booking#2030-01-01T09:00:00.000Z#b"
    assert early < late
    assert not VERSION_KEY.startswith(BOOKING_PREFIX)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (START, START),
        (START, START - MINUTE),
        (START, START + MAX_APPOINTMENT + MINUTE),
        (START, START + MIN_APPOINTMENT - MINUTE),
        (START + timedelta(seconds=1), START + timedelta(hours=1)),
        (START, START + timedelta(minutes=50, microseconds=1)),
    ],
)
def test_spans_off_the_minute_or_out_of_bounds_are_refused(start: datetime, end: datetime) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each message is checked through the API
        check_span(start, end)


def test_spans_to_the_minute_are_accepted() -> None:
    check_span(START + 7 * MINUTE, START + 12 * MINUTE)
    check_span(START, START + MAX_APPOINTMENT)
    india = datetime(2030, 1, 1, 9, 7, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    check_span(india, india + 13 * MINUTE)
