from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.threshold_rule import ThresholdRule


T = TypeVar("T", bound="Thresholds")


@_attrs_define
class Thresholds:
    """
    Attributes:
        patient (str):
        rules (list[ThresholdRule]):
        no_data_hours (int | None | Unset):
        escalate_after_minutes (int | None | Unset):
        updated_at (datetime.datetime | None | Unset):
        updated_by (None | str | Unset):
    """

    patient: str
    rules: list[ThresholdRule]
    no_data_hours: int | None | Unset = UNSET
    escalate_after_minutes: int | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    updated_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        patient = self.patient

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        no_data_hours: int | None | Unset
        if isinstance(self.no_data_hours, Unset):
            no_data_hours = UNSET
        else:
            no_data_hours = self.no_data_hours

        escalate_after_minutes: int | None | Unset
        if isinstance(self.escalate_after_minutes, Unset):
            escalate_after_minutes = UNSET
        else:
            escalate_after_minutes = self.escalate_after_minutes

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        updated_by: None | str | Unset
        if isinstance(self.updated_by, Unset):
            updated_by = UNSET
        else:
            updated_by = self.updated_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "patient": patient,
                "rules": rules,
            }
        )
        if no_data_hours is not UNSET:
            field_dict["noDataHours"] = no_data_hours
        if escalate_after_minutes is not UNSET:
            field_dict["escalateAfterMinutes"] = escalate_after_minutes
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if updated_by is not UNSET:
            field_dict["updatedBy"] = updated_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.threshold_rule import ThresholdRule  # noqa: PLC0415

        d = dict(src_dict)
        patient = d.pop("patient")

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = ThresholdRule.from_dict(rules_item_data)

            rules.append(rules_item)

        def _parse_no_data_hours(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        no_data_hours = _parse_no_data_hours(d.pop("noDataHours", UNSET))

        def _parse_escalate_after_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        escalate_after_minutes = _parse_escalate_after_minutes(d.pop("escalateAfterMinutes", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updatedAt", UNSET))

        def _parse_updated_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_by = _parse_updated_by(d.pop("updatedBy", UNSET))

        thresholds = cls(
            patient=patient,
            rules=rules,
            no_data_hours=no_data_hours,
            escalate_after_minutes=escalate_after_minutes,
            updated_at=updated_at,
            updated_by=updated_by,
        )

        thresholds.additional_properties = d
        return thresholds

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
