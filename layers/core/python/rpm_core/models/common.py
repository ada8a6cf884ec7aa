"""Building blocks shared by the models."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
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

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a timestamp needs a UTC offset or Z")
    return value.astimezone(UTC)


Timestamp = Annotated[
    datetime,
    AfterValidator(_aware),
    PlainSerializer(iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""An ISO 8601 timestamp with an offset; naive timestamps are rejected."""


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


class ListResponse(ResponseModel, Generic[T]):
    items: list[T]
    nextCursor: str | None = None
