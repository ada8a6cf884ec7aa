"""DynamoDB stream records: which declared table one came from, and its images as plain values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from rpm_core.config import MissingSetting, settings
from rpm_core.data.tables import TableSpec


def table_of(event_source_arn: str, candidates: Iterable[TableSpec]) -> TableSpec | None:
    """The candidate whose physical name is in the record's ARN (``arn:…:table/<name>/stream/<label>``); a
    candidate the function was not given (no variable: it reads no stream of it) is not it."""
    physical = event_source_arn.split(":table/", 1)[-1].split("/stream/", 1)[0]
    for spec in candidates:
        try:
            if settings().table_name(spec) == physical:
                return spec
        except MissingSetting:
            continue
    return None


_deserializer = TypeDeserializer()


def plain_image(image: dict[str, Any] | None) -> dict[str, Any] | None:
    """A record's ``NewImage``/``OldImage``/``Keys`` (typed attribute values) as plain values; None stays None."""
    return {name: _deserializer.deserialize(value) for name, value in image.items()} if image else None
