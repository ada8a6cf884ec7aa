"""Patient profiles and care teams."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, SerializerFunctionWrapHandler, StringConstraints, model_serializer

from rpm_core.models.common import (
    Email,
    Identifier,
    PastDate,
    RequestModel,
    ResponseModel,
    Text,
    Timestamp,
    TimeZoneName,
)

MedicalRecordNumber = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._/-]+$")]


class Contact(RequestModel):
    phone: Annotated[str, StringConstraints(max_length=32, pattern=r"^\+?[0-9 ()./-]{3,32}$")] | None = None
    email: Email | None = None
    address: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None


class ContactDetails(ResponseModel):
    phone: str | None = None
    email: str | None = None
    address: str | None = None

    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The members that were given: absent ones are left out, not null."""
        return {name: value for name, value in handler(self).items() if value is not None}


DEFAULT_TIME_ZONE = "UTC"


class PatientCreate(RequestModel):
    user: Identifier | None = Field(default=None, description="User id of the patient's account")
    medicalRecordNumber: MedicalRecordNumber | None = Field(
        default=None,
        description="Assigned by staff: required when an admin or clinician creates the profile; a patient "
        "creating their own sends none (403 otherwise) and the profile has none until staff set it",
    )
    displayName: Text
    dateOfBirth: PastDate | None = None
    primaryClinic: Text | None = None
    contact: Contact | None = None
    timeZone: TimeZoneName = Field(default=DEFAULT_TIME_ZONE, description="IANA zone of the patient's calendar days")
    billingPractitioner: Identifier | None = Field(
        default=None, description="A clinician on the patient's care team (on create: the creating clinician)"
    )


class PatientUpdate(RequestModel):
    medicalRecordNumber: MedicalRecordNumber | None = None
    displayName: Text | None = None
    dateOfBirth: PastDate | None = None
    primaryClinic: Text | None = None
    contact: Contact | None = None
    timeZone: TimeZoneName | None = None
    billingPractitioner: Identifier | None = Field(
        default=None, description="A clinician on the patient's care team; null removes it"
    )
    isActive: bool | None = None


PATIENT_SELF_EDITABLE = frozenset({"contact", "displayName", "timeZone"})


class PatientProfile(ResponseModel):
    objectId: str
    user: str | None = None
    medicalRecordNumber: str | None = Field(default=None, description="null until staff assign it")
    displayName: str
    dateOfBirth: date | None = None
    primaryClinic: str | None = None
    contact: ContactDetails | None = None
    timeZone: str = DEFAULT_TIME_ZONE
    billingPractitioner: str | None = None
    isActive: bool
    createdAt: Timestamp
    updatedAt: Timestamp


class CareTeamMember(ResponseModel):
    clinician: str
    assignedAt: Timestamp
    assignedBy: str
