"""Clinical records: lab results, treatment plans and appointments."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from rpm_core.models.common import (
    CalendarDate,
    Identifier,
    RequestModel,
    ResponseModel,
    StorableFloat,
    StorableInt,
    Text,
    Timestamp,
)

LongText = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
"""Free text over several lines (plan details)."""
Reason = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
ResultValue = StorableInt | StorableFloat | Text
"""A number, or text for results that are not numeric ("positive", "<0.01")."""
Attachments = Annotated[list[Identifier], Field(max_length=20)]

# --- lab results ---------------------------------------------------------------------------------

LabStatus = Literal["preliminary", "final", "amended", "cancelled"]


class LabResultCreate(RequestModel):
    orderedBy: Identifier | None = Field(default=None, description="User id of the ordering clinician")
    testCode: Identifier | None = Field(default=None, description="e.g. a LOINC code")
    testName: Text
    resultValue: ResultValue | None = None
    units: Text | None = None
    referenceRange: Text | None = None
    status: Literal["preliminary", "final"] = "preliminary"
    attachments: Attachments | None = None


class LabResultUpdate(RequestModel):
    orderedBy: Identifier | None = None
    testCode: Identifier | None = None
    testName: Text | None = None
    resultValue: ResultValue | None = None
    units: Text | None = None
    referenceRange: Text | None = None
    status: LabStatus | None = Field(
        default=None,
        description="preliminary → final | cancelled; final → amended; amended → amended. A final or amended "
        "result changes only by an amendment, which needs a reason.",
    )
    reason: Reason | None = Field(default=None, description="Why the result changes (required for an amendment)")
    attachments: Attachments | None = None


class LabResult(ResponseModel):
    objectId: str
    patient: str
    orderedBy: str | None = None
    testCode: str | None = None
    testName: str
    resultValue: int | float | str | None = None
    units: str | None = None
    referenceRange: str | None = None
    status: LabStatus
    publishedAt: Timestamp | None = None
    attachments: list[str] | None = None
    version: int = Field(description="Starts at 1; send it back as If-Match to change the result")
    reason: str | None = None
    createdBy: str
    updatedBy: str
    createdAt: Timestamp
    updatedAt: Timestamp


class LabResultVersion(LabResult):
    """The result as it was after one change, with who made the change and in which request."""

    requestId: str


# --- treatment plans -----------------------------------------------------------------------------

PlanStatus = Literal["draft", "active", "completed", "cancelled"]


def _dates_in_order(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError("endDate is before startDate")


class TreatmentPlanCreate(RequestModel):
    summary: Text
    details: LongText | None = None
    status: Literal["draft", "active"] = "draft"
    startDate: CalendarDate | None = None
    endDate: CalendarDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _dates_in_order(self.startDate, self.endDate)
        return self


class TreatmentPlanUpdate(RequestModel):
    summary: Text | None = None
    details: LongText | None = None
    status: PlanStatus | None = Field(
        default=None,
        description="draft → active | cancelled; active → completed | cancelled. Activating a plan completes "
        "the patient's previously active plan.",
    )
    startDate: CalendarDate | None = None
    endDate: CalendarDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _dates_in_order(self.startDate, self.endDate)
        return self


class TreatmentPlan(ResponseModel):
    objectId: str
    patient: str
    createdBy: str
    summary: str
    details: str | None = None
    status: PlanStatus
    startDate: date | None = None
    endDate: date | None = None
    updatedBy: str
    createdAt: Timestamp
    updatedAt: Timestamp


# --- appointments --------------------------------------------------------------------------------

AppointmentStatus = Literal["scheduled", "completed", "cancelled", "no_show"]
MIN_APPOINTMENT = timedelta(minutes=5)
MAX_APPOINTMENT = timedelta(hours=8)


def _on_the_minute(value: datetime) -> datetime:
    if value.second or value.microsecond:
        raise ValueError("appointments start and end on a whole minute (no seconds)")
    return value


Minute = Annotated[Timestamp, Field(description="ISO 8601 with an offset, on a whole minute")]


def check_span(start: datetime, end: datetime) -> None:
    """``endAt`` after ``startAt``, both on a whole minute, 5 to 480 minutes long."""
    _on_the_minute(start)
    _on_the_minute(end)
    if end <= start:
        raise ValueError("endAt must be after startAt")
    if end - start < MIN_APPOINTMENT:
        raise ValueError("an appointment lasts at least 5 minutes")
    if end - start > MAX_APPOINTMENT:
        raise ValueError("an appointment lasts at most 8 hours (480 minutes)")


class AppointmentCreate(RequestModel):
    provider: Identifier | None = Field(
        default=None, description="User id of an approved clinician on the care team; defaults to a clinician caller"
    )
    startAt: Minute
    endAt: Minute
    location: Text | None = None
    reason: Reason | None = None
    status: Literal["scheduled"] = Field(default="scheduled", description="The only initial state")

    @model_validator(mode="after")
    def _span(self) -> Self:
        check_span(self.startAt, self.endAt)
        return self


class AppointmentUpdate(RequestModel):
    provider: Identifier | None = None
    startAt: Minute | None = None
    endAt: Minute | None = None
    location: Text | None = None
    reason: Reason | None = None
    status: AppointmentStatus | None = Field(
        default=None,
        description="scheduled → completed | cancelled | no_show; cancelled and no_show free the provider's time",
    )


class Appointment(ResponseModel):
    objectId: str
    patient: str
    provider: str
    startAt: Timestamp
    endAt: Timestamp
    location: str | None = None
    status: AppointmentStatus
    reason: str | None = None
    createdBy: str
    updatedBy: str
    createdAt: Timestamp
    updatedAt: Timestamp
