"""Live notifications: which table changes announce what to whom, and their delivery at send time.

``SOURCES`` is the whole list of what is announced: a source table's logical name → its ``Source``,
a rule that turns one stream record into a ``Notice`` (event type, patient, object id, audience) or
nothing. The notifier's catalog entry reads its stream sources from here, so a table plugs in with
one entry (the table declared in ``rpm_core.data.tables`` with ``stream`` or ``patient_data``)::

    Source(MONITORING_LOGS, created("alert.created", "logId", "care_team", where=lambda i: i.get("kind") == "alert"))
    Source(DEVICE_DATA, created("devicedata.created", "dataId", "care_team", coalesce_seconds=1))

Audiences follow the contract: ``recipient`` (the item's recipient user), ``care_team`` (the
patient's care team now), ``patient_and_care_team``, ``care_team_and_admins`` and ``admins`` (every
active admin now: a break-glass opened). Access is decided again when each event is
sent, from storage as it is now: the user's role and status, the care-team seat (a clinician taken
off the team gets nothing more), and each connection's session (a revoked one is closed, not sent
to). A frame carries ids and a time only, never patient data.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from rpm_core.auth import Principal
from rpm_core.clock import now_iso
from rpm_core.config import process_cache
from rpm_core.data import care_teams as team_store
from rpm_core.data import connections as connection_store
from rpm_core.data import stream_records
from rpm_core.data import users as user_store
from rpm_core.data.request_reads import KeyRead, read_together
from rpm_core.data.resources import LIVE, WebSocketApiSpec
from rpm_core.data.tables import (
    BREAK_GLASS,
    CARE_TEAMS,
    DEVICE_DATA,
    LAB_RESULTS,
    MESSAGES,
    MONITORING_LOGS,
    PATIENTS,
    REVOKED_SESSIONS,
    USERS,
    TableSpec,
)
from rpm_core.services.access import may_see_patient

Audience = Literal["recipient", "care_team", "patient_and_care_team", "care_team_and_admins", "admins"]
Item = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One stream record: its event name and its images as plain values."""

    event: str
    new: Item | None
    old: Item | None


@dataclass(frozen=True)
class Notice:
    type: str
    patient_id: str
    object_id: str
    audience: Audience
    at: str
    recipient: str | None = None
    coalesce_seconds: int = 0
    """At most one event of this type per patient per this many seconds (0: every one)."""

    def frame(self) -> bytes:
        """What the client receives: ids and a time, nothing else."""
        body = {"type": self.type, "patientId": self.patient_id, "objectId": self.object_id, "at": self.at}
        return json.dumps(body, separators=(",", ":")).encode()


Rule = Callable[[Change], Notice | None]
Predicate = Callable[[Item], bool]


def _at(item: Item) -> str:
    return str(item.get("updatedAt") or item.get("createdAt") or now_iso())


def created(
    type_: str,
    id_field: str,
    audience: Audience,
    *,
    recipient_field: str | None = None,
    where: Predicate | None = None,
    coalesce_seconds: int = 0,
) -> Rule:
    """A new item (INSERT) announces ``type_`` about its ``patientId``, identified by ``id_field``."""

    def rule(change: Change) -> Notice | None:
        item = change.new
        if change.event != "INSERT" or not item or (where and not where(item)) or "patientId" not in item:
            return None
        return Notice(
            type=type_,
            patient_id=str(item["patientId"]),
            object_id=str(item[id_field]),
            audience=audience,
            at=_at(item),
            recipient=str(item[recipient_field]) if recipient_field else None,
            coalesce_seconds=coalesce_seconds,
        )

    return rule


def became(type_: str, id_field: str, audience: Audience, *, field: str, value: str, where: Predicate) -> Rule:
    """An item whose ``field`` became ``value`` (created so, or changed to it) announces ``type_``."""

    def rule(change: Change) -> Notice | None:
        new, old = change.new or {}, change.old or {}
        if change.event == "REMOVE" or new.get(field) != value or old.get(field) == value or not where(new):
            return None
        return Notice(type_, str(new["patientId"]), str(new[id_field]), audience, _at(new))

    return rule


def gained(type_: str, id_field: str, audience: Audience, *, field: str, where: Predicate) -> Rule:
    """An existing item that gained ``field`` (absent in the old image, present in the new) announces ``type_``."""

    def rule(change: Change) -> Notice | None:
        new, old = change.new or {}, change.old or {}
        if change.event != "MODIFY" or not new.get(field) or old.get(field) or not where(new):
            return None
        return Notice(type_, str(new["patientId"]), str(new[id_field]), audience, _at(new))

    return rule


def either(*rules: Rule) -> Rule:
    """The first of ``rules`` that announces something (one table, several kinds of event)."""

    def rule(change: Change) -> Notice | None:
        return next((notice for notice in (one(change) for one in rules) if notice), None)

    return rule


@dataclass(frozen=True)
class Source:
    table: TableSpec
    rule: Rule


def _current_result(item: Item) -> bool:
    """A lab result itself, not one of its version snapshots (``result#<id>#v#<n>``)."""
    return "#v#" not in str(item.get("recordKey", ""))


def _alert(item: Item) -> bool:
    return item.get("kind") == "alert"


def _first_version(item: Item) -> bool:
    """A new reading, not a correction (version n + 1 of one already announced)."""
    return int(item.get("version", 1)) == 1


SOURCES: dict[str, Source] = {
    source.table.name: source
    for source in (
        Source(MESSAGES, created("message.created", "messageId", "recipient", recipient_field="recipient")),
        Source(
            MONITORING_LOGS,
            either(
                created("alert.created", "logId", "care_team", where=_alert),
                gained("alert.escalated", "logId", "care_team_and_admins", field="escalatedAt", where=_alert),
            ),
        ),
        Source(
            DEVICE_DATA, created("devicedata.created", "dataId", "care_team", where=_first_version, coalesce_seconds=1)
        ),
        Source(BREAK_GLASS, created("breakglass.opened", "breakGlassId", "admins")),
        Source(
            LAB_RESULTS,
            became(
                "labresult.final",
                "labResultId",
                "patient_and_care_team",
                field="status",
                value="final",
                where=_current_result,
            ),
        ),
    )
}
"""Announced tables by logical name. Device data is coalesced: at most one ``devicedata.created`` per patient
per second, whatever the ingest rate."""
SESSION_ENDS = REVOKED_SESSIONS
"""A new row here (a logout) closes that session's connections at once."""


def stream_tables() -> tuple[str, ...]:
    """The tables the notifier reads the streams of (its catalog entry's ``stream`` uses)."""
    return (*SOURCES, SESSION_ENDS.name)


def table_of(event_source_arn: str, sources: Iterable[Source] | None = None) -> TableSpec | None:
    """The declared table a stream record came from."""
    return stream_records.table_of(
        event_source_arn, (*(source.table for source in (sources or SOURCES.values())), SESSION_ENDS)
    )


@process_cache
def _recent() -> dict[tuple[str, str], int]:
    return {}


_recent_lock = threading.Lock()


def first_in_window(notice: Notice, now: float | None = None) -> bool:
    """Coalescing: whether this notice is the first of its type and patient in its time window.

    Per notifier process: a patient's records (one partition key) come from one stream shard, which
    one invocation at a time consumes in order, so the window holds for the deployed mapping.
    """
    if notice.coalesce_seconds <= 0:
        return True
    window = int((time.time() if now is None else now) // notice.coalesce_seconds)
    key = (notice.type, notice.patient_id)
    with _recent_lock:
        if _recent().get(key) == window:
            return False
        _recent()[key] = window
        return True


@dataclass
class Delivery:
    """Delivers the notices of one invocation; reads are kept for the invocation's later records
    (a batch often carries several changes of one patient)."""

    api: WebSocketApiSpec = LIVE
    teams: dict[str, set[str]] = field(default_factory=dict)
    items: dict[tuple[str, str], Item | None] = field(default_factory=dict)
    sent: int = 0
    gone: int = 0
    closed: int = 0
    coalesced: int = 0
    admins: set[str] | None = None

    def _read(self, reads: list[KeyRead]) -> None:
        missing = list({read.slot: read for read in reads if read.slot not in self.items}.values())
        if missing:
            for read, item in zip(missing, read_together(missing), strict=True):
                self.items[read.slot] = item

    def _item(self, read: KeyRead) -> Item | None:
        return self.items.get(read.slot)

    def _team(self, patient_id: str) -> set[str]:
        if patient_id not in self.teams:
            self.teams[patient_id] = set(team_store.member_ids(patient_id))
        return self.teams[patient_id]

    def _admins(self) -> set[str]:
        if self.admins is None:
            self.admins = set(user_store.ids_with_role("admin"))
        return self.admins

    def deliver(self, notice: Notice) -> None:
        if not first_in_window(notice):
            self.coalesced += 1
            return
        patient = notice.patient_id
        team = self._team(patient) if notice.audience not in ("recipient", "admins") else set()
        seat = KeyRead(CARE_TEAMS, {"patientId": patient, "clinicianId": notice.recipient or ""})
        profile = KeyRead(PATIENTS, {"patientId": patient})
        candidates = set(team) | ({notice.recipient} if notice.recipient else set())
        if notice.audience in ("care_team_and_admins", "admins"):
            candidates |= self._admins()  # each is checked below: an active admin sees every patient
        first = [KeyRead(USERS, {"userId": user}) for user in sorted(candidates)]
        first += [seat] if notice.audience == "recipient" else []
        first += [profile] if notice.audience == "patient_and_care_team" else []
        self._read(first)
        on_team = team | ({notice.recipient} if notice.recipient and self._item(seat) else set())
        allowed = {
            user
            for user in candidates
            if may_see_patient(self._item(KeyRead(USERS, {"userId": user})), patient, on_care_team=user in on_team)
        }
        patient_user = str((self._item(profile) or {}).get("userId") or "")
        if notice.audience == "patient_and_care_team" and patient_user:
            allowed.add(patient_user)  # confirmed below, in the same read as the sessions
        connections = [c for user in sorted(allowed) for c in connection_store.of_user(user) if c.get("sessionId")]
        second = [KeyRead(REVOKED_SESSIONS, {"originJti": str(c.get("sessionId", ""))}) for c in connections]
        second += [KeyRead(USERS, {"userId": patient_user})] if patient_user in allowed else []
        self._read(second)
        if patient_user in allowed and not may_see_patient(
            self._item(KeyRead(USERS, {"userId": patient_user})), patient, on_care_team=False
        ):
            connections = [c for c in connections if c["userId"] != patient_user]
        frame = notice.frame()
        for connection in connections:
            if self._item(KeyRead(REVOKED_SESSIONS, {"originJti": str(connection.get("sessionId", ""))})):
                self._close(connection["connectionId"])
            else:
                self._post(connection["connectionId"], frame)

    def _post(self, connection_id: str, frame: bytes) -> None:
        try:
            connection_store.post(self.api, connection_id, frame)
            self.sent += 1
        except connection_store.ConnectionGone:
            connection_store.delete(connection_id)
            self.gone += 1

    def _close(self, connection_id: str) -> None:
        connection_store.close(self.api, connection_id)
        connection_store.delete(connection_id)
        self.closed += 1

    def end_session(self, user_id: str, session_id: str) -> None:
        """A logged-out session's connections are closed at once."""
        for connection in connection_store.of_user(user_id):
            if connection.get("sessionId") == session_id:
                self._close(connection["connectionId"])


CONNECTION_LIFETIME_SECONDS = 2 * 3600
"""API Gateway closes a WebSocket connection after two hours; a row whose ``$disconnect`` was lost expires then."""


def open_connection(principal: Principal, connection_id: str) -> None:
    """Registers a connection whose ``$connect`` token was verified (``sessions.authenticate_token``)."""
    connection_store.save(
        {
            "connectionId": connection_id,
            "userId": principal.user_id,
            "sessionId": principal.session_id,
            "connectedAt": now_iso(),
            "expiresAt": int(time.time()) + CONNECTION_LIFETIME_SECONDS,
        }
    )


def forget_connection(connection_id: str) -> None:
    connection_store.delete(connection_id)
