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
    from ..models.glucometer_payload import GlucometerPayload


T = TypeVar("T", bound="DeviceDataCreateGlucometer")


@_attrs_define
class DeviceDataCreateGlucometer:
    """
    Attributes:
        device_type (Literal['glucometer']):
        data_payload (GlucometerPayload):
        recorded_at (datetime.datetime):
    """

    device_type: Literal["glucometer"]
    data_payload: GlucometerPayload
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
        from ..models.glucometer_payload import GlucometerPayload  # noqa: PLC0415

        d = dict(src_dict)
        device_type = cast(Literal["glucometer"], d.pop("deviceType"))
        if device_type != "glucometer":
            raise ValueError(f"deviceType must match const 'glucometer', got '{device_type}'")

        data_payload = GlucometerPayload.from_dict(d.pop("dataPayload"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recordedAt"))

        device_data_create_glucometer = cls(
            device_type=device_type,
            data_payload=data_payload,
            recorded_at=recorded_at,
        )

        return device_data_create_glucometer
