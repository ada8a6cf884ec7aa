"""The RPM billing report: per patient, the month's device periods, management minutes and candidate codes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from rpm_core.models.common import ResponseModel, Timestamp

BillingCode = Literal["99453", "99445", "99454", "99470", "99457", "99458"]


class DevicePeriod(ResponseModel):
    start: date
    end: date
    daysWithTransmittedReadings: int
    complete: bool = Field(description="The period has ended (its last day lies before today in the patient's zone)")


class CandidateCode(ResponseModel):
    code: BillingCode
    units: int
    periodStart: date
    periodEnd: date
    evidence: list[str] = Field(description="The dates (device codes) or monitoring-log ids (management) it rests on")


class BillingItem(ResponseModel):
    patient: str
    timeZone: str
    billingPractitioner: str | None = None
    devicePeriods: list[DevicePeriod]
    managementMinutes: int
    interactiveContacts: int
    codes: list[CandidateCode]


class BillingReport(ResponseModel):
    month: str
    generatedAt: Timestamp
    items: list[BillingItem]
    nextCursor: str | None = None
