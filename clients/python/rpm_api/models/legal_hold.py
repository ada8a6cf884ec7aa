from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LegalHold")


@_attrs_define
class LegalHold:
    """
    Attributes:
        hold (bool):
    """

    hold: bool

    def to_dict(self) -> dict[str, Any]:
        hold = self.hold

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hold": hold,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hold = d.pop("hold")

        legal_hold = cls(
            hold=hold,
        )

        return legal_hold
