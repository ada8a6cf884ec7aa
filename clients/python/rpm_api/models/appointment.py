from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.appointment_status import AppointmentStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Appointment")


@_attrs_define
class Appointment:
    """
    Attributes:
        object_id (str):
        patient (str):
        provider (str):
        start_at (datetime.datetime):
        end_at (datetime.datetime):
        status (AppointmentStatus):
        created_by (str):
        updated_by (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        location (None | str | Unset):
        reason (None | str | Unset):
    """

    object_id: str
    patient: str
    provider: str
    start_at: datetime.datetime
    end_at: datetime.datetime
    status: AppointmentStatus
    created_by: str
    updated_by: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    location: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        patient = self.patient

        provider = self.provider

        start_at = self.start_at.isoformat()

        end_at = self.end_at.isoformat()

        status = self.status.value

        created_by = self.created_by

        updated_by = self.updated_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "patient": patient,
                "provider": provider,
                "startAt": start_at,
                "endAt": end_at,
                "status": status,
                "createdBy": created_by,
                "updatedBy": updated_by,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if location is not UNSET:
            field_dict["location"] = location
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        patient = d.pop("patient")

        provider = d.pop("provider")

        start_at = datetime.datetime.fromisoformat(d.pop("startAt"))

        end_at = datetime.datetime.fromisoformat(d.pop("endAt"))

        status = AppointmentStatus(d.pop("status"))

        created_by = d.pop("createdBy")

        updated_by = d.pop("updatedBy")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

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

        appointment = cls(
            object_id=object_id,
            patient=patient,
            provider=provider,
            start_at=start_at,
            end_at=end_at,
            status=status,
            created_by=created_by,
            updated_by=updated_by,
            created_at=created_at,
            updated_at=updated_at,
            location=location,
            reason=reason,
        )

        appointment.additional_properties = d
        return appointment

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
