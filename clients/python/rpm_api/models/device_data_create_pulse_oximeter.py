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
    from ..models.pulse_oximeter_payload import PulseOximeterPayload


T = TypeVar("T", bound="DeviceDataCreatePulseOximeter")


@_attrs_define
class DeviceDataCreatePulseOximeter:
    """
    Attributes:
        device_type (Literal['pulse_oximeter']):
        data_payload (PulseOximeterPayload):
        recorded_at (datetime.datetime):
    """

    device_type: Literal["pulse_oximeter"]
    data_payload: PulseOximeterPayload
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
        from ..models.pulse_oximeter_payload import PulseOximeterPayload  # noqa: PLC0415

        d = dict(src_dict)
        device_type = cast(Literal["pulse_oximeter"], d.pop("deviceType"))
        if device_type != "pulse_oximeter":
            raise ValueError(f"deviceType must match const 'pulse_oximeter', got '{device_type}'")

        data_payload = PulseOximeterPayload.from_dict(d.pop("dataPayload"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recordedAt"))

        device_data_create_pulse_oximeter = cls(
            device_type=device_type,
            data_payload=data_payload,
            recorded_at=recorded_at,
        )

        return device_data_create_pulse_oximeter
