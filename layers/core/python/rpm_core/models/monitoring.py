"""Threshold rules, monitoring logs (alerts, reviews, notes, interactions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from rpm_core import clock
from rpm_core.models.common import Identifier, RequestModel, ResponseModel, StorableFloat, Timestamp
from rpm_core.models.devices import MEASURED_FIELDS, UNITS, DeviceType

Severity = Literal["low", "medium", "high"]
LogKind = Literal["alert", "review", "note", "interaction"]
LogStatus = Literal["open", "acknowledged", "resolved", "recorded"]
AlertStatus = Literal["open", "acknowledged", "resolved"]
AlertReason = Literal["threshold", "no_data"]
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
ALERT_NEXT: dict[str, str] = {"open": "acknowledged", "acknowledged": "resolved"}
"""An alert moves one step at a time: open → acknowledged → resolved."""
Limit = StorableFloat


class ThresholdRule(RequestModel):
    deviceType: DeviceType
    field: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    min: Limit | None = None
    max: Limit | None = None
    unit: str | None = Field(default=None, description="Where the device type has several units; else omitted")
    severity: Severity

    @model_validator(mode="after")
    def _consistent(self) -> ThresholdRule:
        if self.field not in MEASURED_FIELDS[self.deviceType]:
            raise ValueError(f"field must be one of {', '.join(MEASURED_FIELDS[self.deviceType])}")
        if self.min is None and self.max is None:
            raise ValueError("a rule needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        units = UNITS.get(self.deviceType)
        if units is None and self.unit is not None:
            raise ValueError(f"{self.deviceType} has a single unit: omit unit")
        if units is not None:
            if self.unit is None:
                self.unit = units[0]
            elif self.unit not in units:
                raise ValueError(f"unit must be one of {', '.join(units)}")
        return self


NoDataHours = Annotated[int, Field(ge=24, le=720, strict=True)]
EscalateAfterMinutes = Annotated[int, Field(ge=5, le=1440, strict=True)]


class ThresholdRules(RequestModel):
    rules: list[ThresholdRule] = Field(max_length=50)
    noDataHours: NoDataHours | None = Field(
        default=None, description="A no-data alert when no transmitted reading has arrived for this long"
    )
    escalateAfterMinutes: EscalateAfterMinutes | None = Field(
        default=None, description="An alert still open this long after it was raised is escalated"
    )


class Thresholds(ResponseModel):
    patient: str
    rules: list[ThresholdRule]
    noDataHours: int | None = None
    escalateAfterMinutes: int | None = None
    updatedAt: Timestamp | None = None
    updatedBy: str | None = None


LOG_MAX_AGE = timedelta(days=30)
LOG_MAX_AHEAD = timedelta(minutes=5)


def _log_window(value: datetime) -> datetime:
    """A log's time: at most 30 days back (time is not back-dated into a closed month), 5 minutes ahead."""
    now = clock.now()
    if value < now - LOG_MAX_AGE:
        raise ValueError("at most 30 days in the past")
    if value > now + LOG_MAX_AHEAD:
        raise ValueError("at most 5 minutes in the future")
    return value


LogTimestamp = Annotated[Timestamp, AfterValidator(_log_window)]


class MonitoringLogCreate(RequestModel):
    kind: Literal["review", "note", "interaction"]
    data: Identifier | None = Field(default=None, description="A DeviceData id of this patient")
    note: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None
    durationMinutes: Annotated[int, Field(ge=1, le=240, strict=True)] | None = None
    timestamp: LogTimestamp | None = Field(
        default=None, description="When it happened (default now): at most 30 days back and 5 minutes ahead"
    )
    interactive: Annotated[bool, Field(strict=True)] | None = Field(
        default=None,
        description="An interaction that was a real-time, two-way audio or video conversation with the patient",
    )

    @model_validator(mode="after")
    def _interaction_has_duration(self) -> MonitoringLogCreate:
        if self.kind == "interaction" and self.durationMinutes is None:
            raise ValueError("an interaction needs durationMinutes (1..240)")
        if self.interactive is not None and self.kind != "interaction":
            raise ValueError("only an interaction is interactive")
        return self


class MonitoringLogUpdate(RequestModel):
    status: AlertStatus


class Transition(ResponseModel):
    status: str
    author: str
    at: Timestamp


class MonitoringLog(ResponseModel):
    objectId: str
    patient: str
    data: str | None = None
    kind: LogKind
    status: LogStatus
    timestamp: Timestamp
    note: str | None = None
    durationMinutes: int | None = None
    interactive: bool | None = None
    reason: AlertReason | None = Field(default=None, description="Alerts: why it was raised")
    escalatedAt: Timestamp | None = Field(default=None, description="Alerts: when it was escalated (still open)")
    severity: Severity | None = None
    author: str | None = None
    transitions: list[Transition] = Field(default_factory=list, description="Who moved an alert, and when")
    createdAt: Timestamp
    updatedAt: Timestamp
