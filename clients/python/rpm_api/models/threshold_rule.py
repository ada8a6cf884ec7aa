from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.threshold_rule_devicetype import ThresholdRuleDevicetype
from ..models.threshold_rule_severity import ThresholdRuleSeverity
from ..types import UNSET, Unset

T = TypeVar("T", bound="ThresholdRule")


@_attrs_define
class ThresholdRule:
    """
    Attributes:
        device_type (ThresholdRuleDevicetype):
        field (str):
        severity (ThresholdRuleSeverity):
        min_ (float | None | Unset):
        max_ (float | None | Unset):
        unit (None | str | Unset): Where the device type has several units; else omitted
    """

    device_type: ThresholdRuleDevicetype
    field: str
    severity: ThresholdRuleSeverity
    min_: float | None | Unset = UNSET
    max_: float | None | Unset = UNSET
    unit: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        device_type = self.device_type.value

        field = self.field

        severity = self.severity.value

        min_: float | None | Unset
        if isinstance(self.min_, Unset):
            min_ = UNSET
        else:
            min_ = self.min_

        max_: float | None | Unset
        if isinstance(self.max_, Unset):
            max_ = UNSET
        else:
            max_ = self.max_

        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "deviceType": device_type,
                "field": field,
                "severity": severity,
            }
        )
        if min_ is not UNSET:
            field_dict["min"] = min_
        if max_ is not UNSET:
            field_dict["max"] = max_
        if unit is not UNSET:
            field_dict["unit"] = unit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        device_type = ThresholdRuleDevicetype(d.pop("deviceType"))

        field = d.pop("field")

        severity = ThresholdRuleSeverity(d.pop("severity"))

        def _parse_min_(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_ = _parse_min_(d.pop("min", UNSET))

        def _parse_max_(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_ = _parse_max_(d.pop("max", UNSET))

        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        threshold_rule = cls(
            device_type=device_type,
            field=field,
            severity=severity,
            min_=min_,
            max_=max_,
            unit=unit,
        )

        return threshold_rule
