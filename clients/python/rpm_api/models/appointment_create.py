from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppointmentCreate")


@_attrs_define
class AppointmentCreate:
    """
    Attributes:
        start_at (datetime.datetime): ISO 8601 with an offset, on a whole minute
        end_at (datetime.datetime): ISO 8601 with an offset, on a whole minute
        provider (None | str | Unset): User id of an approved clinician on the care team; defaults to a clinician caller
        location (None | str | Unset):
        reason (None | str | Unset):
        status (Literal['scheduled'] | Unset): The only initial state Default: 'scheduled'.
    """

    start_at: datetime.datetime
    end_at: datetime.datetime
    provider: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    status: Literal["scheduled"] | Unset = "scheduled"

    def to_dict(self) -> dict[str, Any]:
        start_at = self.start_at.isoformat()

        end_at = self.end_at.isoformat()

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "startAt": start_at,
                "endAt": end_at,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if location is not UNSET:
            field_dict["location"] = location
        if reason is not UNSET:
            field_dict["reason"] = reason
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start_at = datetime.datetime.fromisoformat(d.pop("startAt"))

        end_at = datetime.datetime.fromisoformat(d.pop("endAt"))

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        provider = _parse_provider(d.pop("provider", UNSET))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        status = cast(Literal["scheduled"] | Unset, d.pop("status", UNSET))
        if status != "scheduled" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'scheduled', got '{status}'")

        appointment_create = cls(
            start_at=start_at,
            end_at=end_at,
            provider=provider,
            location=location,
            reason=reason,
            status=status,
        )

        return appointment_create
