from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DevicePeriod")


@_attrs_define
class DevicePeriod:
    """
    Attributes:
        start (datetime.date):
        end (datetime.date):
        days_with_transmitted_readings (int):
        complete (bool): The period has ended (its last day lies before today in the patient's zone)
    """

    start: datetime.date
    end: datetime.date
    days_with_transmitted_readings: int
    complete: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start = self.start.isoformat()

        end = self.end.isoformat()

        days_with_transmitted_readings = self.days_with_transmitted_readings

        complete = self.complete

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start": start,
                "end": end,
                "daysWithTransmittedReadings": days_with_transmitted_readings,
                "complete": complete,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start = datetime.date.fromisoformat(d.pop("start"))

        end = datetime.date.fromisoformat(d.pop("end"))

        days_with_transmitted_readings = d.pop("daysWithTransmittedReadings")

        complete = d.pop("complete")

        device_period = cls(
            start=start,
            end=end,
            days_with_transmitted_readings=days_with_transmitted_readings,
            complete=complete,
        )

        device_period.additional_properties = d
        return device_period

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
