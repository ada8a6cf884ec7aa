"""Read entries of patient data: which patients' records an answer held, and their entries in the trail.

A route that returns patient data declares what it returns: ``route(..., reads="LabResult")``
(``rpm_core.api.docs``), kept in its OpenAPI entry as ``x-rpm-reads``. After a successful answer of
such a route the shared request path (``rpm_core.api.http.resolve_and_record``) calls ``record``, which
appends one ``read`` entry per patient whose data the answer holds (a single record: one entry; a list:
one entry per patient on the page, all in the same storage call) with the caller, the entity type and
ids, the request id and the source IP.

The patient comes from the path (``patientId``), else from the returned items (``patient``,
``patientId``, or the id of a returned patient profile), else from the visibility check the request
passed (``rpm_core.context.granted_patients``, noted by ``rpm_core.services.access.patient_grant``), e.g. a
thread's messages. The entries join the trail's chains with one write (``audit_chain.append``: one
PutItem, or one TransactWriteItems for a page of several patients); if that write fails the request
path withholds the answer (500): no patient data leaves without its read being recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rpm_core.auth import Principal
from rpm_core.services import audit, audit_chain

ID_FIELDS = ("objectId", "userId", "clinician", "attachmentId", "threadId", "messageId")


def _body(result: dict[str, Any]) -> Any:
    body = result.get("body")
    if not body or result.get("isBase64Encoded"):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def _item_id(item: dict[str, Any]) -> str | None:
    for name in ID_FIELDS:
        if item.get(name):
            return str(item[name])
    return None


def _item_patient(item: dict[str, Any], entity: str) -> str | None:
    found = item.get("patient") or item.get("patientId") or (item.get("objectId") if entity == "Patient" else None)
    return str(found) if found else None


def read_groups(body: Any, entity: str, path_patient: str | None, granted: list[str]) -> dict[str, list[str]]:
    """Patient → ids of the ``entity`` records of that patient the answer holds."""
    items: list[Any]
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        items = body["items"]
    elif isinstance(body, list):
        items = body
    elif isinstance(body, dict):
        items = [body]
    else:
        items = []
    fallback = path_patient or (granted[0] if len(granted) == 1 else None)
    groups: dict[str, list[str]] = {}
    if body is None and not path_patient and len(granted) > 1:  # not JSON (a CSV page): every patient it covers
        return {patient: [] for patient in granted}
    if fallback and not items:  # an empty list of one patient's records still tells something about them
        groups[fallback] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        patient = path_patient or _item_patient(item, entity) or fallback
        if patient is None:
            continue  # not attributable to a patient (a staff account): not patient data
        ids = groups.setdefault(patient, [])
        item_id = _item_id(item)
        if item_id and item_id not in ids:
            ids.append(item_id)
    return groups


Append = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def record(
    event: dict[str, Any],
    result: dict[str, Any],
    entity: str,
    granted: list[str],
    caller: Principal,
    append: Append | None = None,
) -> list[dict[str, Any]]:
    """Appends the read entries of one answer; returns them (none when it held no patient's data)."""
    path_patient = (event.get("pathParameters") or {}).get("patientId")
    groups = read_groups(_body(result), entity, path_patient, granted)
    http = (event.get("requestContext") or {}).get("http") or {}
    request_id = str((event.get("requestContext") or {}).get("requestId") or "") or None
    route = str(event.get("routeKey", ""))
    entries = []
    for patient, ids in groups.items():
        entity_id = ids[0] if len(ids) == 1 else patient
        entries.append(
            audit.new_entry(
                action="read",
                actor=caller.user_id,
                entity_type=entity,
                entity_id=entity_id,
                summary=f"{len(ids) or 'no'} {entity} record(s) of patient {patient} read via {route}",
                patient_id=patient,
                request_id=request_id,
                source_ip=http.get("sourceIp"),
                metadata={"route": route, "entityIds": ids},
            )
        )
    stored: list[dict[str, Any]] = []
    for start in range(0, len(entries), 100):  # a page holds at most 100 items: one call
        stored += (append or audit_chain.append)(entries[start : start + 100])
    return stored
