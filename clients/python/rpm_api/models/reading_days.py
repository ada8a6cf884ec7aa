from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.reading_day import ReadingDay


T = TypeVar("T", bound="ReadingDays")


@_attrs_define
class ReadingDays:
    """
    Attributes:
        month (str):
        days_with_readings (int):
        days (list[ReadingDay]):
    """

    month: str
    days_with_readings: int
    days: list[ReadingDay]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        month = self.month

        days_with_readings = self.days_with_readings

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "month": month,
                "daysWithReadings": days_with_readings,
                "days": days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reading_day import ReadingDay  # noqa: PLC0415

        d = dict(src_dict)
        month = d.pop("month")

        days_with_readings = d.pop("daysWithReadings")

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = ReadingDay.from_dict(days_item_data)

            days.append(days_item)

        reading_days = cls(
            month=month,
            days_with_readings=days_with_readings,
            days=days,
        )

        reading_days.additional_properties = d
        return reading_days

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
