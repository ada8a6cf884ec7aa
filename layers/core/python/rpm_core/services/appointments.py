"""Appointments: the care team (or an admin) books a patient with a provider.

The provider is an approved clinician on the patient's care team (checked inside the booking's
transaction); a clinician who books without naming one is the provider, an admin must name one.
Appointments start and end on a whole minute, last 5 to 480 minutes, and never overlap for one
provider, also when bookings race (the provider's schedule version, see ``rpm_core.data.appointments``).
Status: scheduled → completed | cancelled | no_show (final). Cancelled and no-show appointments
free their time; a scheduled one may move (times, provider), which moves its booking.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from rpm_core.auth import Principal
from rpm_core.clock import iso
from rpm_core.data import appointments as store
from rpm_core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from rpm_core.models.clinical import Appointment, AppointmentCreate, AppointmentUpdate, check_span
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import reads
from rpm_core.services.access import patient_grant

TRANSITIONS: dict[str, frozenset[str]] = {
    "scheduled": frozenset({"scheduled", "completed", "cancelled", "no_show"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
    "no_show": frozenset(),
}
HOLDS_TIME = frozenset({"scheduled", "completed"})
"""A completed appointment used the provider's time; a cancelled or missed one gives it back."""
REQUIRED = ("provider", "startAt", "endAt", "status")


def appointment(item: dict[str, Any]) -> Appointment:
    return Appointment.model_validate(
        {
            "objectId": item["appointmentId"],
            "patient": item["patientId"],
            "provider": item["providerId"],
            **{name: value for name, value in item.items() if name not in {"objectId", "patient", "provider"}},
        }
    )


def _invalid(loc: str, message: str, kind: str = "value_error") -> ValidationFailed:
    return ValidationFailed("The request is not valid.", errors=[{"loc": ["body", loc], "msg": message, "type": kind}])


def _held(item: dict[str, Any]) -> store.Booking | None:
    """The provider's time the appointment holds, if any."""
    if item["status"] not in HOLDS_TIME:
        return None
    start, end = datetime.fromisoformat(item["startAt"]), datetime.fromisoformat(item["endAt"])
    return store.Booking.of(item["providerId"], start, end)


def _store(action: Any) -> None:
    """Runs a storage change, turning its refusals into problems."""
    try:
        action()
    except store.SlotTaken as error:
        raise Conflict("The provider already has an appointment in that time.") from error
    except store.ProviderNotOnCareTeam as error:
        raise Conflict("The provider is not on the patient's care team.") from error
    except store.ProviderNotAClinician as error:
        raise Conflict("The provider is not an approved clinician.") from error
    except store.AppointmentChanged as error:
        raise Conflict("The appointment changed meanwhile: read it again.") from error
    except store.Contended as error:
        raise Conflict("The provider's schedule is busy with other changes: try again.") from error


def create(principal: Principal, patient_id: str, request: AppointmentCreate, request_id: str) -> Appointment:
    patient_grant(principal, patient_id).require_write()
    provider = request.provider or (principal.user_id if principal.is_clinician else None)
    if provider is None:
        raise _invalid("provider", "an admin names the provider (a clinician on the care team)", "missing")
    stamp = created(Actor(principal.user_id, request_id))
    item: dict[str, Any] = {
        "patientId": patient_id,
        "appointmentId": str(uuid.uuid4()),
        "providerId": provider,
        **request.model_dump(mode="json", exclude_none=True, exclude={"provider"}),
        "status": "scheduled",
        **stamp,
    }
    booking = store.Booking.of(provider, request.startAt, request.endAt)
    _store(lambda: store.create(item, booking, stamp=updated(Actor(principal.user_id, request_id), stamp["createdAt"])))
    return appointment(item)


def update(
    principal: Principal, patient_id: str, appointment_id: str, request: AppointmentUpdate, request_id: str
) -> Appointment:
    patient_grant(principal, patient_id).require_write()
    current = store.get(patient_id, appointment_id)
    if current is None:
        raise NotFound(f"Appointment {appointment_id} was not found.")
    changes = request.model_dump(mode="json", exclude_unset=True)
    removed = [name for name in REQUIRED if name in changes and changes[name] is None]
    if removed:
        raise _invalid(removed[0], "this field cannot be removed", "required")
    if "provider" in changes:
        changes["providerId"] = changes.pop("provider")
    status = changes.pop("status", current["status"])
    changes = {name: value for name, value in changes.items() if value != current.get(name)}
    if not changes and status == current["status"]:
        return appointment(current)
    if status not in TRANSITIONS[current["status"]]:
        raise Conflict(f"A {current['status']} appointment cannot become {status}.")
    after = {name: value for name, value in {**current, **changes}.items() if value is not None}
    after |= {"status": status}
    try:
        check_span(datetime.fromisoformat(after["startAt"]), datetime.fromisoformat(after["endAt"]))
    except ValueError as error:
        raise _invalid("startAt" if "startAt" in changes else "endAt", str(error)) from error
    stamp = updated(Actor(principal.user_id, request_id))
    after |= stamp
    _store(lambda: store.change(current, after, booked_before=_held(current), booked_after=_held(after), stamp=stamp))
    return appointment(after)


def _range(start_from: datetime | None, start_to: datetime | None) -> tuple[str | None, str | None]:
    if start_from and start_to and start_to <= start_from:
        raise ValidationFailed(
            "The request is not valid.",
            errors=[{"loc": ["query", "to"], "msg": "to must be after from", "type": "value_error"}],
        )
    return (iso(start_from) if start_from else None), (iso(start_to) if start_to else None)


def list_for_patient(
    principal: Principal,
    patient_id: str,
    *,
    start_from: datetime | None,
    start_to: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Appointment], str | None]:
    grant = patient_grant(principal, patient_id, shared=True)
    low, high = _range(start_from, start_to)
    page = store.list_for_patient(
        patient_id,
        start_from=low,
        start_to=high,
        limit=limit,
        cursor=cursor,
        scope=f"patient-appointments|{principal.user_id}|{patient_id}|{low}|{high}",
    )
    found = [appointment(item) for item in page.items]
    reads.of_patient(grant, "Appointment", (booking.objectId for booking in found))
    return found, page.next_cursor


def schedule(
    principal: Principal,
    *,
    provider: str | None,
    start_from: datetime | None,
    start_to: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Appointment], str | None]:
    """A provider's schedule: a clinician's own; an admin's, or any provider's an admin names."""
    if principal.is_clinician:
        if provider not in (None, principal.user_id):
            raise Forbidden("A clinician sees their own schedule only.")
        provider = principal.user_id
    elif principal.is_admin:
        provider = provider or principal.user_id
    else:
        raise Forbidden("Only clinicians and admins have schedules.")
    low, high = _range(start_from, start_to)
    page = store.list_for_provider(
        provider,
        start_from=low,
        start_to=high,
        limit=limit,
        cursor=cursor,
        scope=f"schedule|{principal.user_id}|{principal.role}|{provider}|{low}|{high}",
    )
    items = page.items
    if not principal.is_admin:  # a clinician taken off a care team no longer sees that patient's bookings
        visible = store.care_team_patients(principal.user_id, (item["patientId"] for item in items))
        items = [item for item in items if item["patientId"] in visible]
    found = [appointment(item) for item in items]
    reads.across_patients(principal, "Appointment", ((booking.patient, booking.objectId) for booking in found))
    return found, page.next_cursor
