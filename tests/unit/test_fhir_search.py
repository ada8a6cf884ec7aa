"""FHIR search parameters: dates at their precision with prefixes, tokens, references, _count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rpm_core.errors import BadRequest
from rpm_core.fhir.search import TICK, Range, count, date_range, reference_id, token

DAY = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-01", Range(DAY, DAY + timedelta(days=1) - TICK)),
        ("eq2026-03", Range(DAY, datetime(2026, 4, 1, tzinfo=UTC) - TICK)),
        ("ge2026-03-01", Range(DAY, None)),
        ("gt2026-03-01", Range(DAY + timedelta(days=1), None)),
        ("le2026-03-01", Range(None, DAY + timedelta(days=1) - TICK)),
        ("lt2026-03-01", Range(None, DAY - TICK)),
        ("ge2026-03-01T10:00:00Z", Range(DAY + timedelta(hours=10), None)),
        ("lt2026-03-01T12:00:00+02:00", Range(None, DAY + timedelta(hours=10) - TICK)),
        ("eq2026", Range(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC) - TICK)),
        ("ge2026-03-01,lt2026-03-02", Range(DAY, DAY + timedelta(days=1) - TICK)),
    ],
)
def test_dates_mean_their_whole_interval(value: str, expected: Range) -> None:
    assert date_range(value) == expected


@pytest.mark.parametrize(
    "value", ["yesterday", "ne2026-01-01", "ap2026-01-01", "2026-01-01T10:00", "2026-13-01", "2026-02-30", ""]
)
def test_bad_dates_are_400(value: str) -> None:
    with pytest.raises(BadRequest):
        date_range(value)


def test_an_impossible_range_is_empty() -> None:
    assert date_range("lt2026-01-01,gt2026-02-01").empty
    assert not date_range("ge2026-01-01").empty


def test_tokens_references_and_count() -> None:
    assert token("http://loinc.org|8867-4", "code") == ("http://loinc.org", "8867-4")
    assert token("8867-4", "code") == (None, "8867-4")
    assert token("|8867-4", "code") == ("", "8867-4")
    assert reference_id("Patient/abc", "Patient", "patient") == "abc"
    assert reference_id("https://x.example/fhir/Patient/abc", "Patient", "patient") == "abc"
    assert reference_id("abc", "Patient", "patient") == "abc"
    with pytest.raises(BadRequest):
        reference_id("Device/abc", "Patient", "patient")
    assert count(None) == 50
    assert count("100") == 100
    for bad in ("0", "101", "-1", "ten", "1.5"):
        with pytest.raises(BadRequest):
            count(bad)
