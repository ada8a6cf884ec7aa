from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.share_status import ShareStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Share")


@_attrs_define
class Share:
    """
    Attributes:
        object_id (str):
        patient (str):
        email (str):
        status (ShareStatus):
        expires_at (datetime.datetime):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        grantee (None | str | Unset): The user it became active for
    """

    object_id: str
    patient: str
    email: str
    status: ShareStatus
    expires_at: datetime.datetime
    created_at: datetime.datetime
    updated_at: datetime.datetime
    grantee: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        patient = self.patient

        email = self.email

        status = self.status.value

        expires_at = self.expires_at.isoformat()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        grantee: None | str | Unset
        if isinstance(self.grantee, Unset):
            grantee = UNSET
        else:
            grantee = self.grantee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "patient": patient,
                "email": email,
                "status": status,
                "expiresAt": expires_at,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if grantee is not UNSET:
            field_dict["grantee"] = grantee

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        patient = d.pop("patient")

        email = d.pop("email")

        status = ShareStatus(d.pop("status"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_grantee(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        grantee = _parse_grantee(d.pop("grantee", UNSET))

        share = cls(
            object_id=object_id,
            patient=patient,
            email=email,
            status=status,
            expires_at=expires_at,
            created_at=created_at,
            updated_at=updated_at,
            grantee=grantee,
        )

        share.additional_properties = d
        return share

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
