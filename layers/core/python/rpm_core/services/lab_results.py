"""Lab results: the care team writes; preliminary → final → amended…, or preliminary → cancelled.

Every change makes a new version (``version`` + 1) and keeps a snapshot of it, so that an amended
result's earlier values stay readable (``/versions``, oldest first, each with who changed it, in
which request and why). A change may name the version it was based on (``If-Match``): a stale
one is refused with 412.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rpm_core.auth import Principal
from rpm_core.data import attachments as attachment_store
from rpm_core.data import lab_results as store
from rpm_core.data import users as user_store
from rpm_core.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from rpm_core.models.clinical import LabResult, LabResultCreate, LabResultUpdate, LabResultVersion
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import reads
from rpm_core.services.access import patient_grant

TRANSITIONS: dict[str, frozenset[str]] = {
    "preliminary": frozenset({"preliminary", "final", "cancelled"}),
    "final": frozenset({"amended"}),
    "amended": frozenset({"amended"}),
    "cancelled": frozenset(),
}
"""Allowed status changes (a status to itself means editing the result without changing its status)."""
REQUIRED = ("testName", "status")
_ETAG = re.compile(r'^(?:W/)?(?:"(\d{1,10})"|(\d{1,10}))$')


def etag(result: LabResult) -> str:
    return f'"{result.version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version an ``If-Match`` header names; ``None`` when absent or ``*``. Anything else can match no
    version: 412."""
    if header is None or header.strip() == "*":
        return None
    found = _ETAG.match(header.strip())
    if not found:
        raise PreconditionFailed("If-Match names no version of this result: send the version (or ETag) you read.")
    return int(found.group(1) or found.group(2))


def _stored_value(value: Any) -> Any:
    return Decimal(str(value)) if isinstance(value, float) else value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "objectId": item["labResultId"],
        "patient": item["patientId"],
        **{name: _plain(value) for name, value in item.items() if name not in {"objectId", "patient"}},
        "version": int(item["version"]),
    }


def result(item: dict[str, Any]) -> LabResult:
    return LabResult.model_validate(_fields(item))


def _not_found(lab_result_id: str) -> NotFound:
    return NotFound(f"Lab result {lab_result_id} was not found.")


def _invalid(loc: list[str | int], msg: str) -> dict[str, Any]:
    return {"loc": ["body", *loc], "msg": msg, "type": "value_error"}


def _check_references(patient_id: str, changes: dict[str, Any]) -> None:
    """``orderedBy`` names an active clinician; ``attachments`` are this patient's, each available (uploaded and
    checked), none twice. Only what the request sends is checked (one read each)."""
    errors = []
    ordered_by = changes.get("orderedBy")
    if ordered_by is not None:
        user = user_store.get_user(ordered_by)
        if user is None or user.get("role") != "clinician" or user.get("status") != "active":
            errors.append(_invalid(["orderedBy"], "not an active clinician"))
    attachment_ids: list[str] = changes.get("attachments") or []
    found = attachment_store.get_attachments(attachment_ids)
    for index, attachment_id in enumerate(attachment_ids):
        item = found.get(attachment_id)
        if item is None or item.get("patientId") != patient_id:
            errors.append(_invalid(["attachments", index], "not an attachment of this patient"))
        elif item.get("status") != "available":
            errors.append(_invalid(["attachments", index], f"the attachment is {item.get('status')}, not available"))
    if len(set(attachment_ids)) != len(attachment_ids):
        errors.append(_invalid(["attachments"], "an attachment is listed twice"))
    if errors:
        raise ValidationFailed("The request is not valid.", errors=errors)


def create(principal: Principal, patient_id: str, request: LabResultCreate, request_id: str) -> LabResult:
    patient_grant(principal, patient_id).require_write()
    _check_references(patient_id, request.model_dump(include={"orderedBy", "attachments"}))
    stamp = created(Actor(principal.user_id, request_id))
    item: dict[str, Any] = {
        "patientId": patient_id,
        "labResultId": str(uuid.uuid4()),
        **{name: _stored_value(value) for name, value in request.model_dump(mode="json", exclude_none=True).items()},
        "version": 1,
        **stamp,
    }
    if request.status == "final":
        item["publishedAt"] = stamp["createdAt"]
    try:
        store.create(item)
    except store.LabResultExists as error:  # a fresh uuid: only a retried request could collide
        raise Conflict("This lab result already exists.") from error
    return result(item)


def get(principal: Principal, patient_id: str, lab_result_id: str) -> LabResult:
    grant = patient_grant(principal, patient_id, shared=True)
    item = store.get(patient_id, lab_result_id)
    if item is None:
        raise _not_found(lab_result_id)
    found = result(item)
    reads.of_patient(grant, "LabResult", [found.objectId])
    return found


def list_results(
    principal: Principal,
    patient_id: str,
    *,
    limit: int,
    cursor: str | None,
    keep: Callable[[LabResult], bool] | None = None,
) -> tuple[list[LabResult], str | None]:
    """``keep``: of the page's results, those a narrower view shows (FHIR's code and date): still one Query per
    page, and only the kept ones are noted as seen."""
    grant = patient_grant(principal, patient_id, shared=True)
    page = store.list_results(
        patient_id, limit=limit, cursor=cursor, scope=f"lab-results|{principal.user_id}|{patient_id}"
    )
    results = [found for found in (result(item) for item in page.items) if keep is None or keep(found)]
    reads.of_patient(grant, "LabResult", (found.objectId for found in results))
    return results, page.next_cursor


def versions(
    principal: Principal, patient_id: str, lab_result_id: str, *, limit: int, cursor: str | None
) -> tuple[list[LabResultVersion], str | None]:
    grant = patient_grant(principal, patient_id, shared=True)
    page = store.list_versions(
        patient_id,
        lab_result_id,
        limit=limit,
        cursor=cursor,
        scope=f"lab-result-versions|{principal.user_id}|{patient_id}|{lab_result_id}",
    )
    if not page.items and cursor is None:  # every result has version 1
        raise _not_found(lab_result_id)
    found = [LabResultVersion.model_validate(_fields(item)) for item in page.items]
    reads.of_patient(grant, "LabResult", (version.objectId for version in found))  # one result, many versions
    return found, page.next_cursor


def _required_removed(changes: dict[str, Any]) -> None:
    removed = [name for name in REQUIRED if name in changes and changes[name] is None]
    if removed:
        raise ValidationFailed(
            "The request is not valid.",
            errors=[
                {"loc": ["body", name], "msg": "this field cannot be removed", "type": "required"} for name in removed
            ],
        )


def update(
    principal: Principal,
    patient_id: str,
    lab_result_id: str,
    request: LabResultUpdate,
    request_id: str,
    *,
    if_match: str | None = None,
) -> LabResult:
    patient_grant(principal, patient_id).require_write()
    expected = parse_if_match(if_match)
    current = store.get(patient_id, lab_result_id)
    if current is None:
        raise _not_found(lab_result_id)
    version = int(current["version"])
    if expected is not None and expected != version:
        raise PreconditionFailed(f"The result is at version {version}, not {expected}: read it again.")
    changes = request.model_dump(mode="json", exclude_unset=True, exclude={"reason"})
    _required_removed(changes)
    status = changes.pop("status", current["status"])
    field_changes = {
        name: _stored_value(value) for name, value in changes.items() if _stored_value(value) != current.get(name)
    }
    if not field_changes and status == current["status"] and request.reason is None:
        return result(current)  # nothing to change: no new version
    _check_references(patient_id, field_changes)
    if status not in TRANSITIONS[current["status"]]:
        hint = " (a final result changes only by an amendment: status amended, with a reason)"
        raise Conflict(
            f"A {current['status']} lab result cannot become {status}"
            + (hint if current["status"] == "final" else "")
            + "."
        )
    if status == "amended" and not request.reason:
        raise ValidationFailed(
            "An amendment needs a reason.",
            errors=[{"loc": ["body", "reason"], "msg": "required for an amendment", "type": "missing"}],
        )
    stamp = updated(Actor(principal.user_id, request_id))
    item = {name: value for name, value in {**current, **field_changes}.items() if value is not None}
    item.pop("reason", None)  # a reason belongs to the version it explains
    item |= {"status": status, "version": version + 1, **stamp}
    if request.reason:
        item["reason"] = request.reason
    if status == "final":
        item["publishedAt"] = stamp["updatedAt"]
    try:
        store.replace(item, expected_version=version)
    except store.LabResultChanged as error:
        if expected is not None:
            raise PreconditionFailed("The result changed meanwhile: read it again.") from error
        raise Conflict("The result changed meanwhile: read it again and retry.") from error
    return result(item)
