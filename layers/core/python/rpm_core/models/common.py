"""Building blocks shared by the models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

from rpm_core.clock import iso

T = TypeVar("T")


class RequestModel(BaseModel):
    """A request body: unknown fields are rejected, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a timestamp needs a UTC offset or Z")
    return value.astimezone(UTC)


Timestamp = Annotated[datetime, AfterValidator(_aware), PlainSerializer(iso, return_type=str, when_used="json")]
"""An ISO 8601 timestamp with an offset; naive timestamps are rejected."""


def _not_future(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise ValueError("the date is in the future")
    return value


PastDate = Annotated[date, AfterValidator(_not_future)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]


class ListResponse(ResponseModel, Generic[T]):
    items: list[T]
    nextCursor: str | None = None


class ListQuery(RequestModel):
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


def public_fields(item: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: item[name] for name in names if item.get(name) is not None}
