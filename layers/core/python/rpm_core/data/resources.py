"""Declarations of every resource kind besides tables: queues, buckets, topic rules and WebSocket
APIs, one spec each.

As with tables (``rpm_core.data.tables``), the CDK app and the local stack both create these
resources from the specs, and the functions find a resource's physical name through its
``env_var``. A function's catalog entry (``infra/catalog.py``) names the resources it uses
and how (an access level of the resource's kind); its environment, IAM grants, cdk-nag
acknowledgements, local creation and client resets all follow from that one entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rpm_core.data.tables import TABLES, TableSpec
from rpm_core.ingest_topic import RULE_SQL

TableAccess = Literal["read", "write", "append", "stream"]
"""``read``: keys and indexes (never Scan). ``write``: reads plus single-item writes.
``append``: PutItem only (no UpdateItem or DeleteItem): what an append-only log is granted.
``stream``: consume the table's change stream (a ``stream`` function's event source)."""
QueueAccess = Literal["send", "consume"]
BucketAccess = Literal["read", "write", "append"]
"""``append``: PutObject only (no DeleteObject): what a writer of an Object Lock archive is granted."""
WebSocketAccess = Literal["serve", "manage"]
"""``serve``: the API's routes invoke the function (a ``websocket`` function's event source).
``manage``: post to and close the API's connections (``execute-api:ManageConnections``)."""
Access = Literal["read", "write", "append", "verify", "stream", "send", "consume", "serve", "manage"]


def upper_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


@dataclass(frozen=True)
class QueueSpec:
    """An SQS queue (KMS-encrypted, TLS only) with its dead-letter queue.

    A ``queue`` function that consumes it gets ``batch_size`` messages at a time with partial
    batch failures; a message that failed ``max_receive_count`` times moves to the dead letter.
    """

    name: str
    purpose: str
    batch_size: int = 10
    batching_window_seconds: int = 0
    """How long the event source gathers messages before it invokes with fewer than ``batch_size``;
    AWS requires at least 1 second for a batch size above 10."""
    max_receive_count: int = 3
    visibility_timeout_seconds: int = 180
    """Six times the 30-second timeout of background functions, as AWS advises for SQS sources."""
    retention_days: int = 14

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= 10_000:
            raise ValueError(f"queue {self.name}: batch_size must be 1..10000")
        if self.batch_size > 10 and self.batching_window_seconds < 1:
            raise ValueError(f"queue {self.name}: a batch size above 10 needs a batching window of 1 s or more")
        if not 0 <= self.batching_window_seconds <= 300:
            raise ValueError(f"queue {self.name}: batching_window_seconds must be 0..300")

    @property
    def env_var(self) -> str:
        return f"QUEUE_{upper_snake(self.name)}_URL"

    @property
    def accesses(self) -> tuple[str, ...]:
        return ("send", "consume")


@dataclass(frozen=True)
class BucketSpec:
    """A private S3 bucket: KMS-encrypted, versioned, public access blocked, TLS enforced.

    ``object_created_queue`` names a ``QueueSpec`` that receives the bucket's object-created
    notifications (S3 → SQS → the function consuming that queue), in AWS and locally alike.
    """

    name: str
    purpose: str
    object_created_queue: str | None = None
    object_lock_days_context: str | None = None
    """A CDK context key holding the default Object Lock retention (compliance mode) in days;
    None: no Object Lock."""
    expiration_days_context: str | None = None
    """A CDK context key holding the lifecycle expiration of current objects in days; None: kept."""
    expiration_tag: tuple[str, str] | None = None
    """With an expiration: the lifecycle rule applies only to objects carrying this tag (key, value).
    Objects without it are kept: flipping the tag exempts an object (a legal hold) without moving it."""
    noncurrent_expiration_days: int | None = None
    """With an expiration: days after which a noncurrent version (what expiration leaves behind a delete
    marker in a versioned bucket) is deleted for good; None: noncurrent versions are kept."""
    browser_uploads: bool = False
    """Browsers PUT and GET objects through presigned URLs: CORS for the deployment's ``corsOrigins``."""
    malware_scan_prefix: str | None = None
    """With context ``malwareProtection`` on, GuardDuty Malware Protection scans every new object under this
    prefix and tags it with its verdict (``MALWARE_SCAN_TAG``); the upload verifier waits for the verdict."""
    create_only: bool = False
    """An object is written once: the bucket policy denies a PutObject that is not conditional on the key
    not existing (``If-None-Match: *``), so no one, a granted role included, adds a version to a key."""

    @property
    def env_var(self) -> str:
        return f"BUCKET_{upper_snake(self.name)}"

    @property
    def accesses(self) -> tuple[str, ...]:
        """``verify``: ``read`` plus listing every object's versions (a verifier of a write-once archive)."""
        return ("read", "write", "append", "verify")


@dataclass(frozen=True)
class TopicRuleSpec:
    """An IoT Core topic rule whose SQL output goes to a declared queue; what the rule cannot
    deliver goes to that queue's dead letter (the rule's error action).

    The CDK app deploys the SQL as written; the local broker (``infra.local.iot``) evaluates the
    same SQL for the subset it supports (``*``, ``topic(n)``, ``timestamp()``) and refuses others.
    """

    name: str
    sql: str
    queue: str
    purpose: str

    @property
    def topic_filter(self) -> str:
        found = re.search(r"\bFROM\s+'([^']+)'", self.sql, flags=re.IGNORECASE)
        if not found:
            raise ValueError(f"topic rule {self.name}: no FROM '<topic filter>' in its SQL")
        return found.group(1)


@dataclass(frozen=True)
class WebSocketApiSpec:
    """An API Gateway WebSocket API with one stage (throttled, access-logged): its ``routes`` (the
    route selection expression picks one by the message's ``action``) all invoke the one ``websocket``
    function that ``serve``s it; a function that ``manage``s it posts to and closes connections
    through the Management API, whose endpoint it finds in ``env_var``.

    A WebSocket API cannot use the HTTP API's JWT authorizer: the caller presents a single-use ticket
    of ``POST /live/tickets`` in the ``ticket_query_parameter`` of the ``$connect`` request (or, for
    existing clients, its access token in the ``token_query_parameter``) and the function serving
    ``$connect`` checks it (``rpm_core.services.sessions.authenticate_ticket`` / ``authenticate_token``),
    in AWS and locally alike.
    """

    name: str
    purpose: str
    routes: tuple[str, ...] = ("$connect", "$disconnect")
    two_way_routes: tuple[str, ...] = ()
    """Routes whose function result (``body``) is sent back to the caller as a message."""
    stage: str = "live"
    token_query_parameter: str = "token"  # noqa: S105 - a parameter name, not a secret
    ticket_query_parameter: str = "ticket"
    route_selection_expression: str = "$request.body.action"

    def __post_init__(self) -> None:
        missing = {"$connect", "$disconnect"} - set(self.routes)
        if missing or not set(self.two_way_routes) <= set(self.routes):
            raise ValueError(
                f"WebSocket API {self.name}: $connect and $disconnect are required; two-way routes ⊆ routes"
            )

    @property
    def selection_field(self) -> str:
        """The field of a message's JSON body that names its route (``action``)."""
        return self.route_selection_expression.rsplit(".", 1)[-1]

    @property
    def env_var(self) -> str:
        return f"WEBSOCKET_{upper_snake(self.name)}_ENDPOINT"

    @property
    def accesses(self) -> tuple[str, ...]:
        return ("serve", "manage")


ATTACHMENT_UPLOADS = QueueSpec(
    name="AttachmentUploads",
    purpose="object-created notifications of the Attachments bucket, for the upload verifier",
)
RETENTION_TAG = ("retention", "standard")
"""The tag the upload verifier puts on an accepted attachment; the lifecycle expiration applies only to
objects carrying it. A legal hold sets ``retention=legal-hold`` instead, so the rule leaves the object."""
LEGAL_HOLD_TAG = ("retention", "legal-hold")
MALWARE_SCAN_TAG = "GuardDutyMalwareScanStatus"
"""The tag GuardDuty Malware Protection puts on each scanned object: its verdict."""
MALWARE_CLEAN = "NO_THREATS_FOUND"

ATTACHMENTS_BUCKET = BucketSpec(
    name="AttachmentFiles",
    purpose="message attachments, uploaded and downloaded through presigned URLs; keys are uploads/<attachmentId>",
    object_created_queue="AttachmentUploads",
    expiration_days_context="retentionDays",
    expiration_tag=RETENTION_TAG,
    noncurrent_expiration_days=30,
    browser_uploads=True,
    malware_scan_prefix="uploads/",
)

AUDIT_DIGESTS = BucketSpec(
    name="AuditDigests",
    purpose="digests of the audit trail's chain heads (at most hourly and on demand), each naming the previous "
    "digest's hash; Object Lock in compliance mode keeps every digest unchanged for the lock period; keys are "
    "digests/<number, 10 digits>.json; each written once (create-only), and a key with a second version is "
    "reported as tampering",
    object_lock_days_context="auditDigestLockDays",
    create_only=True,
)

DEVICE_READINGS = QueueSpec(
    name="DeviceReadings",
    purpose="device readings (the DeviceReadings topic rule's output), for the ingest function",
    batch_size=100,
    batching_window_seconds=1,
)
"""Ingest writes a whole batch in a handful of DynamoDB requests (≤ 8 per 100 readings of one device,
tested with a batch of 100), so larger batches are cheaper: up to 100 per invocation, gathered for at
most one second (the most a reading waits before its alert is raised)."""
DEVICE_READINGS_RULE = TopicRuleSpec(
    name="DeviceReadings",
    sql=RULE_SQL,
    queue="DeviceReadings",
    purpose="every reading a device publishes to rpm/devices/<its thing name>/readings (rpm_core.ingest_topic)",
)

EXPORT_JOBS = QueueSpec(
    name="ExportJobs",
    purpose="FHIR bulk export jobs, for the export worker: {jobId} at kick-off, {jobId, checkpoint} when a job "
    "continues in a new invocation",
    batch_size=1,
)
"""One job per invocation: a job's run is bounded by the function's time, not by its batch."""
EXPORT_FILES = BucketSpec(
    name="ExportFiles",
    purpose="FHIR bulk export output: NDJSON files (exports/<jobId>/<type>-<n>.ndjson) written by multipart "
    "upload, served by short-lived presigned GETs, expiring after exportRetentionDays (7)",
    expiration_days_context="exportRetentionDays",
    noncurrent_expiration_days=1,
)

QUEUES: tuple[QueueSpec, ...] = (ATTACHMENT_UPLOADS, DEVICE_READINGS, EXPORT_JOBS)
BUCKETS: tuple[BucketSpec, ...] = (ATTACHMENTS_BUCKET, AUDIT_DIGESTS, EXPORT_FILES)
TOPIC_RULES: tuple[TopicRuleSpec, ...] = (DEVICE_READINGS_RULE,)
LIVE = WebSocketApiSpec(
    name="Live",
    purpose="live notifications: ids of new messages, alerts, final lab results and readings, to who may see them",
    routes=("$connect", "$disconnect", "ping"),
    two_way_routes=("ping",),
)
WEBSOCKET_APIS: tuple[WebSocketApiSpec, ...] = (LIVE,)

Spec = TableSpec | QueueSpec | BucketSpec | WebSocketApiSpec
TABLE_ACCESSES: tuple[str, ...] = ("read", "write", "append", "stream")


def accesses_of(spec: Spec) -> tuple[str, ...]:
    return TABLE_ACCESSES if isinstance(spec, TableSpec) else spec.accesses


def declared(
    tables: tuple[TableSpec, ...] = TABLES,
    queues: tuple[QueueSpec, ...] = QUEUES,
    buckets: tuple[BucketSpec, ...] = BUCKETS,
    websocket_apis: tuple[WebSocketApiSpec, ...] = WEBSOCKET_APIS,
) -> dict[str, Spec]:
    """Every declared resource by logical name; names are unique across kinds."""
    by_name: dict[str, Spec] = {}
    every: tuple[Spec, ...] = (*tables, *queues, *buckets, *websocket_apis)
    for spec in every:
        if spec.name in by_name:
            raise ValueError(f"two resources are named {spec.name!r}")
        by_name[spec.name] = spec
    for rule in TOPIC_RULES:
        if not isinstance(by_name.get(rule.queue), QueueSpec) and queues is QUEUES:
            raise ValueError(f"topic rule {rule.name}: {rule.queue!r} is not a declared queue")
    for bucket in buckets:
        if bucket.object_created_queue and not isinstance(by_name.get(bucket.object_created_queue), QueueSpec):
            raise ValueError(f"bucket {bucket.name}: {bucket.object_created_queue!r} is not a declared queue")
    return by_name
