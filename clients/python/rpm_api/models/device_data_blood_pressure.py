from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.device_data_blood_pressure_source import DeviceDataBloodPressureSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.blood_pressure_payload import BloodPressurePayload


T = TypeVar("T", bound="DeviceDataBloodPressure")


@_attrs_define
class DeviceDataBloodPressure:
    """
    Attributes:
        object_id (str):
        patient (str):
        device_type (Literal['blood_pressure']):
        data_payload (BloodPressurePayload):
        recorded_at (datetime.datetime):
        received_at (datetime.datetime):
        version (int):
        source (DeviceDataBloodPressureSource):
        created_by (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        device (None | str | Unset):
        reason (None | str | Unset):
        request_id (None | str | Unset):
    """

    object_id: str
    patient: str
    device_type: Literal["blood_pressure"]
    data_payload: BloodPressurePayload
    recorded_at: datetime.datetime
    received_at: datetime.datetime
    version: int
    source: DeviceDataBloodPressureSource
    created_by: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    device: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    request_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        patient = self.patient

        device_type = self.device_type

        data_payload = self.data_payload.to_dict()

        recorded_at = self.recorded_at.isoformat()

        received_at = self.received_at.isoformat()

        version = self.version

        source = self.source.value

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        device: None | str | Unset
        if isinstance(self.device, Unset):
            device = UNSET
        else:
            device = self.device

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "patient": patient,
                "deviceType": device_type,
                "dataPayload": data_payload,
                "recordedAt": recorded_at,
                "receivedAt": received_at,
                "version": version,
                "source": source,
                "createdBy": created_by,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if device is not UNSET:
            field_dict["device"] = device
        if reason is not UNSET:
            field_dict["reason"] = reason
        if request_id is not UNSET:
            field_dict["requestId"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.blood_pressure_payload import BloodPressurePayload  # noqa: PLC0415

        d = dict(src_dict)
        object_id = d.pop("objectId")

        patient = d.pop("patient")

        device_type = cast(Literal["blood_pressure"], d.pop("deviceType"))
        if device_type != "blood_pressure":
            raise ValueError(f"deviceType must match const 'blood_pressure', got '{device_type}'")

        data_payload = BloodPressurePayload.from_dict(d.pop("dataPayload"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recordedAt"))

        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))

        version = d.pop("version")

        source = DeviceDataBloodPressureSource(d.pop("source"))

        created_by = d.pop("createdBy")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_device(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device = _parse_device(d.pop("device", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("requestId", UNSET))

        device_data_blood_pressure = cls(
            object_id=object_id,
            patient=patient,
            device_type=device_type,
            data_payload=data_payload,
            recorded_at=recorded_at,
            received_at=received_at,
            version=version,
            source=source,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
            device=device,
            reason=reason,
            request_id=request_id,
        )

        device_data_blood_pressure.additional_properties = d
        return device_data_blood_pressure

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
