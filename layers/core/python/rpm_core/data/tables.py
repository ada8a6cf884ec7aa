"""Table declarations: the single source of truth for every DynamoDB table.

The CDK app (``infra/constructs/data.py``) and the local stack (``infra/local``) both
create tables from these specs, and repositories find a table's physical name through
``TableSpec.env_var``. Each spec lists the access patterns it was designed for; a new
query needs a key or index here first (no ``Scan`` on a request path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

KeyType = Literal["S", "N", "B"]


@dataclass(frozen=True)
class Key:
    name: str
    type: KeyType = "S"


@dataclass(frozen=True)
class IndexSpec:
    name: str
    partition_key: Key
    sort_key: Key | None = None
    projection: Literal["ALL", "KEYS_ONLY"] = "ALL"


@dataclass(frozen=True)
class TableSpec:
    """One DynamoDB table. ``name`` is the logical name; ``env_var`` carries the physical one."""

    name: str
    partition_key: Key
    sort_key: Key | None = None
    indexes: tuple[IndexSpec, ...] = ()
    ttl_attribute: str | None = None
    stream: bool = False
    """Emit NEW_AND_OLD_IMAGES stream records (tables whose changes are audited or notified)."""
    patient_data: bool = False
    """Holds patient data (PHI or the account data around it): every change is audited from the
    table's stream, which this flag alone turns on (see ``streamed``)."""
    access_patterns: tuple[str, ...] = field(default=())

    @property
    def streamed(self) -> bool:
        return self.stream or self.patient_data

    @property
    def env_var(self) -> str:
        return "TABLE_" + "".join("_" + c if c.isupper() else c.upper() for c in self.name).lstrip("_")


USERS = TableSpec(
    name="Users",
    patient_data=True,
    partition_key=Key("userId"),
    indexes=(
        IndexSpec("byRole", Key("role"), Key("createdAt")),
        IndexSpec("byKind", Key("kind"), Key("createdAt")),
    ),
    stream=True,
    access_patterns=(
        "get a user by id (the authorizer: role, status, patientId)",
        "admin: list users of one role, oldest first (byRole)",
        "admin: list all users, oldest first (byKind, kind='user')",
    ),
)

PATIENTS = TableSpec(
    name="Patients",
    patient_data=True,
    partition_key=Key("patientId"),
    indexes=(IndexSpec("byKind", Key("kind"), Key("createdAt")),),
    stream=True,
    access_patterns=(
        "get a profile by id (with the caller's care-team membership in one BatchGetItem)",
        "admin: list all profiles, oldest first (byKind, kind='patient')",
        "clinician: profiles by id from the care-team index (BatchGetItem)",
    ),
)

CARE_TEAMS = TableSpec(
    name="CareTeams",
    patient_data=True,
    partition_key=Key("patientId"),
    sort_key=Key("clinicianId"),
    indexes=(IndexSpec("byClinician", Key("clinicianId"), Key("patientId")),),
    stream=True,
    access_patterns=(
        "is clinician C on patient P's care team (the key, batched with the profile in one BatchGetItem)",
        "a patient's care team (Query on patientId)",
        "a clinician's patients (Query byClinician)",
    ),
)

UNIQUE_KEYS = TableSpec(
    name="UniqueKeys",
    partition_key=Key("uniqueKey"),
    access_patterns=(
        "claim a unique value (MRN, one profile per user) with a conditional put inside the "
        "transaction that writes the owning item",
    ),
)

REVOKED_SESSIONS = TableSpec(
    name="RevokedSessions",
    partition_key=Key("originJti"),
    ttl_attribute="expiresAt",
    stream=True,
    access_patterns=(
        "is this session (the token's origin_jti) revoked: on every request, batched with the user in one BatchGetItem",
        "items expire with the session's refresh-token lifetime (TTL)",
        "streamed: a revocation closes the session's live connections at once (the notifier)",
    ),
)

LIVE_TICKETS = TableSpec(
    name="LiveTickets",
    partition_key=Key("ticketHash"),
    ttl_attribute="expiresAt",
    access_patterns=(
        "a single-use ticket for a WebSocket $connect (POST /live/tickets), keyed by the SHA-256 of the ticket: "
        "the ticket itself is never stored, so a reader of the table cannot connect",
        "used by one conditional DeleteItem (attribute_exists and expiresAt > now, returning the old item): "
        "of two connects racing with one ticket, exactly one gets the item",
        "expiresAt = issue + 60 s (epoch seconds): the delete's condition refuses an expired ticket, TTL removes it",
        "ids and times only (the user and the session it is bound to): neither audited nor streamed",
    ),
)

CONNECTIONS = TableSpec(
    name="Connections",
    partition_key=Key("connectionId"),
    indexes=(IndexSpec("byUser", Key("userId"), Key("connectionId")),),
    ttl_attribute="expiresAt",
    access_patterns=(
        "a live WebSocket connection by id: written at $connect (user, session, role), deleted at $disconnect "
        "and when the Management API answers Gone",
        "a user's open connections (Query byUser): the notifier's recipients, a revoked session's connections",
        "expiresAt = connectedAt + API Gateway's two-hour connection limit: rows whose $disconnect was lost expire",
        "ids and times only (no patient data), so it is neither audited nor streamed",
    ),
)

DEVICES = TableSpec(
    name="Devices",
    patient_data=True,
    partition_key=Key("deviceId"),
    indexes=(IndexSpec("byPatient", Key("patientId"), Key("createdAt")),),
    access_patterns=(
        "get devices by id (ingest: every device of a batch in one BatchGetItem)",
        "a patient's devices, oldest first (Query byPatient)",
    ),
)

DEVICE_DATA = TableSpec(
    name="DeviceData",
    patient_data=True,
    partition_key=Key("dataId"),
    sort_key=Key("version", "N"),
    indexes=(
        IndexSpec("byPatient", Key("latestOf"), Key("listAt")),
        IndexSpec("byPatientType", Key("latestOfType"), Key("listAt")),
    ),
    access_patterns=(
        "every version of a reading, oldest first (Query dataId); the latest (Query, descending, Limit 1)",
        "a device reading's key is deterministic: dataId = uuid5(deviceId#messageId), version 1, written by a "
        "conditional put inside the transaction that also counts the day and raises the alert: exactly once",
        "a patient's latest versions newest recordedAt first, from/to on listAt = recordedAt#dataId "
        "(sparse byPatient: latestOf = patientId is carried by the latest version only)",
        "the same for one device type (sparse byPatientType: latestOfType = patientId#deviceType)",
        "a correction removes latestOf/latestOfType from version n and puts version n + 1 in one transaction, "
        "conditioned on version n still being the latest (else 412)",
    ),
)

READING_DAYS = TableSpec(
    name="ReadingDays",
    patient_data=True,
    partition_key=Key("patientId"),
    sort_key=Key("day"),
    access_patterns=(
        "per patient per day (YYYY-MM-DD, the patient's time zone): readings count and device types, "
        "incremented by ingest in the transaction that stores the readings",
        "a month of days: Query patientId, day between YYYY-MM-01 and YYYY-MM-31 (reading-days, billing)",
    ),
)

REJECTED_READINGS = TableSpec(
    name="RejectedReadings",
    patient_data=True,
    partition_key=Key("rejectionId"),
    indexes=(
        IndexSpec("byTime", Key("feed"), Key("listAt")),
        IndexSpec("byDevice", Key("deviceId"), Key("listAt")),
    ),
    ttl_attribute="expiresAt",
    access_patterns=(
        "a rejected message keyed deterministically (deviceId#messageId#reason): a redelivery rewrites it, "
        "never adds a second",
        "admin: newest first, from/to (Query byTime, feed = 'rejected'; a low-volume operator feed)",
        "admin: one device's rejections newest first (Query byDevice)",
        "items expire after the retention period (TTL)",
    ),
)

THRESHOLDS = TableSpec(
    name="Thresholds",
    patient_data=True,
    partition_key=Key("patientId"),
    access_patterns=("a patient's rules: one item, replaced whole (PUT), read by ingest in its BatchGetItem",),
)

MONITORING_LOGS = TableSpec(
    name="MonitoringLogs",
    patient_data=True,
    partition_key=Key("logId"),
    indexes=(
        IndexSpec("byPatient", Key("patientId"), Key("listAt")),
        IndexSpec("byPatientKind", Key("patientKind"), Key("listAt")),
        IndexSpec("byPatientStatus", Key("patientStatus"), Key("listAt")),
        IndexSpec("byPatientKindStatus", Key("patientKindStatus"), Key("listAt")),
        IndexSpec("alertsByStatus", Key("alertStatus"), Key("listAt")),
        IndexSpec("alertsByStatusSeverity", Key("alertStatusSeverity"), Key("listAt")),
        IndexSpec("byEscalation", Key("escalationShard"), Key("escalateAt"), projection="KEYS_ONLY"),
    ),
    access_patterns=(
        "a log by id (PATCH: status transitions conditioned on the current status)",
        "an alert's id is deterministic (uuid5 of its reading): a redelivery cannot raise a second",
        "a patient's logs newest first, listAt = timestamp#logId, optionally by kind, status or both "
        "(byPatient, byPatientKind, byPatientStatus, byPatientKindStatus: no filter expressions)",
        "admin: alerts across all patients by status (and severity), newest first (alertsByStatus*, sparse)",
        "alerts due for escalation: Query byEscalation (escalationShard = one of 4, escalateAt <= now); an open "
        "alert of a patient with escalateAfterMinutes carries both keys until it is escalated or acknowledged "
        "(sparse: a run reads the due alerts only)",
    ),
)

WATCHES = TableSpec(
    name="Watches",
    partition_key=Key("patientId"),
    indexes=(IndexSpec("byDue", Key("dueShard"), Key("dueAt")),),
    access_patterns=(
        "one item per patient: when a transmitted reading last arrived (server receive time), noDataHours and "
        "escalateAfterMinutes (copied from the thresholds), the open no-data alert's id",
        "written in the ingest transaction that stores the readings (dueAt = lastReceivedAt + noDataHours) and by "
        "PUT thresholds; read by ingest in its BatchGetItem",
        "patients whose silence is due: Query byDue (dueShard = one of 4, dueAt <= now); sparse: a raised alert or "
        "no noDataHours removes the keys, a reading puts them back, so a run reads the due patients only",
        "ids and times only (no patient data): neither audited nor streamed; the alerts it raises are",
    ),
)

ALERT_INBOX = TableSpec(
    name="AlertInbox",
    patient_data=True,
    partition_key=Key("clinicianId"),
    sort_key=Key("alertId"),
    indexes=(
        IndexSpec("byStatus", Key("clinicianStatus"), Key("listAt")),
        IndexSpec("byStatusSeverity", Key("clinicianStatusSeverity"), Key("listAt")),
        IndexSpec("byPatient", Key("clinicianPatient"), Key("alertId"), projection="KEYS_ONLY"),
    ),
    access_patterns=(
        "one item per (care-team clinician, alert): written with the alert, copied for a clinician "
        "put on the team, deleted for one taken off",
        "a clinician's alerts by status (and severity) newest first, across all their patients, in O(page) "
        "(byStatus, byStatusSeverity); the page's care-team seats are checked in the BatchGetItem that loads "
        "the alerts, so a seat removed a moment ago hides its alerts even before the cleanup",
        "a clinician's items for one patient (byPatient: clinicianPatient = clinicianId#patientId), "
        "for the cleanup when the clinician leaves the team",
    ),
)

THREADS = TableSpec(
    name="Threads",
    patient_data=True,
    partition_key=Key("threadId"),
    indexes=(IndexSpec("byPatient", Key("patientId"), Key("createdAt")),),
    access_patterns=(
        "get a thread by id (its patient decides who takes part: access.patient_grant at read time)",
        "every thread of a patient (Query byPatient): the care-team sync and nothing on a request path",
        "a page of threads by id (BatchGetItem, with the caller's care-team seats in the same call)",
    ),
)

THREAD_MEMBERS = TableSpec(
    name="ThreadMembers",
    partition_key=Key("threadId"),
    sort_key=Key("userId"),
    indexes=(IndexSpec("byMember", Key("userId"), Key("activity")),),
    access_patterns=(
        "a user's threads by last activity, newest first (Query byMember; activity = lastMessageAt#threadId)",
        "a thread's members (Query on threadId): the activity fan-out when a message is sent",
        "derived from Threads and CareTeams (both audited) by the threadsync function; holds ids and times only, "
        "so it is not patient data of its own",
    ),
)

MESSAGES = TableSpec(
    name="Messages",
    patient_data=True,
    partition_key=Key("threadId"),
    sort_key=Key("messageId"),
    ttl_attribute="expiresAt",
    access_patterns=(
        "a thread's messages newest first (Query on threadId, descending: message ids are time-ordered UUIDv7)",
        "one message by thread and id (GetItem)",
        "expiresAt (epoch seconds) = sentAt + the retention period; absent while the thread is on legal hold",
    ),
)

ATTACHMENTS = TableSpec(
    name="Attachments",
    patient_data=True,
    partition_key=Key("attachmentId"),
    ttl_attribute="expiresAt",
    access_patterns=(
        "one attachment by id (GetItem; BatchGetItem for the attachments of a message)",
        "the verifier finds the item from the object key (uploads/<attachmentId>)",
        "expiresAt = createdAt + the retention period; absent while a thread carrying it is on legal hold",
    ),
)

LAB_RESULTS = TableSpec(
    name="LabResults",
    patient_data=True,
    partition_key=Key("patientId"),
    sort_key=Key("recordKey"),
    indexes=(IndexSpec("byPublished", Key("patientId"), Key("listKey")),),
    access_patterns=(
        "a result: GetItem (patientId, recordKey='result#<id>'); it carries its version number",
        "a result's versions, oldest first: Query recordKey begins_with 'result#<id>#v#' (one snapshot item per "
        "version, written in the same TransactWriteItems as the change, conditioned on the version read)",
        "a patient's results, newest publishedAt first, drafts after: Query byPublished descending; the sparse "
        "listKey is '1#<publishedAt>#<id>' once published, '0#<createdAt>#<id>' before (snapshots carry none)",
    ),
)

TREATMENT_PLANS = TableSpec(
    name="TreatmentPlans",
    patient_data=True,
    partition_key=Key("patientId"),
    sort_key=Key("recordKey"),
    indexes=(
        IndexSpec("byCreated", Key("patientId"), Key("listKey")),
        IndexSpec("byStatus", Key("patientStatus"), Key("listKey")),
    ),
    access_patterns=(
        "a plan: GetItem (patientId, recordKey='plan#<id>')",
        "the patient's active plan: GetItem of the pointer (patientId, recordKey='active') naming it, then the plan; "
        "activation swaps the pointer (conditioned on the value read) and completes the previous plan in one "
        "TransactWriteItems, so two racing activations cannot both win",
        "a patient's plans, newest first: Query byCreated descending (listKey '<createdAt>#<id>', plans only)",
        "a patient's plans in one status, newest first: Query byStatus (patientStatus '<patientId>#<status>')",
    ),
)

APPOINTMENTS = TableSpec(
    name="Appointments",
    patient_data=True,
    partition_key=Key("patientId"),
    sort_key=Key("appointmentId"),
    indexes=(
        IndexSpec("byPatientStart", Key("patientId"), Key("startKey")),
        IndexSpec("byProviderStart", Key("providerId"), Key("startKey")),
    ),
    access_patterns=(
        "an appointment: GetItem (patientId, appointmentId)",
        "a patient's appointments by start time, optionally from..to: Query byPatientStart "
        "(startKey '<startAt>#<id>', ISO 8601 UTC so that text order is time order)",
        "a provider's schedule by start time, optionally from..to: Query byProviderStart",
    ),
)

PROVIDER_SCHEDULES = TableSpec(
    name="ProviderSchedules",
    patient_data=True,
    partition_key=Key("providerId"),
    sort_key=Key("entryKey"),
    access_patterns=(
        "a provider's bookings that may overlap [start, end): strongly consistent Query on the provider's partition, "
        "entryKey BETWEEN 'booking#<start - 8 h>' AND 'booking#<end>' (one booking item per appointment holding the "
        "provider's time: 'booking#<startAt, ISO 8601 UTC>#<appointmentId>' with endAt; released ones are flagged)",
        "the provider's schedule version (entryKey 'version'): read before that Query; every booking's "
        "TransactWriteItems (the appointment, its booking item) sets version + 1 on the condition that it is still "
        "the version read, so of two overlapping bookings that raced at most one commits",
    ),
)

SHARES = TableSpec(
    name="Shares",
    patient_data=True,
    partition_key=Key("patientId"),
    sort_key=Key("shareId"),
    indexes=(IndexSpec("byEmail", Key("email"), Key("createdAt")),),
    access_patterns=(
        "a patient's shares, oldest first (Query on patientId; POST/GET /patients/{id}/shares)",
        "one share by patient and id (DELETE revokes it)",
        "the shares made to an email (Query byEmail): a new share is refused while that email holds a live one "
        "of the patient, and a user whose email is verified later (sign-up, confirmation) takes its pending ones",
    ),
)

PATIENT_GRANTS = TableSpec(
    name="PatientGrants",
    patient_data=True,
    partition_key=Key("patientId"),
    sort_key=Key("granteeId"),
    indexes=(IndexSpec("byGrantee", Key("granteeId"), Key("patientId")),),
    access_patterns=(
        "does user U hold a grant to patient P beyond the care team: an active share (shareId, shareExpiresAt) or "
        "a break-glass window (breakGlassId, breakGlassExpiresAt), epoch seconds; the key rides in the request's "
        "one BatchGetItem with the profile and the care-team seat, and an expiry in the past is no grant",
        "the patients who share with a caregiver (Query byGrantee: GET /patients)",
    ),
)

BREAK_GLASS = TableSpec(
    name="BreakGlass",
    patient_data=True,
    partition_key=Key("breakGlassId"),
    indexes=(IndexSpec("byKind", Key("kind"), Key("listAt")),),
    access_patterns=(
        "admin review: every break-glass access opened in a time range, newest first (Query byKind, "
        "kind='break_glass', listAt = '<createdAt>#<id>' BETWEEN from AND to)",
        "the grant it opened lives in PatientGrants (breakGlassId, breakGlassExpiresAt): this is its record",
    ),
)

AUDIT_LOG = TableSpec(
    name="AuditLog",
    partition_key=Key("shard"),
    sort_key=Key("seq", "N"),
    indexes=(
        IndexSpec("byEntity", Key("entityKey"), Key("at")),
        IndexSpec("byEntityId", Key("entityId"), Key("at")),
        IndexSpec("byActor", Key("actor"), Key("at")),
        IndexSpec("byPatient", Key("patientId"), Key("at")),
        IndexSpec("byShardTime", Key("shard"), Key("at")),
    ),
    access_patterns=(
        "append to a shard's hash chain: put shard s00..s15 / seq = head + 1 only if new (attribute_not_exists); "
        "the head is one Query (shard, newest seq first, Limit 1) or the writer's cached last append",
        "exactly once per stream record: the entry and its claim (shard 'claim#<entry id>', seq 0) in one transaction",
        "verify: a shard's entries in seq order (Query on shard)",
        "admin: entries of one entity newest first, optionally from..to (byEntity: entityKey = '<type>#<id>', "
        "at = '<createdAt>#<objectId>')",
        "admin: entries of one entity id whatever its type, newest first (byEntityId; ids are generated, so one id "
        "names one entity)",
        "admin: entries of one actor newest first (byActor)",
        "the patient's access log: entries about one patient newest first (byPatient)",
        "admin: every entry in a time range, newest first: one Query per shard (byShardTime), merged; writes spread "
        "over the 16 shards, so no partition takes every write",
        "digests: index items (shard 'digest', seq = digest number, at = createdAt) of the digests anchored in the "
        "Object Lock bucket AuditDigests",
        "no TTL: entries are kept (at least six years; see README 'Audit trail'); no role may update or delete",
    ),
)

EXPORTS = TableSpec(
    name="Exports",
    partition_key=Key("jobId"),
    ttl_attribute="expiresAt",
    access_patterns=(
        "a bulk export job by id (GetItem): its owner, what it exports (patient or system, _type, _since), its "
        "status (queued, running, completed, cancelled), progress and output files (type, key, count)",
        "status changes are conditional updates (a cancelled job never becomes completed; a file is recorded "
        "only while the job is not cancelled)",
        "expiresAt = kick-off + 30 days (epoch seconds): TTL removes the record after its files (7 days) are gone",
        "ids, times and counts only (no patient data): neither audited nor streamed; each kick-off writes an "
        "'export' audit entry",
    ),
)

IDEMPOTENCY = TableSpec(
    name="Idempotency",
    partition_key=Key("id"),
    ttl_attribute="expiration",
    access_patterns=(
        "a POST's Idempotency-Key (GetItem, conditional PutItem, UpdateItem, DeleteItem by Powertools' idempotency "
        "utility): id = the function and a hash of (caller, route, key); the request body's hash; the status "
        "(INPROGRESS, COMPLETED) and the answer the first request gave, replayed to a retry",
        "expiration = first request + 24 hours (epoch seconds): TTL removes it; an answer that was not final (429, "
        "5xx) is deleted at once, so the retry runs again",
        "the stored answer may hold patient data (KMS-encrypted as every table; never listed, never streamed): a "
        "replay records its read in the audit trail as the first answer did",
    ),
)

TABLES: tuple[TableSpec, ...] = (
    USERS,
    PATIENTS,
    CARE_TEAMS,
    UNIQUE_KEYS,
    REVOKED_SESSIONS,
    DEVICES,
    DEVICE_DATA,
    READING_DAYS,
    REJECTED_READINGS,
    THRESHOLDS,
    MONITORING_LOGS,
    ALERT_INBOX,
    WATCHES,
    CONNECTIONS,
    LIVE_TICKETS,
    THREADS,
    THREAD_MEMBERS,
    MESSAGES,
    ATTACHMENTS,
    LAB_RESULTS,
    TREATMENT_PLANS,
    APPOINTMENTS,
    PROVIDER_SCHEDULES,
    SHARES,
    PATIENT_GRANTS,
    BREAK_GLASS,
    AUDIT_LOG,
    EXPORTS,
    IDEMPOTENCY,
)
