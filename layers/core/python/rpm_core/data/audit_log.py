"""AuditLog table and the digest bucket: append-only storage of the audit trail.

Entries live in a fixed set of shards (``shard`` = ``s00``..``s15``), each a hash chain whose
sequence numbers (``seq``) are claimed by a conditional put: a second writer that read the same
head fails its condition and retries on the new head, so no chain ever forks. Nothing here
updates or deletes an item; the functions' roles cannot either (``append`` access is PutItem only).

Besides the entries the table holds two kinds of helper items, never in a shard's chain:
``claim#<id>`` (seq 0; the id derived from a stream record's event id), put in the same transaction
as the entry that records that stream record (one claim per record: several for the entry of a group
of device writes), so that a redelivered stream record writes nothing twice, and ``digest`` items
(seq = digest number) that index the digests anchored in the Object Lock bucket.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import client, dynamodb_client, resource_name, table
from rpm_core.data.items import cancellation_codes, error_code
from rpm_core.data.pagination import Page, decode_cursor, encode_cursor
from rpm_core.data.resources import AUDIT_DIGESTS
from rpm_core.data.tables import AUDIT_LOG

DIGEST_SHARD = "digest"
CLAIM_PREFIX = "claim#"
MAX_TRANSACTION_ITEMS = 100
_NEW = "attribute_not_exists(#shard)"


class ChainConflict(Exception):
    """Another writer claimed one of these sequence numbers first: read the head again."""


class AlreadyRecorded(Exception):
    """Claims that exist already: their events were recorded before (redelivered stream records)."""

    def __init__(self, claims: frozenset[str]) -> None:
        super().__init__(f"{len(claims)} claim(s) exist already")
        self.claims = claims


def _put(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "Put": {
            "TableName": table(AUDIT_LOG).name,
            "Item": item,
            "ConditionExpression": _NEW,
            "ExpressionAttributeNames": {"#shard": "shard"},
        }
    }


def head(shard: str) -> dict[str, Any] | None:
    """The newest entry of a shard (one Query, strongly consistent)."""
    response = table(AUDIT_LOG).query(
        KeyConditionExpression=Key("shard").eq(shard), ScanIndexForward=False, Limit=1, ConsistentRead=True
    )
    items: list[dict[str, Any]] = response.get("Items", [])
    return items[0] if items else None


def append(items: list[dict[str, Any]], *, claims: Sequence[str] = ()) -> None:
    """Puts new entries (consecutive sequence numbers of one shard) in one call, each only if its key is new.

    One entry without claims is a conditional ``PutItem``; otherwise one ``TransactWriteItems``
    (the entries and a ``claim#<claim>`` item per claim), all or nothing. ``AlreadyRecorded`` names
    the claims that exist already (the cancellation reasons tell which): nothing was written.
    """
    if len(set(claims)) != len(claims):
        raise ValueError("a claim appears twice")
    if len(items) + len(claims) > MAX_TRANSACTION_ITEMS:
        raise ValueError(f"at most {MAX_TRANSACTION_ITEMS} audit items per call")
    if len(items) == 1 and not claims:
        try:
            table(AUDIT_LOG).put_item(
                Item=items[0], ConditionExpression=_NEW, ExpressionAttributeNames={"#shard": "shard"}
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise ChainConflict from error
            raise
        return
    operations = [_put(item) for item in items]
    operations += [_put({"shard": CLAIM_PREFIX + claim, "seq": 0}) for claim in claims]
    try:
        dynamodb_client().transact_write_items(TransactItems=operations)
    except ClientError as error:
        codes = cancellation_codes(error)
        if claims and len(codes) == len(operations):
            reasons = zip(claims, codes[len(items) :], strict=True)
            claimed = frozenset(claim for claim, code in reasons if code == "ConditionalCheckFailed")
            if claimed:
                raise AlreadyRecorded(claimed) from error
        if "ConditionalCheckFailed" in codes or error_code(error) == "TransactionConflictException":
            raise ChainConflict from error
        if error_code(error) == "TransactionCanceledException" and "TransactionConflict" in codes:
            raise ChainConflict from error
        raise


def walk(shard: str, *, from_seq: int = 1, page_size: int = 500) -> Iterator[dict[str, Any]]:
    """A shard's entries in sequence order from ``from_seq`` (strongly consistent pages)."""
    arguments: dict[str, Any] = {
        "KeyConditionExpression": Key("shard").eq(shard) & Key("seq").gte(from_seq),
        "ConsistentRead": True,
        "Limit": page_size,
    }
    while True:
        response = table(AUDIT_LOG).query(**arguments)
        yield from response.get("Items", [])
        last = response.get("LastEvaluatedKey")
        if not last:
            return
        arguments["ExclusiveStartKey"] = last


def query_index(
    index: str,
    key_name: str,
    key_value: str,
    *,
    since: str | None,
    until: str | None,
    limit: int,
    cursor: str | None,
    scope: str,
    filters: dict[str, str] | None = None,
) -> Page:
    """One GSI partition (an entity, an actor, a patient), newest first, within [since, until)."""
    condition = Key(key_name).eq(key_value)
    if since and until:
        condition &= Key("at").between(since, until)
    elif since:
        condition &= Key("at").gte(since)
    elif until:
        condition &= Key("at").lte(until)
    arguments: dict[str, Any] = {
        "IndexName": index,
        "KeyConditionExpression": condition,
        "ScanIndexForward": False,
        "Limit": limit,
    }
    arguments.update(_filter_arguments(filters))
    start = decode_cursor(cursor, scope)
    if start is not None:
        arguments["ExclusiveStartKey"] = start
    response = table(AUDIT_LOG).query(**arguments)
    return Page(items=response.get("Items", []), next_cursor=encode_cursor(response.get("LastEvaluatedKey"), scope))


def _filter_arguments(filters: dict[str, str] | None) -> dict[str, Any]:
    if not filters:
        return {}
    names = {f"#f{i}": name for i, name in enumerate(filters)}
    values = {f":f{i}": value for i, value in enumerate(filters.values())}
    return {
        "FilterExpression": " AND ".join(f"#f{i} = :f{i}" for i in range(len(filters))),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def query_shards(
    shards: tuple[str, ...],
    *,
    since: str | None,
    until: str | None,
    limit: int,
    cursor: str | None,
    scope: str,
    filters: dict[str, str] | None = None,
) -> Page:
    """Entries of every shard in a time range, newest first: one Query per shard (``byShardTime``),
    merged. The cursor is the position (``at``) of the last entry returned; ``at`` is unique."""
    position = decode_cursor(cursor, scope)
    before = str(position["at"]) if position else None
    merged: list[dict[str, Any]] = []
    exhausted = True
    for shard in shards:
        condition = Key("shard").eq(shard)
        upper = min(filter(None, (until, before)), default=None)
        if since and upper:
            condition &= Key("at").between(since, upper)
        elif since:
            condition &= Key("at").gte(since)
        elif upper:
            condition &= Key("at").lte(upper)
        arguments: dict[str, Any] = {
            "IndexName": "byShardTime",
            "KeyConditionExpression": condition,
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        arguments.update(_filter_arguments(filters))
        response = table(AUDIT_LOG).query(**arguments)
        found = [item for item in response.get("Items", []) if before is None or item["at"] < before]
        merged.extend(found)
        if response.get("LastEvaluatedKey") or len(found) > limit:
            exhausted = False
    merged.sort(key=lambda item: item["at"], reverse=True)
    page = merged[:limit]
    more = len(merged) > limit or (not exhausted and bool(page))
    return Page(items=page, next_cursor=encode_cursor({"at": page[-1]["at"]}, scope) if more and page else None)


# --- digests ------------------------------------------------------------------------------------


def last_digest() -> dict[str, Any] | None:
    return head(DIGEST_SHARD)


def digest_index(number: int) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        table(AUDIT_LOG).get_item(Key={"shard": DIGEST_SHARD, "seq": number}, ConsistentRead=True).get("Item")
    )
    return item


def claim_digest(item: dict[str, Any]) -> None:
    """Claims the digest number (``seq``); ChainConflict when another writer took it."""
    try:
        table(AUDIT_LOG).put_item(
            Item={**item, "shard": DIGEST_SHARD}, ConditionExpression=_NEW, ExpressionAttributeNames={"#shard": "shard"}
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            raise ChainConflict from error
        raise


def digests_around(since: str | None, until: str | None) -> tuple[int | None, int | None]:
    """Digest numbers bounding [since, until]: the last one made at or before ``since`` (None: start at
    the beginning) and the first one made after ``until`` (None: up to the newest)."""
    first = _nearest_digest(Key("at").lte(since), newest_first=True) if since else None
    last = _nearest_digest(Key("at").gt(until), newest_first=False) if until else None
    return first, last


def _nearest_digest(at: Any, *, newest_first: bool) -> int | None:
    """The number of the first digest (in that direction) whose time meets ``at``; None if there is none."""
    response = table(AUDIT_LOG).query(
        IndexName="byShardTime",
        KeyConditionExpression=Key("shard").eq(DIGEST_SHARD) & at,
        ScanIndexForward=not newest_first,
        Limit=1,
    )
    items = response.get("Items", [])
    return int(items[0]["seq"]) if items else None


def digest_key(number: int) -> str:
    return f"digests/{number:010d}.json"


def put_digest_object(number: int, body: bytes) -> bool:
    """Writes a digest into the Object Lock bucket, once: conditional on the key not existing
    (``If-None-Match: *``; the bucket policy refuses any other put). False: it was there already."""
    try:
        client("s3").put_object(
            Bucket=resource_name(AUDIT_DIGESTS),
            Key=digest_key(number),
            Body=body,
            ContentType="application/json",
            IfNoneMatch="*",
        )
    except ClientError as error:
        if error_code(error) in {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}:
            return False
        raise
    return True


def anchored_digest(number: int) -> tuple[bytes | None, int]:
    """A digest as it was first written (its key's oldest version), and how many versions and delete markers
    its key holds: a digest written once has exactly one."""
    key = digest_key(number)
    bucket = resource_name(AUDIT_DIGESTS)
    listing = client("s3").list_object_versions(Bucket=bucket, Prefix=key)
    versions = [version for version in listing.get("Versions", []) if version["Key"] == key]
    markers = [marker for marker in listing.get("DeleteMarkers", []) if marker["Key"] == key]
    if not versions:
        return None, len(markers)
    oldest = versions[-1]  # S3 lists a key's versions newest first
    response = client("s3").get_object(Bucket=bucket, Key=key, VersionId=oldest["VersionId"])
    body: bytes = response["Body"].read()
    return body, len(versions) + len(markers)
