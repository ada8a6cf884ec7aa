"""The scheduled watch: no-data alerts for quiet patients, escalation of alerts left open.

Each run reads the sparse due-time indexes only (``rpm_core.data.watches``): its cost follows the patients
and alerts that became due, not how many there are.

- No data: a patient with ``noDataHours`` from whom no transmitted reading has *arrived* (server receive
  time) for that long, and who has an active device, gets one open alert (``reason: "no_data"``); the next
  transmitted reading resolves it with a note (``reading_arrived``). A patient without an active device
  leaves the index until a reading, a thresholds change or a new device re-arms it.
- Escalation: an alert still open ``escalateAfterMinutes`` after it was raised gets ``escalatedAt``, once;
  the notifier announces ``alert.escalated`` to the care team and every admin. Acknowledging it first
  takes it out of the index.

The alerts are MonitoringLogs items: their changes are audited from the table's stream like every other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from rpm_core.clock import now_iso
from rpm_core.data import care_teams as team_store
from rpm_core.data import monitoring as log_store
from rpm_core.data import watches as watch_store
from rpm_core.provenance import Actor, created, updated

WATCH_ACTOR = "rpm-watch"
NO_DATA_SEVERITY = "medium"
_NO_DATA_IDS = uuid.UUID("2f0d8f5e-7c1b-4a43-9b8e-5a4d1c3e6f70")


@dataclass
class RunResult:
    due: int = 0
    raised: int = 0
    disarmed: int = 0
    escalated: int = 0


def no_data_alert_id(patient_id: str, due_at: str) -> str:
    """One alert per silence: a repeated run (or a retried invocation) names the same alert."""
    return str(uuid.uuid5(_NO_DATA_IDS, f"no-data#{patient_id}#{due_at}"))


def _no_data_alert(watch: dict[str, Any], moment: str, actor: Actor) -> dict[str, Any]:
    patient_id, due_at = str(watch["patientId"]), str(watch["dueAt"])
    log_id = no_data_alert_id(patient_id, due_at)
    last = watch.get("lastReceivedAt")
    since = f"since {last}" if last else f"since the watch began at {watch.get('watchSince') or 'its set-up'}"
    return {
        **log_store.escalation_keys(log_id, moment, watch.get("escalateAfterMinutes")),
        "logId": log_id,
        "patientId": patient_id,
        "kind": "alert",
        "reason": "no_data",
        "status": "open",
        "timestamp": moment,
        "severity": NO_DATA_SEVERITY,
        "note": f"No transmitted reading has arrived for {watch.get('noDataHours')} hours ({since}).",
        **created(actor, moment),
    }


def run(request_id: str, now: str | None = None) -> RunResult:
    """One tick: every silence and every escalation due at ``now``."""
    moment = now or now_iso()
    actor = Actor(WATCH_ACTOR, request_id, kind="system")
    result = RunResult()
    for watch in watch_store.due(moment):
        result.due += 1
        patient_id = str(watch["patientId"])
        if not watch_store.has_active_device(patient_id):
            watch_store.disarm(patient_id, str(watch["dueAt"]))
            result.disarmed += 1
            continue
        alert = _no_data_alert(watch, moment, actor)
        if watch_store.raise_no_data(alert, team_store.member_ids(patient_id), str(watch["dueAt"])):
            result.raised += 1
    for log_id in watch_store.escalations_due(moment):
        if log_store.escalate(log_id, updated(actor, moment)):
            result.escalated += 1
    return result


def reading_arrived(patient_id: str, alert_id: str, reading: dict[str, Any], request_id: str) -> None:
    """A transmitted reading arrived: the open no-data alert resolves, with a note naming the reading."""
    actor = Actor(str(reading.get("deviceId") or WATCH_ACTOR), request_id, kind="device")
    alert = log_store.get_log(alert_id)
    if alert is not None and alert["status"] in ("open", "acknowledged"):
        stamp = updated(actor)
        step = {"status": "resolved", "author": actor.id, "at": stamp["updatedAt"]}
        try:
            changed = log_store.transition(alert, "resolved", step, stamp)
        except log_store.StatusChanged:
            changed = None
        if changed is not None:
            log_store.set_inbox_status(changed, team_store.member_ids(patient_id))
            log_store.put_log(
                {
                    "logId": str(uuid.uuid5(_NO_DATA_IDS, f"resolved#{alert_id}")),
                    "patientId": patient_id,
                    "dataId": reading["dataId"],
                    "kind": "note",
                    "status": "recorded",
                    "timestamp": stamp["updatedAt"],
                    "note": f"A reading arrived at {reading['receivedAt']}: no-data alert {alert_id} resolved.",
                    **created(actor, stamp["updatedAt"]),
                }
            )
    watch_store.forget_alert(patient_id, alert_id)
