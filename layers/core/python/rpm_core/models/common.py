"""Building blocks shared by the models."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from rpm_core.clock import iso

T = TypeVar("T")


def _email(value: str) -> str:
    """pydantic's own e-mail check (``EmailStr``: email-validator, normalized), loaded on first use:
    importing email-validator costs a cold start ~70 ms, and most requests carry no address."""
    from pydantic.networks import validate_email
    from pydantic_core import PydanticCustomError

    try:
        return validate_email(value)[1]
    except PydanticCustomError as error:
        raise ValueError("value is not a valid email address") from error


Email = Annotated[
    str,
    StringConstraints(max_length=254),
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 254}),
]
"""An e-mail address, validated and normalized exactly as ``pydantic.EmailStr``."""


class RequestModel(BaseModel):
    """A request body: unknown fields are rejected, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a timestamp needs a UTC offset or Z")
    try:
        return value.astimezone(UTC)
    except OverflowError as error:  # 9999-12-31T23:59:59-01:00 is past the last representable instant
        raise ValueError("a timestamp between the years 0001 and 9999 in UTC") from error


ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _timestamp_text(value: object) -> object:
    """ISO 8601 text only (or a datetime): pydantic would also read numbers as Unix times."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_TIMESTAMP.match(value.strip()):
        raise ValueError("an ISO 8601 timestamp with an offset, e.g. 2025-01-31T08:00:00Z")
    return value


Timestamp = Annotated[
    datetime,
    BeforeValidator(_timestamp_text),
    AfterValidator(_aware),
    PlainSerializer(iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""An ISO 8601 timestamp with an offset; naive timestamps are rejected."""


STORABLE_MAGNITUDE = 1e125
"""DynamoDB keeps numbers up to 9.99…E+125 and down to 1E-130, with 38 significant digits."""


def _storable(value: float) -> float:
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**38:
            raise ValueError("an integer of at most 38 digits")
        return value
    if abs(value) >= STORABLE_MAGNITUDE or (value != 0 and abs(value) < 1 / STORABLE_MAGNITUDE):
        raise ValueError("a number between 1e-125 and 1e125 in magnitude (or 0)")
    return value


StorableInt = Annotated[int, Field(strict=True, gt=-(10**38), lt=10**38), AfterValidator(_storable)]
StorableFloat = Annotated[
    float,
    Field(strict=True, allow_inf_nan=False, gt=-STORABLE_MAGNITUDE, lt=STORABLE_MAGNITUDE),
    AfterValidator(_storable),
]
"""A finite number storage can keep as sent (a JSON integer is accepted too)."""


EARLIEST_DATE = date(1900, 1, 1)


def _calendar_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` text (or a date): no numbers, no timestamps."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    if not isinstance(value, str | date):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


def _past(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise ValueError("the date is in the future")
    if value < EARLIEST_DATE:
        raise ValueError(f"the date is before {EARLIEST_DATE.isoformat()}")
    return value


PastDate = Annotated[date, BeforeValidator(_calendar_date), AfterValidator(_past)]
CalendarDate = Annotated[date, BeforeValidator(_calendar_date)]
"""A ``YYYY-MM-DD`` date, past or future."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")]
"""One line of text: no control characters."""
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    """The IANA zone names of the ``tzdata`` package (a dependency: the zones are never the host's)."""
    from importlib.resources import files

    return frozenset(files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())


def _zone(value: str) -> str:
    if value not in _zone_names():
        raise ValueError("an IANA time zone name, such as Europe/Berlin or UTC")
    return value


TimeZoneName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(_zone),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 64, "examples": ["UTC", "America/New_York"]}),
]
"""An IANA time zone name (``zoneinfo.ZoneInfo`` loads it)."""


class ListResponse(ResponseModel, Generic[T]):
    items: list[T]
    nextCursor: str | None = None


class HealthStatus(ResponseModel):
    status: Literal["ok"]
