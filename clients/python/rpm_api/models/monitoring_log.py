from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.monitoring_log_kind import MonitoringLogKind
from ..models.monitoring_log_reason_type_0 import MonitoringLogReasonType0
from ..models.monitoring_log_severity_type_0 import MonitoringLogSeverityType0
from ..models.monitoring_log_status import MonitoringLogStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transition import Transition


T = TypeVar("T", bound="MonitoringLog")


@_attrs_define
class MonitoringLog:
    """
    Attributes:
        object_id (str):
        patient (str):
        kind (MonitoringLogKind):
        status (MonitoringLogStatus):
        timestamp (datetime.datetime):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        data (None | str | Unset):
        note (None | str | Unset):
        duration_minutes (int | None | Unset):
        interactive (bool | None | Unset):
        reason (MonitoringLogReasonType0 | None | Unset): Alerts: why it was raised
        escalated_at (datetime.datetime | None | Unset): Alerts: when it was escalated (still open)
        severity (MonitoringLogSeverityType0 | None | Unset):
        author (None | str | Unset):
        transitions (list[Transition] | Unset): Who moved an alert, and when
    """

    object_id: str
    patient: str
    kind: MonitoringLogKind
    status: MonitoringLogStatus
    timestamp: datetime.datetime
    created_at: datetime.datetime
    updated_at: datetime.datetime
    data: None | str | Unset = UNSET
    note: None | str | Unset = UNSET
    duration_minutes: int | None | Unset = UNSET
    interactive: bool | None | Unset = UNSET
    reason: MonitoringLogReasonType0 | None | Unset = UNSET
    escalated_at: datetime.datetime | None | Unset = UNSET
    severity: MonitoringLogSeverityType0 | None | Unset = UNSET
    author: None | str | Unset = UNSET
    transitions: list[Transition] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        patient = self.patient

        kind = self.kind.value

        status = self.status.value

        timestamp = self.timestamp.isoformat()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

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

        interactive: bool | None | Unset
        if isinstance(self.interactive, Unset):
            interactive = UNSET
        else:
            interactive = self.interactive

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, MonitoringLogReasonType0):
            reason = self.reason.value
        else:
            reason = self.reason

        escalated_at: None | str | Unset
        if isinstance(self.escalated_at, Unset):
            escalated_at = UNSET
        elif isinstance(self.escalated_at, datetime.datetime):
            escalated_at = self.escalated_at.isoformat()
        else:
            escalated_at = self.escalated_at

        severity: None | str | Unset
        if isinstance(self.severity, Unset):
            severity = UNSET
        elif isinstance(self.severity, MonitoringLogSeverityType0):
            severity = self.severity.value
        else:
            severity = self.severity

        author: None | str | Unset
        if isinstance(self.author, Unset):
            author = UNSET
        else:
            author = self.author

        transitions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.transitions, Unset):
            transitions = []
            for transitions_item_data in self.transitions:
                transitions_item = transitions_item_data.to_dict()
                transitions.append(transitions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "patient": patient,
                "kind": kind,
                "status": status,
                "timestamp": timestamp,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if note is not UNSET:
            field_dict["note"] = note
        if duration_minutes is not UNSET:
            field_dict["durationMinutes"] = duration_minutes
        if interactive is not UNSET:
            field_dict["interactive"] = interactive
        if reason is not UNSET:
            field_dict["reason"] = reason
        if escalated_at is not UNSET:
            field_dict["escalatedAt"] = escalated_at
        if severity is not UNSET:
            field_dict["severity"] = severity
        if author is not UNSET:
            field_dict["author"] = author
        if transitions is not UNSET:
            field_dict["transitions"] = transitions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transition import Transition  # noqa: PLC0415

        d = dict(src_dict)
        object_id = d.pop("objectId")

        patient = d.pop("patient")

        kind = MonitoringLogKind(d.pop("kind"))

        status = MonitoringLogStatus(d.pop("status"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

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

        def _parse_interactive(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        interactive = _parse_interactive(d.pop("interactive", UNSET))

        def _parse_reason(data: object) -> MonitoringLogReasonType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = MonitoringLogReasonType0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MonitoringLogReasonType0 | None | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_escalated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                escalated_at_type_0 = datetime.datetime.fromisoformat(data)

                return escalated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        escalated_at = _parse_escalated_at(d.pop("escalatedAt", UNSET))

        def _parse_severity(data: object) -> MonitoringLogSeverityType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                severity_type_0 = MonitoringLogSeverityType0(data)

                return severity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MonitoringLogSeverityType0 | None | Unset, data)

        severity = _parse_severity(d.pop("severity", UNSET))

        def _parse_author(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        author = _parse_author(d.pop("author", UNSET))

        _transitions = d.pop("transitions", UNSET)
        transitions: list[Transition] | Unset = UNSET
        if _transitions is not UNSET:
            transitions = []
            for transitions_item_data in _transitions:
                transitions_item = Transition.from_dict(transitions_item_data)

                transitions.append(transitions_item)

        monitoring_log = cls(
            object_id=object_id,
            patient=patient,
            kind=kind,
            status=status,
            timestamp=timestamp,
            created_at=created_at,
            updated_at=updated_at,
            data=data,
            note=note,
            duration_minutes=duration_minutes,
            interactive=interactive,
            reason=reason,
            escalated_at=escalated_at,
            severity=severity,
            author=author,
            transitions=transitions,
        )

        monitoring_log.additional_properties = d
        return monitoring_log

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
