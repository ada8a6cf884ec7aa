from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RejectedReading")


@_attrs_define
class RejectedReading:
    """
    Attributes:
        object_id (str):
        received_at (datetime.datetime):
        reason (str):
        payload (str): The message as received (text)
        device_id (None | str | Unset):
        patient (None | str | Unset): The device's patient, when the device is known
        message_id (None | str | Unset):
        detail (None | str | Unset):
    """

    object_id: str
    received_at: datetime.datetime
    reason: str
    payload: str
    device_id: None | str | Unset = UNSET
    patient: None | str | Unset = UNSET
    message_id: None | str | Unset = UNSET
    detail: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        received_at = self.received_at.isoformat()

        reason = self.reason

        payload = self.payload

        device_id: None | str | Unset
        if isinstance(self.device_id, Unset):
            device_id = UNSET
        else:
            device_id = self.device_id

        patient: None | str | Unset
        if isinstance(self.patient, Unset):
            patient = UNSET
        else:
            patient = self.patient

        message_id: None | str | Unset
        if isinstance(self.message_id, Unset):
            message_id = UNSET
        else:
            message_id = self.message_id

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "receivedAt": received_at,
                "reason": reason,
                "payload": payload,
            }
        )
        if device_id is not UNSET:
            field_dict["deviceId"] = device_id
        if patient is not UNSET:
            field_dict["patient"] = patient
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))

        reason = d.pop("reason")

        payload = d.pop("payload")

        def _parse_device_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_id = _parse_device_id(d.pop("deviceId", UNSET))

        def _parse_patient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        patient = _parse_patient(d.pop("patient", UNSET))

        def _parse_message_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message_id = _parse_message_id(d.pop("messageId", UNSET))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        rejected_reading = cls(
            object_id=object_id,
            received_at=received_at,
            reason=reason,
            payload=payload,
            device_id=device_id,
            patient=patient,
            message_id=message_id,
            detail=detail,
        )

        rejected_reading.additional_properties = d
        return rejected_reading

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
