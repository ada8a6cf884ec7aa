from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AttachmentCreate")


@_attrs_define
class AttachmentCreate:
    """
    Attributes:
        patient_id (str):
        file_name (str):
        content_type (str): One of: application/pdf, image/png, image/jpeg, image/heic, text/plain
        size_bytes (int): At most 26214400 bytes (25 MB)
    """

    patient_id: str
    file_name: str
    content_type: str
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        patient_id = self.patient_id

        file_name = self.file_name

        content_type = self.content_type

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "patientId": patient_id,
                "fileName": file_name,
                "contentType": content_type,
                "sizeBytes": size_bytes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        patient_id = d.pop("patientId")

        file_name = d.pop("fileName")

        content_type = d.pop("contentType")

        size_bytes = d.pop("sizeBytes")

        attachment_create = cls(
            patient_id=patient_id,
            file_name=file_name,
            content_type=content_type,
            size_bytes=size_bytes,
        )

        return attachment_create
