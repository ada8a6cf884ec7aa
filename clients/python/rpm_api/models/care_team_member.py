from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CareTeamMember")


@_attrs_define
class CareTeamMember:
    """
    Attributes:
        clinician (str):
        assigned_at (datetime.datetime):
        assigned_by (str):
    """

    clinician: str
    assigned_at: datetime.datetime
    assigned_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        clinician = self.clinician

        assigned_at = self.assigned_at.isoformat()

        assigned_by = self.assigned_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clinician": clinician,
                "assignedAt": assigned_at,
                "assignedBy": assigned_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        clinician = d.pop("clinician")

        assigned_at = datetime.datetime.fromisoformat(d.pop("assignedAt"))

        assigned_by = d.pop("assignedBy")

        care_team_member = cls(
            clinician=clinician,
            assigned_at=assigned_at,
            assigned_by=assigned_by,
        )

        care_team_member.additional_properties = d
        return care_team_member

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
