from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_role import UserRole
from ..models.user_status import UserStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """
    Attributes:
        user_id (str):
        email (str):
        display_name (str):
        role (UserRole):
        status (UserStatus):
        object_id (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        patient_id (None | str | Unset):
    """

    user_id: str
    email: str
    display_name: str
    role: UserRole
    status: UserStatus
    object_id: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    patient_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        email = self.email

        display_name = self.display_name

        role = self.role.value

        status = self.status.value

        object_id = self.object_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        patient_id: None | str | Unset
        if isinstance(self.patient_id, Unset):
            patient_id = UNSET
        else:
            patient_id = self.patient_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "userId": user_id,
                "email": email,
                "displayName": display_name,
                "role": role,
                "status": status,
                "objectId": object_id,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if patient_id is not UNSET:
            field_dict["patientId"] = patient_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user_id = d.pop("userId")

        email = d.pop("email")

        display_name = d.pop("displayName")

        role = UserRole(d.pop("role"))

        status = UserStatus(d.pop("status"))

        object_id = d.pop("objectId")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_patient_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        patient_id = _parse_patient_id(d.pop("patientId", UNSET))

        user = cls(
            user_id=user_id,
            email=email,
            display_name=display_name,
            role=role,
            status=status,
            object_id=object_id,
            created_at=created_at,
            updated_at=updated_at,
            patient_id=patient_id,
        )

        user.additional_properties = d
        return user

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
