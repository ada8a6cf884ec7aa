from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.monitoring_log_update_status import MonitoringLogUpdateStatus

T = TypeVar("T", bound="MonitoringLogUpdate")


@_attrs_define
class MonitoringLogUpdate:
    """
    Attributes:
        status (MonitoringLogUpdateStatus):
    """

    status: MonitoringLogUpdateStatus

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = MonitoringLogUpdateStatus(d.pop("status"))

        monitoring_log_update = cls(
            status=status,
        )

        return monitoring_log_update
