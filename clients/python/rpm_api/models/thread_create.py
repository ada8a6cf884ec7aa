from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ThreadCreate")


@_attrs_define
class ThreadCreate:
    """
    Attributes:
        patient_id (str):
        subject (None | str | Unset):
    """

    patient_id: str
    subject: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        patient_id = self.patient_id

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "patientId": patient_id,
            }
        )
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        patient_id = d.pop("patientId")

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        thread_create = cls(
            patient_id=patient_id,
            subject=subject,
        )

        return thread_create
