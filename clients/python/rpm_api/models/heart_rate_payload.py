from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="HeartRatePayload")


@_attrs_define
class HeartRatePayload:
    """
    Attributes:
        bpm (float):
    """

    bpm: float

    def to_dict(self) -> dict[str, Any]:
        bpm = self.bpm

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bpm": bpm,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bpm = d.pop("bpm")

        heart_rate_payload = cls(
            bpm=bpm,
        )

        return heart_rate_payload
