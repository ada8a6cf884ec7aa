from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.candidate_code_code import CandidateCodeCode

T = TypeVar("T", bound="CandidateCode")


@_attrs_define
class CandidateCode:
    """
    Attributes:
        code (CandidateCodeCode):
        units (int):
        period_start (datetime.date):
        period_end (datetime.date):
        evidence (list[str]): The dates (device codes) or monitoring-log ids (management) it rests on
    """

    code: CandidateCodeCode
    units: int
    period_start: datetime.date
    period_end: datetime.date
    evidence: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        units = self.units

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        evidence = self.evidence

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "units": units,
                "periodStart": period_start,
                "periodEnd": period_end,
                "evidence": evidence,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = CandidateCodeCode(d.pop("code"))

        units = d.pop("units")

        period_start = datetime.date.fromisoformat(d.pop("periodStart"))

        period_end = datetime.date.fromisoformat(d.pop("periodEnd"))

        evidence = cast(list[str], d.pop("evidence"))

        candidate_code = cls(
            code=code,
            units=units,
            period_start=period_start,
            period_end=period_end,
            evidence=evidence,
        )

        candidate_code.additional_properties = d
        return candidate_code

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
