"""Shares (a patient lets a caregiver or an outside doctor read their records) and break-glass access."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rpm_core.models.common import Email, RequestModel, ResponseModel, Timestamp

ShareStatus = Literal["pending", "active", "revoked", "expired"]


class ShareCreate(RequestModel):
    email: Email = Field(description="Who may read: the signed-in user with this verified email")
    expiresAt: Timestamp = Field(description="When the share ends by itself (in the future)")


class Share(ResponseModel):
    objectId: str
    patient: str
    email: str
    grantee: str | None = Field(default=None, description="The user it became active for")
    status: ShareStatus
    expiresAt: Timestamp
    createdAt: Timestamp
    updatedAt: Timestamp


class BreakGlassRequest(RequestModel):
    reason: str = Field(min_length=10, max_length=1000, description="Why the clinician needs the records now")


class BreakGlass(ResponseModel):
    objectId: str
    patient: str
    clinician: str
    reason: str
    expiresAt: Timestamp
    createdAt: Timestamp
