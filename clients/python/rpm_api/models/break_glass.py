from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BreakGlass")


@_attrs_define
class BreakGlass:
    """
    Attributes:
        object_id (str):
        patient (str):
        clinician (str):
        reason (str):
        expires_at (datetime.datetime):
        created_at (datetime.datetime):
    """

    object_id: str
    patient: str
    clinician: str
    reason: str
    expires_at: datetime.datetime
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        patient = self.patient

        clinician = self.clinician

        reason = self.reason

        expires_at = self.expires_at.isoformat()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "patient": patient,
                "clinician": clinician,
                "reason": reason,
                "expiresAt": expires_at,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        patient = d.pop("patient")

        clinician = d.pop("clinician")

        reason = d.pop("reason")

        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        break_glass = cls(
            object_id=object_id,
            patient=patient,
            clinician=clinician,
            reason=reason,
            expires_at=expires_at,
            created_at=created_at,
        )

        break_glass.additional_properties = d
        return break_glass

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
