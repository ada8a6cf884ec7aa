"""Patients table: one profile per patient; uniqueness of MRN and of the linked user."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import batch_get, cancellation_codes, is_conditional_failure, update_expression
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.request_reads import KeyRead, get_by_key, read_together, was_prefetched
from rpm_core.data.tables import CARE_TEAMS, PATIENT_GRANTS, PATIENTS, UNIQUE_KEYS, USERS

PATIENT_KIND = "patient"
_LINKABLE_PATIENT_USER = "attribute_exists(userId) AND #role = :patient AND attribute_not_exists(patientId)"


class DuplicateMedicalRecordNumber(Exception):
    pass


class UserAlreadyHasProfile(Exception):
    pass


class UserNotAPatient(Exception):
    pass


class PatientMissing(Exception):
    pass


def _mrn_key(mrn: str) -> str:
    # hashed: unique keys never carry the MRN itself
    return "patient-mrn#" + hashlib.sha256(mrn.strip().casefold().encode()).hexdigest()


def _user_key(user_id: str) -> str:
    return "patient-user#" + user_id


def _claim(unique_key: str, owner: str) -> dict[str, Any]:
    return {
        "Put": {
            "TableName": table(UNIQUE_KEYS).name,
            "Item": {"uniqueKey": unique_key, "owner": owner},
            "ConditionExpression": "attribute_not_exists(uniqueKey)",
        }
    }


def create_patient(item: dict[str, Any], *, care_team_member: dict[str, Any] | None = None) -> None:
    """Writes the profile, its MRN claim, the user link and the creator's care-team seat atomically."""
    patient_id = item["patientId"]
    operations: list[tuple[str, dict[str, Any]]] = [
        (
            "patient",
            {
                "Put": {
                    "TableName": table(PATIENTS).name,
                    "Item": {**item, "kind": PATIENT_KIND},
                    "ConditionExpression": "attribute_not_exists(patientId)",
                }
            },
        ),
    ]
    if item.get("medicalRecordNumber"):  # a patient's own profile has none until staff set it
        operations.append(("mrn", _claim(_mrn_key(item["medicalRecordNumber"]), patient_id)))
    user_id = item.get("userId")
    if user_id:
        operations.append(("user-claim", _claim(_user_key(user_id), patient_id)))
        operations.append(
            (
                "user-link",
                {
                    "Update": {
                        "TableName": table(USERS).name,
                        "Key": {"userId": user_id},
                        # stamped like every write, so that the audit entry of this change names its actor
                        "UpdateExpression": "SET patientId = :p, updatedAt = :at, updatedBy = :by, "
                        "actorKind = :kind, requestId = :request",
                        "ConditionExpression": _LINKABLE_PATIENT_USER,
                        "ExpressionAttributeNames": {"#role": "role"},
                        "ExpressionAttributeValues": {
                            ":p": patient_id,
                            ":patient": "patient",
                            ":at": item["createdAt"],
                            ":by": item["createdBy"],
                            ":kind": item.get("actorKind", "user"),
                            ":request": item["requestId"],
                        },
                    }
                },
            )
        )
    if care_team_member:
        operations.append(
            (
                "care-team",
                {
                    "Put": {
                        "TableName": table(CARE_TEAMS).name,
                        "Item": care_team_member,
                    }
                },
            )
        )
    try:
        dynamodb_client().transact_write_items(TransactItems=[operation for _, operation in operations])
    except ClientError as error:
        codes = cancellation_codes(error)
        failed = {name for (name, _), code in zip(operations, codes, strict=False) if code == "ConditionalCheckFailed"}
        if "mrn" in failed:
            raise DuplicateMedicalRecordNumber from error
        if "user-claim" in failed:
            raise UserAlreadyHasProfile from error
        if "user-link" in failed:
            raise UserNotAPatient from error
        raise


def get_patient(patient_id: str) -> dict[str, Any] | None:
    key = {"patientId": patient_id}
    return get_by_key(PATIENTS, key, lambda: table(PATIENTS).get_item(Key=key).get("Item"))


def visibility_reads(patient_id: str, user_id: str) -> tuple[KeyRead, KeyRead, KeyRead]:
    """What deciding a caller's relation to a patient reads: the profile, the caller's care-team seat and the
    caller's grant beyond the care team (a share, a break-glass window: ``PatientGrants``)."""
    return (
        KeyRead(PATIENTS, {"patientId": patient_id}),
        KeyRead(CARE_TEAMS, {"patientId": patient_id, "clinicianId": user_id}),
        KeyRead(PATIENT_GRANTS, {"patientId": patient_id, "granteeId": user_id}),
    )


@dataclass(frozen=True)
class PatientWithMembership:
    patient: dict[str, Any] | None
    on_care_team: bool
    grant: dict[str, Any] | None = None
    """The caller's ``PatientGrants`` item for the patient (its share and break-glass expiries), if any."""


def get_patient_with_membership(patient_id: str, user_id: str) -> PatientWithMembership:
    """The profile, whether the user is on its care team and the user's other grant to it, in one
    BatchGetItem (or none, when the request's own BatchGetItem already read them)."""
    reads = visibility_reads(patient_id, user_id)
    profile, seat, grant = reads
    if not was_prefetched(profile, seat):  # all three in one call (kept for the request, if there is one)
        patient, seat_item, grant_item = read_together(list(reads))
        for read in reads:  # served now: not again from the request's store
            get_by_key(read.table, read.key, lambda: None)
        return PatientWithMembership(patient=patient, on_care_team=seat_item is not None, grant=grant_item)
    patient = get_by_key(PATIENTS, profile.key, lambda: None)
    on_team = get_by_key(CARE_TEAMS, seat.key, lambda: None) is not None
    if was_prefetched(grant) or (patient is not None and not on_team):  # the seat decides when there is one
        found = get_by_key(PATIENT_GRANTS, grant.key, lambda: _get_grant(grant.key))
    else:
        found = None
    return PatientWithMembership(patient=patient, on_care_team=on_team, grant=found)


def _get_grant(key: dict[str, str]) -> dict[str, Any] | None:
    item: dict[str, Any] | None = table(PATIENT_GRANTS).get_item(Key=key, ConsistentRead=True).get("Item")
    return item


def get_patients(patient_ids: list[str]) -> list[dict[str, Any]]:
    """Profiles by id (at most 100), in the order asked."""
    if not patient_ids:
        return []
    name = table(PATIENTS).name
    found = batch_get({name: {"Keys": [{"patientId": patient_id} for patient_id in dict.fromkeys(patient_ids)]}})
    by_id = {item["patientId"]: item for item in found[name]}
    return [by_id[patient_id] for patient_id in patient_ids if patient_id in by_id]


def list_patients(*, limit: int, cursor: str | None, scope: str) -> Page:
    return query_page(
        table(PATIENTS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byKind",
        KeyConditionExpression=Key("kind").eq(PATIENT_KIND),
    )


def update_patient(patient_id: str, changes: dict[str, Any], *, previous_mrn: str | None = None) -> dict[str, Any]:
    """Applies ``changes``; a new MRN claims its uniqueness key in the same transaction (and frees the
    previous one). ``previous_mrn`` is the MRN read before (None: the profile had none, as a patient's own
    profile until staff set it): the write is conditional on it, so a stale read never rewrites the MRN."""
    new_mrn = changes.get("medicalRecordNumber")
    update = update_expression(changes)
    condition = "attribute_exists(patientId)"
    if new_mrn is not None:
        update["ExpressionAttributeNames"]["#mrn"] = "medicalRecordNumber"
        if previous_mrn is None:
            condition += " AND attribute_not_exists(#mrn)"
        else:
            condition += " AND #mrn = :previousMrn"
            update.setdefault("ExpressionAttributeValues", {})[":previousMrn"] = previous_mrn
    if new_mrn is None or (previous_mrn is not None and _mrn_key(new_mrn) == _mrn_key(previous_mrn)):
        try:
            response = table(PATIENTS).update_item(
                Key={"patientId": patient_id}, ConditionExpression=condition, ReturnValues="ALL_NEW", **update
            )
        except ClientError as error:
            if is_conditional_failure(error):
                raise PatientMissing from error
            raise
        attributes: dict[str, Any] = response["Attributes"]
        return attributes
    operations: list[dict[str, Any]] = [
        {
            "Update": {
                "TableName": table(PATIENTS).name,
                "Key": {"patientId": patient_id},
                "ConditionExpression": condition,
                **update,
            }
        },
        _claim(_mrn_key(new_mrn), patient_id),
    ]
    if previous_mrn is not None:
        operations.append(
            {"Delete": {"TableName": table(UNIQUE_KEYS).name, "Key": {"uniqueKey": _mrn_key(previous_mrn)}}}
        )
    try:
        dynamodb_client().transact_write_items(TransactItems=operations)
    except ClientError as error:
        codes = cancellation_codes(error)
        if len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
            raise DuplicateMedicalRecordNumber from error
        if codes and codes[0] == "ConditionalCheckFailed":
            raise PatientMissing from error
        raise
    refreshed = table(PATIENTS).get_item(Key={"patientId": patient_id}, ConsistentRead=True)["Item"]
    return dict(refreshed)


__all__ = [
    "DuplicateMedicalRecordNumber",
    "PatientMissing",
    "PatientWithMembership",
    "UserAlreadyHasProfile",
    "UserNotAPatient",
    "create_patient",
    "get_patient",
    "get_patient_with_membership",
    "get_patients",
    "list_patients",
    "update_patient",
]
