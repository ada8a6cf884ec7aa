from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BloodPressurePayload")


@_attrs_define
class BloodPressurePayload:
    """
    Attributes:
        systolic (float):
        diastolic (float):
        pulse (float | None | Unset):
    """

    systolic: float
    diastolic: float
    pulse: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        systolic = self.systolic

        diastolic = self.diastolic

        pulse: float | None | Unset
        if isinstance(self.pulse, Unset):
            pulse = UNSET
        else:
            pulse = self.pulse

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "systolic": systolic,
                "diastolic": diastolic,
            }
        )
        if pulse is not UNSET:
            field_dict["pulse"] = pulse

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        systolic = d.pop("systolic")

        diastolic = d.pop("diastolic")

        def _parse_pulse(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        pulse = _parse_pulse(d.pop("pulse", UNSET))

        blood_pressure_payload = cls(
            systolic=systolic,
            diastolic=diastolic,
            pulse=pulse,
        )

        return blood_pressure_payload
