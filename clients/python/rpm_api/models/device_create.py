from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.device_create_devicetype import DeviceCreateDevicetype
from ..types import UNSET, Unset

T = TypeVar("T", bound="DeviceCreate")


@_attrs_define
class DeviceCreate:
    """
    Attributes:
        device_type (DeviceCreateDevicetype):
        serial_number (None | str | Unset):
        label (None | str | Unset):
    """

    device_type: DeviceCreateDevicetype
    serial_number: None | str | Unset = UNSET
    label: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        device_type = self.device_type.value

        serial_number: None | str | Unset
        if isinstance(self.serial_number, Unset):
            serial_number = UNSET
        else:
            serial_number = self.serial_number

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "deviceType": device_type,
            }
        )
        if serial_number is not UNSET:
            field_dict["serialNumber"] = serial_number
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        device_type = DeviceCreateDevicetype(d.pop("deviceType"))

        def _parse_serial_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        serial_number = _parse_serial_number(d.pop("serialNumber", UNSET))

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        device_create = cls(
            device_type=device_type,
            serial_number=serial_number,
            label=label,
        )

        return device_create
