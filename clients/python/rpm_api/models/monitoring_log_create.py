from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.monitoring_log_create_kind import MonitoringLogCreateKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="MonitoringLogCreate")


@_attrs_define
class MonitoringLogCreate:
    """
    Attributes:
        kind (MonitoringLogCreateKind):
        data (None | str | Unset): A DeviceData id of this patient
        note (None | str | Unset):
        duration_minutes (int | None | Unset):
        timestamp (datetime.datetime | None | Unset): When it happened (default now): at most 30 days back and 5 minutes
            ahead
        interactive (bool | None | Unset): An interaction that was a real-time, two-way audio or video conversation with
            the patient
    """

    kind: MonitoringLogCreateKind
    data: None | str | Unset = UNSET
    note: None | str | Unset = UNSET
    duration_minutes: int | None | Unset = UNSET
    timestamp: datetime.datetime | None | Unset = UNSET
    interactive: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        data: None | str | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        else:
            data = self.data

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        duration_minutes: int | None | Unset
        if isinstance(self.duration_minutes, Unset):
            duration_minutes = UNSET
        else:
            duration_minutes = self.duration_minutes

        timestamp: None | str | Unset
        if isinstance(self.timestamp, Unset):
            timestamp = UNSET
        elif isinstance(self.timestamp, datetime.datetime):
            timestamp = self.timestamp.isoformat()
        else:
            timestamp = self.timestamp

        interactive: bool | None | Unset
        if isinstance(self.interactive, Unset):
            interactive = UNSET
        else:
            interactive = self.interactive

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if note is not UNSET:
            field_dict["note"] = note
        if duration_minutes is not UNSET:
            field_dict["durationMinutes"] = duration_minutes
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if interactive is not UNSET:
            field_dict["interactive"] = interactive

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = MonitoringLogCreateKind(d.pop("kind"))

        def _parse_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_duration_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_minutes = _parse_duration_minutes(d.pop("durationMinutes", UNSET))

        def _parse_timestamp(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                timestamp_type_0 = datetime.datetime.fromisoformat(data)

                return timestamp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        timestamp = _parse_timestamp(d.pop("timestamp", UNSET))

        def _parse_interactive(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        interactive = _parse_interactive(d.pop("interactive", UNSET))

        monitoring_log_create = cls(
            kind=kind,
            data=data,
            note=note,
            duration_minutes=duration_minutes,
            timestamp=timestamp,
            interactive=interactive,
        )

        return monitoring_log_create
