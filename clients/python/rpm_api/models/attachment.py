from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_status import AttachmentStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Attachment")


@_attrs_define
class Attachment:
    """
    Attributes:
        object_id (str):
        attachment_id (str):
        patient (str):
        file_name (str):
        content_type (str):
        size_bytes (int):
        status (AttachmentStatus):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        download_url (None | str | Unset): Only while status is available; valid 5 minutes
        expires_at (datetime.datetime | None | Unset): When downloadUrl stops working
    """

    object_id: str
    attachment_id: str
    patient: str
    file_name: str
    content_type: str
    size_bytes: int
    status: AttachmentStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    download_url: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        attachment_id = self.attachment_id

        patient = self.patient

        file_name = self.file_name

        content_type = self.content_type

        size_bytes = self.size_bytes

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        download_url: None | str | Unset
        if isinstance(self.download_url, Unset):
            download_url = UNSET
        else:
            download_url = self.download_url

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "attachmentId": attachment_id,
                "patient": patient,
                "fileName": file_name,
                "contentType": content_type,
                "sizeBytes": size_bytes,
                "status": status,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if download_url is not UNSET:
            field_dict["downloadUrl"] = download_url
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        attachment_id = d.pop("attachmentId")

        patient = d.pop("patient")

        file_name = d.pop("fileName")

        content_type = d.pop("contentType")

        size_bytes = d.pop("sizeBytes")

        status = AttachmentStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_download_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        download_url = _parse_download_url(d.pop("downloadUrl", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))

        attachment = cls(
            object_id=object_id,
            attachment_id=attachment_id,
            patient=patient,
            file_name=file_name,
            content_type=content_type,
            size_bytes=size_bytes,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            download_url=download_url,
            expires_at=expires_at,
        )

        attachment.additional_properties = d
        return attachment

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
