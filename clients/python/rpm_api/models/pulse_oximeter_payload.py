from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PulseOximeterPayload")


@_attrs_define
class PulseOximeterPayload:
    """
    Attributes:
        spo2 (float):
        pulse (float | None | Unset):
    """

    spo2: float
    pulse: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        spo2 = self.spo2

        pulse: float | None | Unset
        if isinstance(self.pulse, Unset):
            pulse = UNSET
        else:
            pulse = self.pulse

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "spo2": spo2,
            }
        )
        if pulse is not UNSET:
            field_dict["pulse"] = pulse

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        spo2 = d.pop("spo2")

        def _parse_pulse(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        pulse = _parse_pulse(d.pop("pulse", UNSET))

        pulse_oximeter_payload = cls(
            spo2=spo2,
            pulse=pulse,
        )

        return pulse_oximeter_payload
