"""Threshold rules, monitoring logs, alerts across a clinician's patients, and the alert inbox upkeep."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from rpm_core.auth import Principal
from rpm_core.clock import iso, now_iso
from rpm_core.data import care_teams as team_store
from rpm_core.data import device_data as reading_store
from rpm_core.data import monitoring as log_store
from rpm_core.data import watches as watch_store
from rpm_core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from rpm_core.models.monitoring import (
    ALERT_NEXT,
    MonitoringLog,
    MonitoringLogCreate,
    MonitoringLogUpdate,
    ThresholdRule,
    ThresholdRules,
    Thresholds,
)
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import reads, time_range
from rpm_core.services.access import PatientGrant, Relation, patient_grant, require_staff


def monitoring_log(item: dict[str, Any]) -> MonitoringLog:
    return MonitoringLog(
        objectId=item["logId"],
        patient=item["patientId"],
        data=item.get("dataId"),
        author=item.get("authorId"),
        **{
            k: v
            for k, v in item.items()
            if k in MonitoringLog.model_fields and k not in {"objectId", "patient", "data", "author"}
        },
    )


def get_thresholds(principal: Principal, patient_id: str) -> Thresholds:
    reads.of_patient(patient_grant(principal, patient_id), "Threshold")  # the rules have no ids of their own
    item = log_store.get_rules(patient_id) or {}
    return Thresholds(
        patient=patient_id,
        rules=[ThresholdRule.model_validate(rule) for rule in item.get("rules", [])],
        noDataHours=item.get("noDataHours"),
        escalateAfterMinutes=item.get("escalateAfterMinutes"),
        updatedAt=item.get("updatedAt"),
        updatedBy=item.get("updatedBy"),
    )


def put_thresholds(principal: Principal, patient_id: str, request: ThresholdRules, request_id: str) -> Thresholds:
    patient_grant(principal, patient_id).require_write()
    rules = [rule.model_dump(mode="json", exclude_none=True) for rule in request.rules]
    stamp = updated(Actor(principal.user_id, request_id))
    settings = {"noDataHours": request.noDataHours, "escalateAfterMinutes": request.escalateAfterMinutes}
    log_store.put_rules({"patientId": patient_id, "rules": rules, **{k: v for k, v in settings.items() if v}, **stamp})
    watch_store.configure(patient_id, request.noDataHours, request.escalateAfterMinutes, since=stamp["updatedAt"])
    return Thresholds(
        patient=patient_id, rules=request.rules, **settings, updatedAt=stamp["updatedAt"], updatedBy=principal.user_id
    )


def list_logs(
    principal: Principal,
    patient_id: str,
    *,
    kind: str | None,
    status: str | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[MonitoringLog], str | None]:
    grant = patient_grant(principal, patient_id, shared=True)
    first, last = time_range.inclusive(start, end)
    page = log_store.list_logs(
        patient_id,
        kind=kind,
        status=status,
        start=first,
        end=last,
        limit=limit,
        cursor=cursor,
        scope=f"monitoring-logs|{principal.user_id}|{patient_id}|{kind}|{status}|{first}|{last}",
    )
    logs = [monitoring_log(item) for item in page.items]
    reads.of_patient(grant, "MonitoringLog", (log.objectId for log in logs))
    return logs, page.next_cursor


def _require_care_team(grant: PatientGrant) -> None:
    if grant.relation is not Relation.CARE_TEAM:
        raise Forbidden("Only the patient's care team may record monitoring.")


def create_log(principal: Principal, patient_id: str, request: MonitoringLogCreate, request_id: str) -> MonitoringLog:
    _require_care_team(patient_grant(principal, patient_id))
    if request.data is not None:
        reading = reading_store.latest(request.data)
        if reading is None or reading["patientId"] != patient_id:
            raise ValidationFailed(
                "The request is not valid.",
                errors=[{"loc": ["body", "data"], "msg": "no reading of this patient has this id", "type": "value"}],
            )
    at = iso(request.timestamp) if request.timestamp else now_iso()
    item = {
        "logId": str(uuid.uuid4()),
        "patientId": patient_id,
        "dataId": request.data,
        "kind": request.kind,
        "status": "recorded",
        "timestamp": at,
        "note": request.note,
        "durationMinutes": request.durationMinutes,
        "interactive": request.interactive,
        "authorId": principal.user_id,
        **created(Actor(principal.user_id, request_id)),
    }
    log_store.put_log(item)
    return monitoring_log({k: v for k, v in item.items() if v is not None})


def update_log(
    principal: Principal, patient_id: str, log_id: str, request: MonitoringLogUpdate, request_id: str
) -> MonitoringLog:
    """Alerts move open → acknowledged → resolved, one step at a time; anything else is a 409."""
    _require_care_team(patient_grant(principal, patient_id))
    item = log_store.get_log(log_id)
    if item is None or item["patientId"] != patient_id:
        raise NotFound(f"Monitoring log {log_id} was not found.")
    if item["kind"] != "alert":
        raise Conflict("Only alerts change status.")
    if ALERT_NEXT.get(item["status"]) != request.status:
        raise Conflict(f"An alert that is {item['status']} cannot become {request.status}.")
    stamp = updated(Actor(principal.user_id, request_id))
    step = {"status": request.status, "author": principal.user_id, "at": stamp["updatedAt"]}
    try:
        changed = log_store.transition(item, request.status, step, stamp)
    except log_store.StatusChanged as error:
        raise Conflict("The alert changed meanwhile; read it again.") from error
    log_store.set_inbox_status(changed, team_store.member_ids(patient_id))
    return monitoring_log(changed)


def list_alerts(
    principal: Principal, *, status: str, severity: str | None, limit: int, cursor: str | None
) -> tuple[list[MonitoringLog], str | None]:
    """Alerts across the caller's patients, newest first, in O(page): the admin's from the alert
    indexes, a clinician's from their inbox (checked against their seats in the same read)."""
    require_staff(principal)
    scope = f"alerts|{principal.user_id}|{principal.role}|{status}|{severity}"
    if principal.is_admin:
        page = log_store.list_all_alerts(status=status, severity=severity, limit=limit, cursor=cursor, scope=scope)
        return _alerts_seen(principal, page.items), page.next_cursor
    entries = log_store.list_inbox(
        principal.user_id, status=status, severity=severity, limit=limit, cursor=cursor, scope=scope
    )
    alerts = log_store.alerts_on_team(principal.user_id, entries.items)
    return _alerts_seen(principal, [item for item in alerts if item["status"] == status]), entries.next_cursor


def _alerts_seen(principal: Principal, items: list[dict[str, Any]]) -> list[MonitoringLog]:
    alerts = [monitoring_log(item) for item in items]
    reads.across_patients(principal, "MonitoringLog", ((alert.patient, alert.objectId) for alert in alerts))
    return alerts


def clinician_joined(patient_id: str, clinician_id: str) -> None:
    """Called when a clinician is put on a care team: the patient's alerts reach their inbox."""
    log_store.copy_alerts_to(clinician_id, patient_id)


def clinician_left(patient_id: str, clinician_id: str) -> None:
    """Called when a clinician is taken off a care team: the patient's alerts leave their inbox."""
    log_store.clear_inbox(clinician_id, patient_id)
