"""A DynamoDB stream serves at most two Lambda consumers (a third is throttled and falls behind): the catalog
refuses a third (``catalog.check``); docs/SCALE.md says what to build instead (a fan-out)."""

from __future__ import annotations

from collections import Counter

import pytest

from infra.catalog import FUNCTIONS, MAX_CONSUMERS_PER_STREAM, FunctionSpec, check
from rpm_core.data.resources import declared


def test_the_declared_streams_have_at_most_two_consumers_and_eight_are_full() -> None:
    consumers = Counter(table for spec in FUNCTIONS for table in spec.stream_sources)
    assert max(consumers.values()) <= MAX_CONSUMERS_PER_STREAM
    full = sorted(table for table, count in consumers.items() if count == MAX_CONSUMERS_PER_STREAM)
    assert "DeviceData" in full  # the audit writer and the notifier: docs/SCALE.md lists them all


def test_a_third_consumer_of_a_stream_is_refused() -> None:
    third = FunctionSpec(name="fixturefanout", kind="stream", description="a fixture", uses=(("DeviceData", "stream"),))
    with pytest.raises(ValueError, match=r"streams of \['DeviceData'\].*fan the stream out"):
        check((*FUNCTIONS, third), declared())
