"""The functions of the backend: one declaration each, read by the CDK app and the local stack.

A function's folder is ``functions/<name>/`` with ``handler.py`` exposing ``lambda_handler``
(and, for HTTP functions, ``router``: its routes). The function's Lambda asset holds that folder
alone, as a package at the asset's root (``infra.assets.stage_function_asset``), so the handler
string is ``<name>.handler.lambda_handler`` and a handler can import nothing of another function's;
at run time it sees its own package, the core layer (``rpm_core``) and the dependency layer.

A function names the resources it uses and how (``uses``: logical name → access level of that
resource's kind, see ``rpm_core.data.resources``); its kind (``KINDS``) says what invokes it.
Environment, grants, cdk-nag acknowledgements, event sources and their local stand-ins all
follow from these two facts.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Literal

from rpm_core.api.routes import RouteSpec, routes_of
from rpm_core.data.resources import LIVE, Access, QueueSpec, Spec, TableSpec, WebSocketApiSpec, accesses_of, declared
from rpm_core.data.tables import TABLES
from rpm_core.services import notifications


@dataclass(frozen=True)
class FunctionKind:
    """What invokes a function of this kind."""

    name: str
    synchronous: bool
    """Invoked on a caller's path (API Gateway, Cognito): a short timeout, the caller sees errors."""
    timeout_seconds: int
    event_source: Literal["stream", "queue", "websocket", "schedule", "user_pool"] | None = None
    """What feeds it: table streams (``uses`` with access ``stream``), the one queue it ``consume``s,
    the routes of the one WebSocket API it ``serve``s, a schedule (``FunctionSpec.every_minutes``:
    an EventBridge rule, asynchronous, failed invocations to its dead letter), or the user pool, which
    calls it during sign-in (``FunctionSpec.user_pool_trigger``: Cognito waits at most 5 s, and a failure
    fails the sign-in)."""
    knows_user_pool: bool = True
    """Told the user pool's ids. Not a trigger of the pool: the pool names the function, so the function
    naming the pool would be a circular dependency (and it has no use for them)."""


KINDS: dict[str, FunctionKind] = {
    kind.name: kind
    for kind in (
        FunctionKind("http", synchronous=True, timeout_seconds=10),
        FunctionKind("stream", synchronous=False, timeout_seconds=30, event_source="stream"),
        FunctionKind("queue", synchronous=False, timeout_seconds=30, event_source="queue"),
        FunctionKind("websocket", synchronous=True, timeout_seconds=10, event_source="websocket"),
        FunctionKind("schedule", synchronous=False, timeout_seconds=30, event_source="schedule"),
        # Cognito waits 5 s for a trigger, then fails the sign-in
        FunctionKind(
            "user_pool_trigger", synchronous=True, timeout_seconds=5, event_source="user_pool", knows_user_pool=False
        ),
    )
}


@dataclass(frozen=True)
class StreamConsumption:
    """How every ``stream`` function reads its tables' streams, in AWS and locally alike."""

    batch_size: int = 25
    retry_attempts: int = 3
    bisect_batch_on_error: bool = True
    starting_position: Literal["TRIM_HORIZON", "LATEST"] = "TRIM_HORIZON"


STREAM_CONSUMPTION = StreamConsumption()
MAX_CONSUMERS_PER_STREAM = 2
"""DynamoDB Streams serves at most two concurrent readers per shard; a third Lambda mapping is throttled."""


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    kind: str
    """A key of ``KINDS``."""
    description: str
    uses: tuple[tuple[str, Access], ...] = ()
    """Resources (tables, queues, buckets by logical name) and the access the function needs;
    a resource may appear twice with two accesses (``append`` and ``read``, for example)."""
    cognito_actions: tuple[str, ...] = ()
    iot_actions: tuple[str, ...] = ()
    """IoT Core control-plane actions (device provisioning), on this account's things and certificates."""
    paginates: bool = False
    """Serves paginated lists: needs the cursor-signing secret."""
    serves_default_route: bool = False
    """Answers ``$default``: every request no route matches (problem+json 404/405)."""
    serves_graphql: bool = False
    """Answers GraphQL: told whether introspection is on (context ``graphqlIntrospection``)."""
    serves_sso: bool = False
    """Serves single sign-on: told the providers, the hosted sign-in's URL and the callback URLs."""
    every_minutes: int | None = None
    """A ``schedule`` function runs this often (and only those have it)."""
    user_pool_trigger: Literal["pre_token_generation"] | None = None
    """The user pool operation a ``user_pool_trigger`` function is called for (and only those have it):
    ``pre_token_generation``, Cognito's version 2 event (it may change the access token's scopes)."""

    @property
    def module(self) -> str:
        return f"{self.name}.handler"

    @property
    def handler(self) -> str:
        return f"{self.module}.lambda_handler"

    @property
    def function_kind(self) -> FunctionKind:
        return KINDS[self.kind]

    def using(self, *accesses: str) -> tuple[str, ...]:
        """Names of the resources used with any of ``accesses``, in declaration order, once each."""
        return tuple(dict.fromkeys(name for name, access in self.uses if access in accesses))

    @property
    def resource_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for name, _ in self.uses))

    @property
    def stream_sources(self) -> tuple[str, ...]:
        return self.using("stream")

    @property
    def consumed_queue(self) -> str | None:
        queues = self.using("consume")
        return queues[0] if queues else None

    @property
    def served_api(self) -> str | None:
        apis = self.using("serve")
        return apis[0] if apis else None


SIGNED_IN: tuple[tuple[str, Access], ...] = (("Users", "read"), ("RevokedSessions", "read"))
"""What the entrypoint of an HTTP function with protected routes reads on every request: the caller's
user record and the session's revocation (``rpm_core.api.http.authenticate``)."""
PATIENT_SCOPED: tuple[tuple[str, Access], ...] = (
    ("Patients", "read"),
    ("CareTeams", "read"),
    ("PatientGrants", "read"),
)
"""What ``/patients/{patientId}/…`` routes read with it: the profile, the caller's care-team seat and the
caller's grant beyond the team (a share, a break-glass window)."""
IDEMPOTENT: tuple[tuple[str, Access], ...] = (("Idempotency", "write"),)
"""What an HTTP function with create routes (POST) needs to honour ``Idempotency-Key``: the answers kept for it
(``rpm_core.api.idempotency``). A function without it ignores the header."""
AUDITED: tuple[tuple[str, Access], ...] = (("AuditLog", "append"), ("AuditLog", "read"))
"""What an HTTP function needs to record reads of patient data and security events in the audit trail: new
entries only (PutItem with ``attribute_not_exists``; no UpdateItem or DeleteItem) and the chain heads
(Query). ``rpm_core.services.audit_reads`` records the reads; ``rpm_core.services.audit_events`` the events."""
AUDITED_TABLE_STREAMS: tuple[tuple[str, Access], ...] = tuple(
    (spec.name, "stream") for spec in TABLES if spec.patient_data
)
"""Every table that holds patient data (``TableSpec.patient_data``) feeds the audit writer: a new table is
audited by declaring that flag, nothing else."""

ALERT_INBOX_UPKEEP: tuple[tuple[str, Access], ...] = (
    ("CareTeams", "write"),
    ("MonitoringLogs", "read"),
    ("AlertInbox", "write"),
)
"""What a care-team change needs to keep the clinicians' alert inboxes right (``services.monitoring``)."""

SHARES_TAKEN: tuple[tuple[str, Access], ...] = (("Shares", "write"), ("PatientGrants", "write"))
"""What a user whose email became verified needs to take the pending shares made to it (``services.shares``)."""

FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="auth",
        kind="http",
        description="Sign-up, confirmation, login, single sign-on, refresh and logout; tickets for the live connect",
        uses=(
            ("Users", "write"),
            ("RevokedSessions", "write"),
            ("LiveTickets", "write"),
            *SIGNED_IN,
            *AUDITED,
            *SHARES_TAKEN,
        ),
        cognito_actions=(
            "cognito-idp:SignUp",
            "cognito-idp:ConfirmSignUp",
            "cognito-idp:InitiateAuth",
            "cognito-idp:AdminConfirmSignUp",
            "cognito-idp:AdminUpdateUserAttributes",  # a pool that confirms sign-ups itself marks the email verified
            "cognito-idp:AdminGetUser",  # a confirmed email's user takes the shares made to it
            "cognito-idp:AdminAddUserToGroup",
            "cognito-idp:AdminDeleteUser",
            "cognito-idp:RevokeToken",
        ),
        serves_sso=True,
    ),
    FunctionSpec(
        name="users",
        kind="http",
        description="The caller's own account and user administration",
        uses=(("Users", "write"), *SIGNED_IN, *AUDITED, *ALERT_INBOX_UPKEEP),
        cognito_actions=("cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminRemoveUserFromGroup"),
        paginates=True,
    ),
    FunctionSpec(
        name="patients",
        kind="http",
        description="Patient profiles and care teams",
        uses=(
            ("Patients", "write"),
            ("CareTeams", "write"),
            ("UniqueKeys", "write"),
            ("Users", "write"),
            *SIGNED_IN,
            *IDEMPOTENT,
            *AUDITED,
            *PATIENT_SCOPED,
            *ALERT_INBOX_UPKEEP,
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="devices",
        kind="http",
        description="Device provisioning, readings with versions, reading days, rejected readings",
        uses=(
            ("Devices", "write"),
            ("DeviceData", "write"),
            ("ReadingDays", "write"),  # a manual reading counts in its day, in the reading's transaction
            ("Watches", "write"),  # a new device re-arms a watch that had no active device
            ("RejectedReadings", "read"),
            ("Thresholds", "read"),
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
            *SIGNED_IN,
            *IDEMPOTENT,
            *AUDITED,
            *PATIENT_SCOPED,
        ),
        iot_actions=(
            "iot:CreateThing",
            "iot:DeleteThing",
            "iot:CreateKeysAndCertificate",
            "iot:UpdateCertificate",
            "iot:AttachPolicy",
            "iot:AttachThingPrincipal",
            "iot:DescribeEndpoint",
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="monitoring",
        kind="http",
        description="Threshold rules, monitoring logs and alerts",
        uses=(
            ("DeviceData", "read"),
            ("Thresholds", "write"),
            ("Watches", "write"),  # noDataHours and escalateAfterMinutes, copied for the watch
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
            *SIGNED_IN,
            *IDEMPOTENT,
            *AUDITED,
            *PATIENT_SCOPED,
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="reports",
        kind="http",
        description="The RPM billing report: device periods, management minutes and candidate codes per patient",
        uses=(
            ("ReadingDays", "read"),
            ("MonitoringLogs", "read"),
            *SIGNED_IN,
            *AUDITED,
            *PATIENT_SCOPED,
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="ingest",
        kind="queue",
        description="Device readings from the IoT topic rule's queue: validated, stored exactly once, thresholds",
        uses=(
            ("DeviceReadings", "consume"),
            ("Devices", "read"),
            ("CareTeams", "read"),
            ("Thresholds", "read"),
            ("DeviceData", "write"),
            ("ReadingDays", "write"),
            ("Patients", "read"),  # the patient's time zone names the day a reading counts in
            ("Watches", "write"),  # the last arrival; an open no-data alert resolves
            ("RejectedReadings", "write"),
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
        ),
    ),
    FunctionSpec(
        name="messaging",
        description="Threads, messages and attachments (presigned uploads and downloads)",
        kind="http",
        uses=(
            ("Threads", "write"),
            ("ThreadMembers", "write"),
            ("Messages", "write"),
            ("Attachments", "write"),
            ("AttachmentFiles", "write"),
            *SIGNED_IN,
            *IDEMPOTENT,
            *AUDITED,
            *PATIENT_SCOPED,
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="clinical",
        kind="http",
        description="Clinical records: lab results, treatment plans and appointments",
        uses=(
            ("LabResults", "write"),
            ("TreatmentPlans", "write"),
            ("Appointments", "write"),
            ("ProviderSchedules", "write"),
            ("Attachments", "read"),  # a lab result's attachments must be this patient's
            *SIGNED_IN,
            *IDEMPOTENT,
            *AUDITED,
            *PATIENT_SCOPED,
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="uploadverifier",
        kind="queue",
        description="Checks each uploaded attachment (size, type, first bytes): available or rejected",
        uses=(("AttachmentUploads", "consume"), ("Attachments", "write"), ("AttachmentFiles", "write")),
    ),
    FunctionSpec(
        name="threadsync",
        kind="stream",
        description="Threads follow care-team changes; legal holds reach messages and attachments",
        uses=(
            ("CareTeams", "stream"),
            ("Threads", "stream"),
            ("Threads", "write"),
            ("ThreadMembers", "write"),
            ("Messages", "write"),
            ("Attachments", "write"),
            ("AttachmentFiles", "write"),
        ),
    ),
    FunctionSpec(
        name="accountsync",
        kind="stream",
        description="Cognito follows the Users table: a disabled account is disabled there and signed out everywhere",
        uses=(("Users", "stream"),),
        cognito_actions=(
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminUserGlobalSignOut",
            "cognito-idp:AdminEnableUser",
        ),
    ),
    FunctionSpec(
        name="audit",
        kind="http",
        description="The audit trail: queries (admins), the patient's access log, chain verification",
        uses=(*SIGNED_IN, *PATIENT_SCOPED, *AUDITED, ("AuditDigests", "verify")),
        paginates=True,
    ),
    FunctionSpec(
        name="auditwriter",
        kind="stream",
        description="Audits every change of patient data from the tables' streams",
        uses=(*AUDITED_TABLE_STREAMS, ("AuditLog", "append"), ("AuditLog", "read")),
    ),
    FunctionSpec(
        name="auditdigest",
        kind="schedule",
        description="Anchors a digest of the audit chains' heads in the Object Lock bucket, hourly and on demand",
        uses=(("AuditLog", "append"), ("AuditLog", "read"), ("AuditDigests", "append")),
        every_minutes=60,
    ),
    FunctionSpec(
        name="auditverify",
        kind="schedule",
        description="Verifies the audit chains over the last day against the anchored digests, daily; "
        "publishes AuditChainVerified for the alarm",
        uses=(("AuditLog", "read"), ("AuditDigests", "verify")),
        every_minutes=24 * 60,
    ),
    FunctionSpec(
        name="watch",
        kind="schedule",
        description="No-data alerts for patients gone quiet and escalation of alerts left open, every 5 minutes",
        uses=(
            ("Watches", "write"),
            ("Devices", "read"),
            ("CareTeams", "read"),
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
        ),
        every_minutes=5,
    ),
    FunctionSpec(
        name="live",
        kind="websocket",
        description="WebSocket routes: $connect (ticket used or token verified, session and account checked), "
        "$disconnect, ping",
        uses=((LIVE.name, "serve"), ("Connections", "write"), ("LiveTickets", "write"), *SIGNED_IN),
    ),
    FunctionSpec(
        name="notifier",
        kind="stream",
        description="Live notifications: ids of new records to whoever may see them now; logouts close connections",
        uses=(
            *((table, "stream") for table in notifications.stream_tables()),
            ("Users", "read"),
            ("Patients", "read"),
            ("CareTeams", "read"),
            ("RevokedSessions", "read"),
            ("Connections", "write"),
            (LIVE.name, "manage"),
        ),
    ),
    FunctionSpec(
        name="sharing",
        kind="http",
        description="Shares of a patient's records (caregivers, outside doctors) and break-glass access",
        uses=(
            *SIGNED_IN,
            *IDEMPOTENT,
            *PATIENT_SCOPED,
            *AUDITED,
            ("Shares", "write"),
            ("PatientGrants", "write"),
            ("BreakGlass", "write"),
        ),
        cognito_actions=("cognito-idp:AdminGetUser",),
        paginates=True,
    ),
    FunctionSpec(
        name="tokens",
        kind="user_pool_trigger",
        description="Cognito pre token generation: access tokens without aws.cognito.signin.user.admin, so a "
        "stolen token cannot change or delete the account through Cognito's own API",
        user_pool_trigger="pre_token_generation",
    ),
    FunctionSpec(
        name="graphqlapi",
        kind="http",
        description="GraphQL over the REST services (POST /graphql), its schema and an offline GraphiQL",
        uses=(  # what the services its resolvers call use (the REST twins' functions)
            ("Devices", "read"),
            ("DeviceData", "write"),  # publishReading, correctReading
            ("ReadingDays", "write"),  # a manual reading counts in its day
            ("Thresholds", "read"),
            ("MonitoringLogs", "write"),
            ("AlertInbox", "write"),
            ("LabResults", "write"),
            ("TreatmentPlans", "read"),
            ("Appointments", "write"),
            ("ProviderSchedules", "write"),
            ("Threads", "write"),
            ("ThreadMembers", "write"),
            ("Messages", "write"),  # sendMessage; listing marks received messages delivered
            ("Attachments", "read"),  # a message's or lab result's attachments must be the patient's
            *SIGNED_IN,
            *AUDITED,
            *PATIENT_SCOPED,
        ),
        paginates=True,
        serves_graphql=True,
    ),
    FunctionSpec(
        name="fhirapi",
        kind="http",
        description="FHIR R4 views of patients, readings, devices and clinical records; bulk export kick-off, "
        "status and cancel",
        uses=(  # what the services it calls use (the REST reads' functions), and the export job's pieces
            ("Devices", "read"),
            ("DeviceData", "read"),
            ("LabResults", "read"),
            ("TreatmentPlans", "read"),
            ("Appointments", "read"),
            ("Exports", "write"),
            ("ExportJobs", "send"),
            ("ExportFiles", "write"),  # presigned GETs of the files; a cancel deletes them
            *SIGNED_IN,
            *AUDITED,
            *PATIENT_SCOPED,
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="exportworker",
        kind="queue",
        description="FHIR bulk export jobs: NDJSON files by multipart upload, continued from a checkpoint",
        uses=(
            ("ExportJobs", "consume"),
            ("ExportJobs", "send"),  # a job that outlives an invocation goes back with its checkpoint
            ("Exports", "write"),
            ("ExportFiles", "write"),
            ("Patients", "read"),
            ("Devices", "read"),
            ("DeviceData", "read"),
            ("LabResults", "read"),
            ("TreatmentPlans", "read"),
            ("Appointments", "read"),
        ),
        paginates=True,
    ),
    FunctionSpec(
        name="docs",
        kind="http",
        description="OpenAPI document, API playground, health, and problem+json answers for unknown routes",
        uses=(("RevokedSessions", "read"),),  # GET /health: one key read (no session has the probe's key)
        serves_default_route=True,
    ),
)


def check(functions: tuple[FunctionSpec, ...], resources: dict[str, Spec]) -> None:
    """Fails on a catalog entry that names an unknown kind or resource, or an access its kind lacks."""
    for spec in functions:
        if spec.kind not in KINDS:
            raise ValueError(f"{spec.name}: unknown kind {spec.kind!r}; known: {sorted(KINDS)}")
        for name, access in spec.uses:
            resource = resources.get(name)
            if resource is None:
                raise ValueError(f"{spec.name}: uses {name!r}, which is not declared")
            if access not in accesses_of(resource):
                raise ValueError(f"{spec.name}: {name} is a {type(resource).__name__}; {access!r} is not its access")
        source = spec.function_kind.event_source
        streams = [n for n in spec.stream_sources if isinstance(resources[n], TableSpec)]
        consumed = [n for n in spec.using("consume") if isinstance(resources[n], QueueSpec)]
        if (source == "stream") != bool(streams):
            raise ValueError(f"{spec.name}: only (and every) {spec.kind!r} function with 'stream' uses reads streams")
        if (source == "queue") != (len(consumed) == 1) or len(consumed) > 1:
            raise ValueError(f"{spec.name}: a queue function consumes exactly one queue, other kinds none")
        served = [n for n in spec.using("serve") if isinstance(resources[n], WebSocketApiSpec)]
        if (source == "websocket") != (len(served) == 1) or len(served) > 1:
            raise ValueError(f"{spec.name}: a websocket function serves exactly one WebSocket API, other kinds none")
        if (source == "schedule") != bool(spec.every_minutes):
            raise ValueError(f"{spec.name}: a schedule function (and only one) says how often it runs (every_minutes)")
        if (source == "user_pool") != bool(spec.user_pool_trigger):
            raise ValueError(f"{spec.name}: a user_pool_trigger function (and only one) names its user_pool_trigger")
        if not spec.function_kind.knows_user_pool and spec.cognito_actions:
            raise ValueError(f"{spec.name}: a {spec.kind} function cannot call the user pool that invokes it")
        for name in streams:
            table = resources[name]
            if isinstance(table, TableSpec) and not table.streamed:
                raise ValueError(f"{spec.name}: table {name} has no stream")
    consumers = Counter(table for spec in functions for table in spec.stream_sources)
    crowded = sorted(table for table, count in consumers.items() if count > MAX_CONSUMERS_PER_STREAM)
    if crowded:
        raise ValueError(
            f"more than {MAX_CONSUMERS_PER_STREAM} functions read the streams of {crowded}: DynamoDB throttles a "
            "third reader; fan the stream out instead (docs/SCALE.md)"
        )


def function(name: str) -> FunctionSpec:
    for spec in FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def load(spec: FunctionSpec) -> ModuleType:
    return importlib.import_module(spec.module)


@cache
def http_routes() -> tuple[RouteSpec, ...]:
    """Every route the HTTP functions serve, read from their routers."""
    routes: list[RouteSpec] = []
    for spec in FUNCTIONS:
        if spec.kind == "http":
            routes.extend(routes_of(load(spec).router, spec.name))
    return tuple(routes)


check(FUNCTIONS, declared())
