from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.thermometer_payload_unit import ThermometerPayloadUnit

T = TypeVar("T", bound="ThermometerPayload")


@_attrs_define
class ThermometerPayload:
    """
    Attributes:
        temperature (float):
        unit (ThermometerPayloadUnit):
    """

    temperature: float
    unit: ThermometerPayloadUnit

    def to_dict(self) -> dict[str, Any]:
        temperature = self.temperature

        unit = self.unit.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "temperature": temperature,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        temperature = d.pop("temperature")

        unit = ThermometerPayloadUnit(d.pop("unit"))

        thermometer_payload = cls(
            temperature=temperature,
            unit=unit,
        )

        return thermometer_payload
