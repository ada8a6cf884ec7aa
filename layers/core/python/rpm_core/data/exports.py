"""Bulk export jobs (the Exports table), their queue (ExportJobs) and their files (the ExportFiles bucket).

Files are NDJSON written by multipart upload: parts of at least 5 MiB, the last one smaller; a file is
completed before its job's record names it, and an abandoned upload is aborted.
"""

from __future__ import annotations

import json
from typing import Any

from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from rpm_core.data.aws import client, presigner, resource_name, table
from rpm_core.data.numbers import from_item, to_item
from rpm_core.data.resources import EXPORT_FILES, EXPORT_JOBS
from rpm_core.data.tables import EXPORTS

PART_BYTES = 5 * 1024 * 1024
"""S3's smallest part but the last."""


class JobCancelled(Exception):
    """The job was cancelled (or is gone): nothing more is written for it."""


def _conditional(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def put_job(item: dict[str, Any]) -> None:
    table(EXPORTS).put_item(Item=to_item(item), ConditionExpression=Attr("jobId").not_exists())


def get_job(job_id: str) -> dict[str, Any] | None:
    found = table(EXPORTS).get_item(Key={"jobId": job_id}, ConsistentRead=True).get("Item")
    return from_item(found) if found else None


def update_job(
    job_id: str,
    *,
    changes: dict[str, Any],
    append_output: dict[str, Any] | None = None,
    allowed_from: tuple[str, ...] = ("queued", "running"),
) -> None:
    """Sets ``changes`` (and appends one output file) while the job's status is one of ``allowed_from``;
    JobCancelled otherwise."""
    names = {f"#{name}": name for name in changes}
    values = {f":{name}": value for name, value in changes.items()}
    sets = [f"#{name} = :{name}" for name in changes]
    if append_output is not None:
        names["#outputs"] = "outputs"
        values[":output"] = [append_output]
        values[":none"] = []
        sets.append("#outputs = list_append(if_not_exists(#outputs, :none), :output)")
    names["#status"] = "status"
    allowed = {f":from{i}": status for i, status in enumerate(allowed_from)}
    try:
        table(EXPORTS).update_item(
            Key={"jobId": job_id},
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression=f"attribute_exists(jobId) AND #status IN ({', '.join(allowed)})",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_item({**values, **allowed}),
        )
    except ClientError as error:
        if _conditional(error):
            raise JobCancelled(job_id) from error
        raise


def cancel_job(job_id: str, at: str) -> dict[str, Any] | None:
    """Marks the job cancelled; its record as it was, or None when it was cancelled already."""
    try:
        response = table(EXPORTS).update_item(
            Key={"jobId": job_id},
            UpdateExpression="SET #status = :cancelled, cancelledAt = :at",
            ConditionExpression="attribute_exists(jobId) AND #status <> :cancelled",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":cancelled": "cancelled", ":at": at},
            ReturnValues="ALL_OLD",
        )
    except ClientError as error:
        if _conditional(error):
            return None
        raise
    return from_item(response.get("Attributes") or {})


def enqueue(message: dict[str, Any]) -> None:
    client("sqs").send_message(QueueUrl=resource_name(EXPORT_JOBS), MessageBody=json.dumps(message))


def _bucket() -> str:
    return resource_name(EXPORT_FILES)


def download_url(key: str, *, expires_in: int) -> str:
    url: str = presigner().generate_presigned_url(
        "get_object", Params={"Bucket": _bucket(), "Key": key}, ExpiresIn=expires_in
    )
    return url


def delete_files(keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        if chunk:
            client("s3").delete_objects(
                Bucket=_bucket(), Delete={"Objects": [{"Key": key} for key in chunk], "Quiet": True}
            )


class NdjsonUpload:
    """One NDJSON file, written as a multipart upload started at its first line."""

    def __init__(self, key: str, part_bytes: int = PART_BYTES) -> None:
        self.key = key
        self.part_bytes = part_bytes
        self.count = 0
        self.upload_id: str | None = None
        self._buffer = bytearray()
        self._parts: list[dict[str, Any]] = []

    def add(self, resource: dict[str, Any]) -> None:
        self._buffer += json.dumps(resource, separators=(",", ":")).encode() + b"\n"
        self.count += 1
        if len(self._buffer) >= self.part_bytes:
            self._send_part()

    def _send_part(self) -> None:
        s3 = client("s3")
        if self.upload_id is None:
            self.upload_id = str(
                s3.create_multipart_upload(Bucket=_bucket(), Key=self.key, ContentType="application/fhir+ndjson")[
                    "UploadId"
                ]
            )
        number = len(self._parts) + 1
        response = s3.upload_part(
            Bucket=_bucket(), Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=bytes(self._buffer)
        )
        self._parts.append({"PartNumber": number, "ETag": response["ETag"]})
        self._buffer = bytearray()

    def complete(self) -> bool:
        """Completes the file; False (nothing written) for a file without lines."""
        if not self.count:
            return False
        if self._buffer:
            self._send_part()
        client("s3").complete_multipart_upload(
            Bucket=_bucket(), Key=self.key, UploadId=self.upload_id, MultipartUpload={"Parts": self._parts}
        )
        return True

    def abort(self) -> None:
        if self.upload_id is not None:
            client("s3").abort_multipart_upload(Bucket=_bucket(), Key=self.key, UploadId=self.upload_id)
            self.upload_id = None
