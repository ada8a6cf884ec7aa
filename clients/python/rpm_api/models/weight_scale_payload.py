from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.weight_scale_payload_unit import WeightScalePayloadUnit

T = TypeVar("T", bound="WeightScalePayload")


@_attrs_define
class WeightScalePayload:
    """
    Attributes:
        weight (float):
        unit (WeightScalePayloadUnit):
    """

    weight: float
    unit: WeightScalePayloadUnit

    def to_dict(self) -> dict[str, Any]:
        weight = self.weight

        unit = self.unit.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "weight": weight,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        weight = d.pop("weight")

        unit = WeightScalePayloadUnit(d.pop("unit"))

        weight_scale_payload = cls(
            weight=weight,
            unit=unit,
        )

        return weight_scale_payload
