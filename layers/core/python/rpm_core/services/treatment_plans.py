"""Treatment plans: the care team writes; ``createdBy`` is the caller.

Status: draft → active | cancelled; active → completed | cancelled; completed and cancelled are
final (any change → 409). Summary, details and dates may change while a plan is a draft or active.
At most one plan per patient is active: activating a plan completes the previously active one in
the same transaction, through the patient's active-plan pointer (see ``rpm_core.data.treatment_plans``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from rpm_core.auth import Principal
from rpm_core.data import treatment_plans as store
from rpm_core.data.pagination import decode_cursor
from rpm_core.errors import Conflict, NotFound, ValidationFailed
from rpm_core.models.clinical import PlanStatus, TreatmentPlan, TreatmentPlanCreate, TreatmentPlanUpdate
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import reads
from rpm_core.services.access import PatientGrant, patient_grant

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"draft", "active", "cancelled"}),
    "active": frozenset({"active", "completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
"""Allowed status changes (a status to itself means editing the plan without changing its status)."""
REQUIRED = ("summary", "status")
ACTIVATION_ATTEMPTS = 5
"""Racing activations: each lost race means another activation committed; read the pointer again."""


def plan(item: dict[str, Any]) -> TreatmentPlan:
    return TreatmentPlan.model_validate(
        {
            "objectId": item["planId"],
            "patient": item["patientId"],
            **{name: value for name, value in item.items() if name not in {"objectId", "patient"}},
        }
    )


def _not_found(plan_id: str) -> NotFound:
    return NotFound(f"Treatment plan {plan_id} was not found.")


def _activate(attempt: Callable[[], None]) -> None:
    """Runs ``attempt`` (which reads the pointer, then writes) until no other activation raced it."""
    for _ in range(ACTIVATION_ATTEMPTS):
        try:
            attempt()
            return
        except store.ActivePlanMoved:
            continue
        except store.PlanChanged as error:
            raise Conflict("The treatment plan changed meanwhile: read it again.") from error
    raise Conflict("Other activations kept racing this one: read the plans again and retry.")


def create(principal: Principal, patient_id: str, request: TreatmentPlanCreate, request_id: str) -> TreatmentPlan:
    patient_grant(principal, patient_id).require_write()
    stamp = created(Actor(principal.user_id, request_id))
    item: dict[str, Any] = {
        "patientId": patient_id,
        "planId": str(uuid.uuid4()),
        **request.model_dump(mode="json", exclude_none=True),
        **stamp,
    }
    if request.status == "active":
        change_stamp = updated(Actor(principal.user_id, request_id), stamp["createdAt"])
        _activate(
            lambda: store.create_active(item, previous_plan_id=store.active_plan_id(patient_id), stamp=change_stamp)
        )
    else:
        try:
            store.create(item)
        except store.PlanChanged as error:  # a fresh uuid: only a retried request could collide
            raise Conflict("This treatment plan already exists.") from error
    return plan(item)


def get(principal: Principal, patient_id: str, plan_id: str) -> TreatmentPlan:
    grant = patient_grant(principal, patient_id, shared=True)
    item = store.get(patient_id, plan_id)
    if item is None:
        raise _not_found(plan_id)
    return _seen(grant, [plan(item)])[0]


def _seen(grant: PatientGrant, plans: list[TreatmentPlan]) -> list[TreatmentPlan]:
    reads.of_patient(grant, "TreatmentPlan", (found.objectId for found in plans))
    return plans


def list_plans(
    principal: Principal, patient_id: str, *, status: PlanStatus | None, limit: int, cursor: str | None
) -> tuple[list[TreatmentPlan], str | None]:
    grant = patient_grant(principal, patient_id, shared=True)
    scope = f"treatment-plans|{principal.user_id}|{patient_id}|{status or ''}"
    if status == "active":  # the pointer names it: one plan, strongly consistent, never a page of many
        if cursor:
            decode_cursor(cursor, scope)  # no cursor was ever issued for this list: a forged one is a 400
            return _seen(grant, []), None
        plan_id = store.active_plan_id(patient_id)
        item = store.get(patient_id, plan_id) if plan_id else None
        return _seen(grant, [plan(item)] if item else []), None
    page = store.list_plans(patient_id, status=status, limit=limit, cursor=cursor, scope=scope)
    return _seen(grant, [plan(item) for item in page.items]), page.next_cursor


def _invalid(errors: list[dict[str, Any]]) -> ValidationFailed:
    return ValidationFailed("The request is not valid.", errors=errors)


def _check(changes: dict[str, Any], current: dict[str, Any]) -> None:
    removed = [name for name in REQUIRED if name in changes and changes[name] is None]
    if removed:
        raise _invalid(
            [{"loc": ["body", n], "msg": "this field cannot be removed", "type": "required"} for n in removed]
        )
    start, end = (changes.get(name, current.get(name)) for name in ("startDate", "endDate"))
    if start and end and date.fromisoformat(end) < date.fromisoformat(start):
        raise _invalid([{"loc": ["body", "endDate"], "msg": "endDate is before startDate", "type": "value_error"}])


def update(
    principal: Principal, patient_id: str, plan_id: str, request: TreatmentPlanUpdate, request_id: str
) -> TreatmentPlan:
    patient_grant(principal, patient_id).require_write()
    current = store.get(patient_id, plan_id)
    if current is None:
        raise _not_found(plan_id)
    changes = request.model_dump(mode="json", exclude_unset=True)
    _check(changes, current)
    status = changes.pop("status", current["status"])
    changes = {name: value for name, value in changes.items() if value != current.get(name)}
    if not changes and status == current["status"]:
        return plan(current)
    if status not in TRANSITIONS[current["status"]]:
        raise Conflict(f"A {current['status']} treatment plan cannot become {status}.")
    stamp = updated(Actor(principal.user_id, request_id))
    changes |= {"status": status, **stamp}
    try:
        if current["status"] == "draft" and status == "active":
            _activate(
                lambda: store.activate(
                    patient_id, plan_id, changes, previous_plan_id=store.active_plan_id(patient_id), stamp=stamp
                )
            )
        elif current["status"] == "active" and status != "active":
            store.end_active(patient_id, plan_id, changes, stamp=stamp)
        else:
            return plan(store.update(patient_id, plan_id, changes, expected_status=current["status"]))
    except (store.PlanChanged, store.ActivePlanMoved) as error:
        raise Conflict("The treatment plan changed meanwhile: read it again.") from error
    return plan({**current, **changes})
