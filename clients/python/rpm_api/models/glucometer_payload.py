from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.glucometer_payload_meal_context_type_0 import (
    GlucometerPayloadMealContextType0,
)
from ..models.glucometer_payload_unit import GlucometerPayloadUnit
from ..types import UNSET, Unset

T = TypeVar("T", bound="GlucometerPayload")


@_attrs_define
class GlucometerPayload:
    """
    Attributes:
        glucose (float):
        unit (GlucometerPayloadUnit):
        meal_context (GlucometerPayloadMealContextType0 | None | Unset):
    """

    glucose: float
    unit: GlucometerPayloadUnit
    meal_context: GlucometerPayloadMealContextType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        glucose = self.glucose

        unit = self.unit.value

        meal_context: None | str | Unset
        if isinstance(self.meal_context, Unset):
            meal_context = UNSET
        elif isinstance(self.meal_context, GlucometerPayloadMealContextType0):
            meal_context = self.meal_context.value
        else:
            meal_context = self.meal_context

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "glucose": glucose,
                "unit": unit,
            }
        )
        if meal_context is not UNSET:
            field_dict["mealContext"] = meal_context

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        glucose = d.pop("glucose")

        unit = GlucometerPayloadUnit(d.pop("unit"))

        def _parse_meal_context(data: object) -> GlucometerPayloadMealContextType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                meal_context_type_0 = GlucometerPayloadMealContextType0(data)

                return meal_context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GlucometerPayloadMealContextType0 | None | Unset, data)

        meal_context = _parse_meal_context(d.pop("mealContext", UNSET))

        glucometer_payload = cls(
            glucose=glucose,
            unit=unit,
            meal_context=meal_context,
        )

        return glucometer_payload
