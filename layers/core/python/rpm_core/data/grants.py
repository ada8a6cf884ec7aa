"""Shares, break-glass records and the grants they open (Shares, BreakGlass and PatientGrants tables).

A grant beyond the care team lives in one ``PatientGrants`` item per (patient, grantee): an active share
(``shareId``, ``shareExpiresAt``) and a break-glass window (``breakGlassId``, ``breakGlassExpiresAt``),
expiries in epoch seconds. Its key rides in the request's one ``BatchGetItem`` with the profile and the
care-team seat (``rpm_core.data.patients.visibility_reads``), so deciding visibility costs no call of its
own; a past expiry is no grant, so expiry takes effect at once. A share's record and its grant change
in one transaction (activation, revocation), so they never disagree.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import is_conditional_failure, update_expression
from rpm_core.data.pagination import Page, listed_between, query_page
from rpm_core.data.tables import BREAK_GLASS, PATIENT_GRANTS, SHARES

LIVE_STATUSES = ("pending", "active")


class ShareChanged(Exception):
    """The share is no longer in the state the change expected (revoked or activated meanwhile)."""


def _set_share_grant(patient_id: str, grantee_id: str, share_id: str, expires_at: int) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table(PATIENT_GRANTS).name,
            "Key": {"patientId": patient_id, "granteeId": grantee_id},
            "UpdateExpression": "SET shareId = :share, shareExpiresAt = :expires",
            "ExpressionAttributeValues": {":share": share_id, ":expires": expires_at},
        }
    }


def create_share(share: dict[str, Any], *, grant_expires_at: int | None) -> None:
    """The share, and (when it is active at once: its grantee known) its grant, in one transaction."""
    actions: list[dict[str, Any]] = [
        {
            "Put": {
                "TableName": table(SHARES).name,
                "Item": share,
                "ConditionExpression": "attribute_not_exists(shareId)",
            }
        }
    ]
    if share.get("grantee") and grant_expires_at is not None:
        actions.append(_set_share_grant(share["patientId"], share["grantee"], share["shareId"], grant_expires_at))
    dynamodb_client().transact_write_items(TransactItems=actions)


def shares_to(email: str) -> list[dict[str, Any]]:
    """Every share made to this email, oldest first (one Query; an email holds few)."""
    response = table(SHARES).query(IndexName="byEmail", KeyConditionExpression=Key("email").eq(email))
    items: list[dict[str, Any]] = response.get("Items", [])
    return items


def list_shares(patient_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    return query_page(
        table(SHARES),
        scope=scope,
        limit=limit,
        cursor=cursor,
        KeyConditionExpression=Key("patientId").eq(patient_id),
        ConsistentRead=True,
    )


def get_share(patient_id: str, share_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        table(SHARES).get_item(Key={"patientId": patient_id, "shareId": share_id}, ConsistentRead=True).get("Item")
    )
    return item


def _share_update(share: dict[str, Any], changes: dict[str, Any], *, while_status: tuple[str, ...]) -> dict[str, Any]:
    """A transaction item that applies ``changes`` to the share if its status is still one of ``while_status``."""
    arguments = update_expression(changes)
    status = f"#{list(changes).index('status')}"
    expected = {f":was{i}": value for i, value in enumerate(while_status)}
    return {
        "Update": {
            "TableName": table(SHARES).name,
            "Key": {"patientId": share["patientId"], "shareId": share["shareId"]},
            **arguments,
            "ConditionExpression": f"{status} IN ({', '.join(expected)})",
            "ExpressionAttributeValues": {**arguments.get("ExpressionAttributeValues", {}), **expected},
        }
    }


def activate_share(share: dict[str, Any], grantee_id: str, *, expires_at: int, stamp: dict[str, Any]) -> None:
    """A pending share becomes its grantee's, with its grant, in one transaction; ``ShareChanged`` if it is
    no longer pending."""
    try:
        dynamodb_client().transact_write_items(
            TransactItems=[
                _share_update(share, {"status": "active", "grantee": grantee_id, **stamp}, while_status=("pending",)),
                _set_share_grant(share["patientId"], grantee_id, share["shareId"], expires_at),
            ]
        )
    except Exception as error:
        if is_conditional_failure(error):
            raise ShareChanged from error
        raise


def revoke_share(share: dict[str, Any], *, stamp: dict[str, Any]) -> None:
    """The share revoked and its grant (if it has a grantee) withdrawn, in one transaction."""
    actions = [_share_update(share, {"status": "revoked", **stamp}, while_status=LIVE_STATUSES)]
    if share.get("grantee"):
        actions.append(
            {
                "Update": {
                    "TableName": table(PATIENT_GRANTS).name,
                    "Key": {"patientId": share["patientId"], "granteeId": share["grantee"]},
                    "UpdateExpression": "REMOVE shareId, shareExpiresAt",
                    "ConditionExpression": "attribute_not_exists(shareId) OR shareId = :share",
                    "ExpressionAttributeValues": {":share": share["shareId"]},
                }
            }
        )
    try:
        dynamodb_client().transact_write_items(TransactItems=actions)
    except Exception as error:
        if is_conditional_failure(error):
            raise ShareChanged from error
        raise


def grants_of(grantee_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    """The grantee's ``PatientGrants`` items, by patient (a caregiver's patients)."""
    return query_page(
        table(PATIENT_GRANTS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byGrantee",
        KeyConditionExpression=Key("granteeId").eq(grantee_id),
    )


def open_break_glass(record: dict[str, Any], *, expires_at: int) -> None:
    """The break-glass record and its grant (the clinician's window on the patient), in one transaction."""
    dynamodb_client().transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": table(BREAK_GLASS).name,
                    "Item": record,
                    "ConditionExpression": "attribute_not_exists(breakGlassId)",
                }
            },
            {
                "Update": {
                    "TableName": table(PATIENT_GRANTS).name,
                    "Key": {"patientId": record["patientId"], "granteeId": record["clinician"]},
                    "UpdateExpression": "SET breakGlassId = :id, breakGlassExpiresAt = :expires",
                    "ExpressionAttributeValues": {":id": record["breakGlassId"], ":expires": expires_at},
                }
            },
        ]
    )


def list_break_glass(*, start: str | None, end: str | None, limit: int, cursor: str | None, scope: str) -> Page:
    """Break-glass records opened between ``start`` and ``end`` (``listAt``: opening time and id), newest first."""
    return query_page(
        table(BREAK_GLASS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byKind",
        KeyConditionExpression=listed_between(Key("kind").eq("break_glass"), start, end),
        ScanIndexForward=False,
    )
