"""Clinical records without storage: If-Match, the lab list order, the slot grid and appointment spans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from rpm_core.data.appointments import SLOT, slot_keys
from rpm_core.data.lab_results import list_key, version_key
from rpm_core.errors import PreconditionFailed
from rpm_core.models.clinical import MAX_APPOINTMENT, check_span
from rpm_core.models.clinical import SLOT as CONTRACT_SLOT
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


def test_the_storage_grid_is_the_contract_grid() -> None:
    assert SLOT == CONTRACT_SLOT
    assert MAX_APPOINTMENT // SLOT == 32  # a reschedule's transaction: 1 + 32 released + 32 claimed + 2 checks


def test_slot_keys_cover_the_span_half_open() -> None:
    keys = slot_keys("p1", START, START + timedelta(minutes=45))
    assert keys == ["p1#2030-01-01T09:00:00.000Z", "p1#2030-01-01T09:15:00.000Z", "p1#2030-01-01T09:30:00.000Z"]
    after = slot_keys("p1", START + timedelta(minutes=45), START + timedelta(hours=1))
    assert set(keys).isdisjoint(after)  # back-to-back appointments share no slot
    assert len(slot_keys("p1", START, START + MAX_APPOINTMENT)) == 32


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (START, START),
        (START, START - SLOT),
        (START, START + MAX_APPOINTMENT + SLOT),
        (START + timedelta(minutes=5), START + timedelta(hours=1)),
        (START, START + timedelta(minutes=50)),
        (START + timedelta(seconds=1), START + timedelta(hours=1)),
    ],
)
def test_spans_off_the_grid_or_out_of_bounds_are_refused(start: datetime, end: datetime) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each message is checked through the API
        check_span(start, end)


def test_spans_on_the_grid_are_accepted() -> None:
    check_span(START, START + SLOT)
    check_span(START, START + MAX_APPOINTMENT)
    nepal = datetime(2030, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=5, minutes=45)))  # 03:15Z: on the grid
    check_span(nepal, nepal + SLOT)
