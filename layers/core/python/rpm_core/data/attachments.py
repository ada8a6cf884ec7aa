"""Attachments: the table of their metadata and status, and their objects in the Attachments bucket.

Object keys are ``uploads/<attachmentId>``: no file name, no patient id. Objects are read through
presigned URLs only; the verifier reads their first bytes, tags accepted ones and deletes rejected ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from rpm_core.data.aws import client, presigner, resource_name, table
from rpm_core.data.items import batch_get, is_conditional_failure, update_expression
from rpm_core.data.resources import ATTACHMENTS_BUCKET
from rpm_core.data.tables import ATTACHMENTS

KEY_PREFIX = "uploads/"


class AttachmentMissing(Exception):
    pass


class AlreadyDecided(Exception):
    """The attachment is no longer ``pending``: its upload was checked before."""


def object_key(attachment_id: str) -> str:
    return KEY_PREFIX + attachment_id


def attachment_id_of(key: str) -> str | None:
    """The attachment an object key belongs to; None for a key outside ``uploads/``."""
    if not key.startswith(KEY_PREFIX) or "/" in key[len(KEY_PREFIX) :]:
        return None
    return key[len(KEY_PREFIX) :] or None


def _bucket() -> str:
    return resource_name(ATTACHMENTS_BUCKET)


# --- the table ---------------------------------------------------------------------------------


def create_attachment(item: dict[str, Any]) -> None:
    table(ATTACHMENTS).put_item(Item=item, ConditionExpression="attribute_not_exists(attachmentId)")


def get_attachment(attachment_id: str, *, consistent: bool = False) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        table(ATTACHMENTS).get_item(Key={"attachmentId": attachment_id}, ConsistentRead=consistent).get("Item")
    )
    return item


def get_attachments(attachment_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not attachment_ids:
        return {}
    name = table(ATTACHMENTS).name
    found = batch_get(
        {name: {"Keys": [{"attachmentId": a} for a in dict.fromkeys(attachment_ids)], "ConsistentRead": True}}
    )
    return {item["attachmentId"]: item for item in found[name]}


def decide(attachment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Moves a ``pending`` attachment to its verdict (``changes`` hold the new status)."""
    update = update_expression(changes)
    update["ExpressionAttributeNames"]["#current"] = "status"
    update.setdefault("ExpressionAttributeValues", {})[":pending"] = "pending"
    try:
        response = table(ATTACHMENTS).update_item(
            Key={"attachmentId": attachment_id},
            ConditionExpression="attribute_exists(attachmentId) AND #current = :pending",
            ReturnValues="ALL_NEW",
            **update,
        )
    except ClientError as error:
        if is_conditional_failure(error):
            raise AlreadyDecided from error
        raise
    attributes: dict[str, Any] = response["Attributes"]
    return attributes


def change_holds(attachment_id: str, thread_id: str, *, held: bool) -> dict[str, Any] | None:
    """Adds or removes ``thread_id`` in the attachment's set of holding threads; the item after, or None."""
    try:
        response = table(ATTACHMENTS).update_item(
            Key={"attachmentId": attachment_id},
            UpdateExpression=f"{'ADD' if held else 'DELETE'} holds :thread",
            ConditionExpression="attribute_exists(attachmentId)",
            ExpressionAttributeValues={":thread": {thread_id}},
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if is_conditional_failure(error):
            return None
        raise
    attributes: dict[str, Any] = response["Attributes"]
    return attributes


def set_expiry(attachment_id: str, expires_at: int | None) -> None:
    changes: dict[str, Any] = {"expiresAt": expires_at}
    try:
        table(ATTACHMENTS).update_item(
            Key={"attachmentId": attachment_id},
            ConditionExpression="attribute_exists(attachmentId)",
            **update_expression(changes),
        )
    except ClientError as error:
        if not is_conditional_failure(error):
            raise


# --- the bucket --------------------------------------------------------------------------------


def upload_url(key: str, *, content_type: str, size: int, expires_in: int) -> str:
    """A presigned PUT signed for exactly this Content-Type and Content-Length."""
    url: str = presigner().generate_presigned_url(
        "put_object",
        Params={"Bucket": _bucket(), "Key": key, "ContentType": content_type, "ContentLength": size},
        ExpiresIn=expires_in,
    )
    return url


def download_url(key: str, *, version: str | None, content_type: str, expires_in: int) -> str:
    """A presigned GET of the one version that was checked (a later PUT to the key is never served)."""
    params: dict[str, Any] = {
        "Bucket": _bucket(),
        "Key": key,
        "ResponseContentType": content_type,
        "ResponseContentDisposition": "attachment",
    }
    if version:
        params["VersionId"] = version
    url: str = presigner().generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
    return url


@dataclass(frozen=True)
class StoredObject:
    size: int
    content_type: str
    version: str | None
    head: bytes
    """The first bytes (up to what was asked)."""


def stored_object(key: str, *, version: str | None, head_bytes: int) -> StoredObject | None:
    """Size, type, version and first bytes of the stored object; None when it is gone."""
    s3 = client("s3")
    options: dict[str, Any] = {"Bucket": _bucket(), "Key": key}
    if version:
        options["VersionId"] = version
    try:
        response = s3.get_object(Range=f"bytes=0-{head_bytes - 1}", **options)
    except ClientError as error:
        if str(error.response.get("Error", {}).get("Code")) in {"NoSuchKey", "NoSuchVersion", "404", "InvalidRange"}:
            return _empty_or_missing(s3, options)
        raise
    head = response["Body"].read()
    content_range = str(response.get("ContentRange") or "")
    size = int(content_range.rsplit("/", 1)[1]) if "/" in content_range else int(response["ContentLength"])
    return StoredObject(
        size=size, content_type=str(response.get("ContentType") or ""), version=response.get("VersionId"), head=head
    )


def tag_value(key: str, version: str | None, tag: str) -> str | None:
    """The value of one tag of the stored object (version), or None when it carries no such tag."""
    options: dict[str, Any] = {"Bucket": _bucket(), "Key": key}
    if version:
        options["VersionId"] = version
    tags = client("s3").get_object_tagging(**options).get("TagSet", [])
    return next((str(entry["Value"]) for entry in tags if entry["Key"] == tag), None)


def _empty_or_missing(s3: Any, options: dict[str, Any]) -> StoredObject | None:
    """An empty object answers a ranged GET with InvalidRange: ask its metadata instead."""
    try:
        response = s3.head_object(**options)
    except ClientError:
        return None
    return StoredObject(
        size=int(response["ContentLength"]),
        content_type=str(response.get("ContentType") or ""),
        version=response.get("VersionId"),
        head=b"",
    )


def delete_object(key: str, version: str | None) -> None:
    """Deletes the version for good (a versioned bucket would otherwise keep the bytes behind a marker)."""
    options: dict[str, Any] = {"Bucket": _bucket(), "Key": key}
    if version:
        options["VersionId"] = version
    client("s3").delete_object(**options)


def tag_object(key: str, version: str | None, tag: tuple[str, str]) -> None:
    """Replaces the object's tags with ``tag`` (the lifecycle rule expires by tag)."""
    options: dict[str, Any] = {"Bucket": _bucket(), "Key": key}
    if version:
        options["VersionId"] = version
    client("s3").put_object_tagging(Tagging={"TagSet": [{"Key": tag[0], "Value": tag[1]}]}, **options)
