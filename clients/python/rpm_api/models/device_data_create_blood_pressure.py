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

if TYPE_CHECKING:
    from ..models.blood_pressure_payload import BloodPressurePayload


T = TypeVar("T", bound="DeviceDataCreateBloodPressure")


@_attrs_define
class DeviceDataCreateBloodPressure:
    """
    Attributes:
        device_type (Literal['blood_pressure']):
        data_payload (BloodPressurePayload):
        recorded_at (datetime.datetime):
    """

    device_type: Literal["blood_pressure"]
    data_payload: BloodPressurePayload
    recorded_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        device_type = self.device_type

        data_payload = self.data_payload.to_dict()

        recorded_at = self.recorded_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "deviceType": device_type,
                "dataPayload": data_payload,
                "recordedAt": recorded_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.blood_pressure_payload import BloodPressurePayload  # noqa: PLC0415

        d = dict(src_dict)
        device_type = cast(Literal["blood_pressure"], d.pop("deviceType"))
        if device_type != "blood_pressure":
            raise ValueError(f"deviceType must match const 'blood_pressure', got '{device_type}'")

        data_payload = BloodPressurePayload.from_dict(d.pop("dataPayload"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recordedAt"))

        device_data_create_blood_pressure = cls(
            device_type=device_type,
            data_payload=data_payload,
            recorded_at=recorded_at,
        )

        return device_data_create_blood_pressure
