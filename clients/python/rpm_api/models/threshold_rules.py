from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.threshold_rule import ThresholdRule


T = TypeVar("T", bound="ThresholdRules")


@_attrs_define
class ThresholdRules:
    """
    Attributes:
        rules (list[ThresholdRule]):
        no_data_hours (int | None | Unset): A no-data alert when no transmitted reading has arrived for this long
        escalate_after_minutes (int | None | Unset): An alert still open this long after it was raised is escalated
    """

    rules: list[ThresholdRule]
    no_data_hours: int | None | Unset = UNSET
    escalate_after_minutes: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rules": rules,
            }
        )
        if no_data_hours is not UNSET:
            field_dict["noDataHours"] = no_data_hours
        if escalate_after_minutes is not UNSET:
            field_dict["escalateAfterMinutes"] = escalate_after_minutes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.threshold_rule import ThresholdRule  # noqa: PLC0415

        d = dict(src_dict)
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

        threshold_rules = cls(
            rules=rules,
            no_data_hours=no_data_hours,
            escalate_after_minutes=escalate_after_minutes,
        )

        return threshold_rules
