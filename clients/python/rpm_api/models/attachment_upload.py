from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_upload_status import AttachmentUploadStatus

if TYPE_CHECKING:
    from ..models.attachment_upload_uploadheaders import AttachmentUploadUploadheaders


T = TypeVar("T", bound="AttachmentUpload")


@_attrs_define
class AttachmentUpload:
    """
    Attributes:
        attachment_id (str):
        upload_url (str):
        upload_headers (AttachmentUploadUploadheaders): Send exactly these headers with the PUT to uploadUrl
        expires_at (datetime.datetime):
        status (AttachmentUploadStatus):
    """

    attachment_id: str
    upload_url: str
    upload_headers: AttachmentUploadUploadheaders
    expires_at: datetime.datetime
    status: AttachmentUploadStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attachment_id = self.attachment_id

        upload_url = self.upload_url

        upload_headers = self.upload_headers.to_dict()

        expires_at = self.expires_at.isoformat()

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attachmentId": attachment_id,
                "uploadUrl": upload_url,
                "uploadHeaders": upload_headers,
                "expiresAt": expires_at,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attachment_upload_uploadheaders import (
            AttachmentUploadUploadheaders,  # noqa: PLC0415
        )

        d = dict(src_dict)
        attachment_id = d.pop("attachmentId")

        upload_url = d.pop("uploadUrl")

        upload_headers = AttachmentUploadUploadheaders.from_dict(d.pop("uploadHeaders"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))

        status = AttachmentUploadStatus(d.pop("status"))

        attachment_upload = cls(
            attachment_id=attachment_id,
            upload_url=upload_url,
            upload_headers=upload_headers,
            expires_at=expires_at,
            status=status,
        )

        attachment_upload.additional_properties = d
        return attachment_upload

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
