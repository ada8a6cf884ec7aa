"""Live notifications through the local stack, with real WebSocket clients.

Every source is announced from its real table (messages, lab results, alerts and readings: the
last test publishes a reading through the API). The finer rules (coalescing, audiences, a seat
removed, a session ended) are also driven through fixture tables declared here
(``stack.declare``) with the same rule builders, where a test needs to write items by hand.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from infra import catalog
from infra.local.sandbox import EVENTS
from infra.local.stack import LocalStack
from rpm_core.clock import now_iso
from rpm_core.data.aws import dynamodb_client
from rpm_core.data.resources import LIVE
from rpm_core.data.tables import Key, TableSpec
from rpm_core.services import notifications
from rpm_core.services.notifications import Source, created
from tests.support.api import Api
from tests.support.cast import Account, Cast, assign, new_clinician, new_patient
from tests.support.live import Listener

FIXTURE_LOGS = TableSpec(
    name="FixtureMonitoringLogs", partition_key=Key("patientId"), sort_key=Key("logId"), stream=True
)
FIXTURE_READINGS = TableSpec(
    name="FixtureDeviceData", partition_key=Key("patientId"), sort_key=Key("dataId"), stream=True
)
FIXTURE_SOURCES = (
    Source(FIXTURE_LOGS, notifications.SOURCES["MonitoringLogs"].rule),  # alert.created and alert.escalated
    Source(FIXTURE_READINGS, created("devicedata.created", "dataId", "care_team", coalesce_seconds=1)),
)
FIXTURE_NOTIFIER = catalog.FunctionSpec(
    name="fixturenotifier",
    kind="stream",
    description="the notifier, fed by fixture tables",
    uses=(
        (FIXTURE_LOGS.name, "stream"),
        (FIXTURE_READINGS.name, "stream"),
        ("Users", "read"),
        ("Patients", "read"),
        ("CareTeams", "read"),
        ("RevokedSessions", "read"),
        ("Connections", "write"),
        (LIVE.name, "manage"),
    ),
)
PHI = "Jane Q. Patient, BP 182/114, MRN-LEAK-CHECK"
EVENT_FIELDS = {"type", "patientId", "objectId", "at"}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture(scope="module")
def live_stack(stack: LocalStack) -> Iterator[LocalStack]:
    from notifier.handler import lambda_handler

    stack.runtime.register(FIXTURE_NOTIFIER.name, lambda_handler)
    for source in FIXTURE_SOURCES:
        notifications.SOURCES[source.table.name] = source
    stack.declare(tables=(FIXTURE_LOGS, FIXTURE_READINGS), functions=(FIXTURE_NOTIFIER,))
    yield stack
    for source in FIXTURE_SOURCES:
        notifications.SOURCES.pop(source.table.name, None)


def listen(stack: LocalStack, account: Account) -> Listener:
    return Listener(stack.ws_url, account.access_token)


def thread_of(api: Api, patient: Account) -> str:
    response = api.post("/threads", token=patient.access_token, json={"patientId": patient.patient_id})
    assert response.status == 201, response
    return str(response.json()["threadId"])


def send_message(api: Api, sender: Account, thread_id: str, recipient: Account) -> str:
    body = {"recipient": recipient.user_id, "body": PHI}
    response = api.post(f"/threads/{thread_id}/messages", token=sender.access_token, json=body)
    assert response.status == 201, response
    return str(response.json()["objectId"])


def final_lab_result(api: Api, clinician: Account, patient_id: str) -> str:
    body = {"testName": PHI, "status": "final", "resultValue": "4242.4242", "units": "%"}
    response = api.post(f"/patients/{patient_id}/lab-results", token=clinician.access_token, json=body)
    assert response.status == 201, response
    return str(response.json()["objectId"])


def put_fixture(stack: LocalStack, spec: TableSpec, item: dict[str, Any]) -> None:
    dynamodb_client().put_item(TableName=stack.resource_names[spec.name], Item=item)


def alert(stack: LocalStack, patient_id: str, kind: str = "alert") -> str:
    log_id = str(uuid.uuid4())
    item = {"patientId": patient_id, "logId": log_id, "kind": kind, "note": PHI, "createdAt": now_iso()}
    put_fixture(stack, FIXTURE_LOGS, item)
    return log_id


def reading(stack: LocalStack, patient_id: str) -> str:
    data_id = str(uuid.uuid4())
    item = {"patientId": patient_id, "dataId": data_id, "dataPayload": PHI, "createdAt": now_iso()}
    put_fixture(stack, FIXTURE_READINGS, item)
    return data_id


def settled(stack: LocalStack, *listeners: Listener) -> list[list[dict[str, Any]]]:
    """Deliver every pending change now, then what each listener got (in order)."""
    stack.drain()
    return [listener.settle() for listener in listeners]


def of_type(frames: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [frame for frame in frames if frame["type"] == type_]


# connect ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["expired", "bad_signature", "alg_none", "id_token", "revoked"])
def test_a_bad_or_revoked_token_is_refused_at_connect(live_stack: LocalStack, cast: Cast, bad: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        Listener(live_stack.ws_url, cast.tokens[bad])
    assert refused.value.response.status_code == 401


@pytest.mark.parametrize("query", ["", "?token=", "?token=not.a.jwt", "?other=x"])
def test_a_missing_or_malformed_token_is_refused_at_connect(live_stack: LocalStack, query: str) -> None:
    from websockets.sync.client import connect

    with pytest.raises(InvalidStatus) as refused:
        connect(f"{live_stack.ws_url}/{query}", open_timeout=10)
    assert refused.value.response.status_code == 401


def test_ping_answers_pong_and_the_connection_is_registered(live_stack: LocalStack, cast: Cast) -> None:
    with listen(live_stack, cast.patient) as listener:
        assert listener.settle() == []
        rows = [row for row in _connections_of(cast.patient.user_id)]
        assert rows
        assert {"connectionId", "userId", "sessionId", "connectedAt", "expiresAt"} <= set(rows[0])
    api = live_stack.websocket_apis[LIVE.name]
    assert _wait_for(lambda: not api.connections)


def _connections_of(user_id: str) -> list[dict[str, Any]]:
    from rpm_core.data import connections

    return connections.of_user(user_id)


def _wait_for(condition: Any, timeout: float = 10) -> bool:
    done = threading.Event()
    deadline = time.monotonic() + timeout
    while not condition():
        if done.wait(0.02) or time.monotonic() > deadline:  # polling a condition, not timing
            return False
    return True


# tickets ---------------------------------------------------------------------------------------


def ticket_for(api: Api, account: Account) -> dict[str, Any]:
    response = api.post("/live/tickets", token=account.access_token)
    assert response.status == 201, response
    return dict(response.json())


def _refused_with(url: str, query: str) -> int:
    from websockets.sync.client import connect

    with pytest.raises(InvalidStatus) as refused:
        connect(f"{url}/?{query}", open_timeout=10)
    return int(refused.value.response.status_code)


def test_a_ticket_connects_once_within_a_minute_under_the_callers_session(
    live_stack: LocalStack, api: Api, cast: Cast
) -> None:
    clinician = new_clinician(api, cast.admin)
    issued = ticket_for(api, clinician)
    assert set(issued) == {"ticket", "expiresAt"}
    lifetime = datetime.fromisoformat(issued["expiresAt"].replace("Z", "+00:00")) - datetime.now(UTC)
    assert 0 < lifetime.total_seconds() <= 60
    listener = Listener(live_stack.ws_url, issued["ticket"], parameter="ticket")
    try:
        assert listener.settle() == []
        assert [row["sessionId"] for row in _connections_of(clinician.user_id)] == [_session_of(clinician)]
        assert _refused_with(live_stack.ws_url, f"ticket={issued['ticket']}") == 401  # used
        assert api.post("/auth/logout", token=clinician.access_token).status == 204
        live_stack.drain()
        assert listener.closed.wait(10)  # the ticket's connection is the session's
    finally:
        listener.close()


def test_the_table_keeps_a_tickets_hash_only(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    import hashlib

    from rpm_core.data.aws import table
    from rpm_core.data.tables import LIVE_TICKETS

    ticket = ticket_for(api, cast.patient)["ticket"]
    tickets = table(LIVE_TICKETS)
    assert "Item" not in tickets.get_item(Key={"ticketHash": ticket})
    row = tickets.get_item(Key={"ticketHash": hashlib.sha256(ticket.encode()).hexdigest()})["Item"]
    assert ticket not in json.dumps(row, default=str)
    assert (row["userId"], row["sessionId"]) == (cast.patient.user_id, _session_of(cast.patient))


@pytest.mark.parametrize(
    "query",
    [
        "ticket=",
        "ticket=" + "A" * 43,  # well formed, never issued (a foreign ticket)
        "ticket=not-a-ticket",
        "ticket=" + "A" * 5000,
        "ticket=" + "%5B" * 2000,
    ],
)
def test_an_unknown_or_malformed_ticket_is_refused(live_stack: LocalStack, query: str) -> None:
    assert _refused_with(live_stack.ws_url, query) == 401


def test_an_expired_ticket_is_refused(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    """A row the TTL has not removed yet: the delete's condition refuses it."""
    import hashlib
    import secrets

    from rpm_core.data import tickets

    ticket = secrets.token_urlsafe(32)
    session = _session_of(cast.patient)
    tickets.put(
        {
            "ticketHash": hashlib.sha256(ticket.encode()).hexdigest(),
            "userId": cast.patient.user_id,
            "sessionId": session,
            "tokenExpiresAt": int(time.time()) + 600,
            "expiresAt": int(time.time()),
        }
    )
    assert _refused_with(live_stack.ws_url, f"ticket={ticket}") == 401


def test_a_ticket_of_a_session_ended_since_is_refused(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    ticket = ticket_for(api, clinician)["ticket"]
    assert api.post("/auth/logout", token=clinician.access_token).status == 204
    assert _refused_with(live_stack.ws_url, f"ticket={ticket}") == 401


def test_a_ticket_is_used_once_when_connects_race(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    ticket = ticket_for(api, cast.clinician)["ticket"]
    outcomes: list[Listener | int] = []
    start = threading.Barrier(8)

    def attempt() -> None:
        start.wait()
        try:
            outcomes.append(Listener(live_stack.ws_url, ticket, parameter="ticket"))
        except InvalidStatus as refused:
            outcomes.append(refused.response.status_code)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    accepted = [outcome for outcome in outcomes if isinstance(outcome, Listener)]
    try:
        assert len(accepted) == 1
        assert sorted(outcome for outcome in outcomes if isinstance(outcome, int)) == [401] * 7
    finally:
        for listener in accepted:
            listener.close()


# who receives what -----------------------------------------------------------------------------


def test_the_recipient_of_a_message_gets_message_created_and_nobody_else(
    live_stack: LocalStack, api: Api, cast: Cast
) -> None:
    assert cast.patient.patient_id
    thread_id = thread_of(api, cast.patient)
    people = (cast.clinician, cast.patient, cast.unassigned_clinician, cast.other_patient, cast.admin)
    listeners = [listen(live_stack, person) for person in people]
    try:
        message_id = send_message(api, cast.patient, thread_id, cast.clinician)
        to_clinician, to_sender, *others = settled(live_stack, *listeners)
    finally:
        for listener in listeners:
            listener.close()
    assert of_type(to_clinician, "message.created") == [
        {"type": "message.created", "patientId": cast.patient.patient_id, "objectId": message_id, "at": ANY_ISO}
    ]
    assert to_sender == []
    assert others == [[], [], []]


class _AnyIso:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(ISO.match(other))

    def __repr__(self) -> str:
        return "<ISO 8601 Z>"


ANY_ISO = _AnyIso()


def test_a_final_lab_result_reaches_the_patient_and_the_care_team(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    assert cast.patient.patient_id
    people = (cast.patient, cast.clinician, cast.unassigned_clinician, cast.other_patient)
    listeners = [listen(live_stack, person) for person in people]
    try:
        result_id = final_lab_result(api, cast.clinician, cast.patient.patient_id)
        draft = api.post(
            f"/patients/{cast.patient.patient_id}/lab-results",
            token=cast.clinician.access_token,
            json={"testName": "draft", "status": "preliminary"},
        )
        assert draft.status == 201
        patient, clinician, unassigned, other = settled(live_stack, *listeners)
        # the draft becomes final later: announced then, once
        finalized = api.patch(
            f"/patients/{cast.patient.patient_id}/lab-results/{draft.json()['objectId']}",
            token=cast.clinician.access_token,
            json={"status": "final", "resultValue": "5.1"},
            headers={"If-Match": draft.headers["etag"]},
        )
        assert finalized.status == 200, finalized
        later = settled(live_stack, *listeners)
    finally:
        for listener in listeners:
            listener.close()
    expected = {"type": "labresult.final", "patientId": cast.patient.patient_id, "objectId": result_id, "at": ANY_ISO}
    assert patient == [expected]
    assert clinician == [expected]
    assert unassigned == other == []
    draft_id = draft.json()["objectId"]
    assert [frame["objectId"] for frame in later[0]] == [draft_id]
    assert [frame["objectId"] for frame in later[1]] == [draft_id]
    assert later[2] == later[3] == []


def test_an_alert_reaches_the_care_team_only(live_stack: LocalStack, cast: Cast) -> None:
    assert cast.patient.patient_id
    people = (cast.clinician, cast.patient, cast.unassigned_clinician, cast.admin)
    listeners = [listen(live_stack, person) for person in people]
    try:
        log_id = alert(live_stack, cast.patient.patient_id)
        alert(live_stack, cast.patient.patient_id, kind="note")  # not an alert: not announced
        clinician, *others = settled(live_stack, *listeners)
    finally:
        for listener in listeners:
            listener.close()
    assert clinician == [
        {"type": "alert.created", "patientId": cast.patient.patient_id, "objectId": log_id, "at": ANY_ISO}
    ]
    assert others == [[], [], []]


def test_an_escalation_reaches_the_care_team_and_every_admin(live_stack: LocalStack, cast: Cast) -> None:
    assert cast.patient.patient_id
    log_id = alert(live_stack, cast.patient.patient_id)
    live_stack.drain()
    people = (cast.clinician, cast.admin, cast.patient, cast.unassigned_clinician)
    listeners = [listen(live_stack, person) for person in people]
    try:
        dynamodb_client().update_item(
            TableName=live_stack.resource_names[FIXTURE_LOGS.name],
            Key={"patientId": cast.patient.patient_id, "logId": log_id},
            UpdateExpression="SET escalatedAt = :at, updatedAt = :at",
            ExpressionAttributeValues={":at": now_iso()},
        )
        clinician, admin, *others = settled(live_stack, *listeners)
    finally:
        for listener in listeners:
            listener.close()
    expected = {"type": "alert.escalated", "patientId": cast.patient.patient_id, "objectId": log_id, "at": ANY_ISO}
    assert clinician == admin == [expected]
    assert others == [[], []]


def test_device_data_is_coalesced_to_one_event_per_patient_per_second(live_stack: LocalStack, cast: Cast) -> None:
    assert cast.patient.patient_id
    with listen(live_stack, cast.clinician) as clinician:
        started = time.time()
        written = [reading(live_stack, cast.patient.patient_id) for _ in range(20)]
        (frames,) = settled(live_stack, clinician)
        seconds = int(time.time()) - int(started) + 1
    events = of_type(frames, "devicedata.created")
    assert 1 <= len(events) <= seconds < 20
    assert {event["objectId"] for event in events} <= set(written)


def test_a_clinician_taken_off_the_team_stops_receiving_at_once(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    with listen(live_stack, clinician) as listener:
        alert(live_stack, patient.patient_id)
        (before,) = settled(live_stack, listener)
        removed = api.delete(
            f"/patients/{patient.patient_id}/care-team/{clinician.user_id}", token=cast.admin.access_token
        )
        assert removed.status == 204
        alert(live_stack, patient.patient_id)
        final_lab_result(api, cast.admin, patient.patient_id)
        (after,) = settled(live_stack, listener)
    assert [frame["type"] for frame in before] == ["alert.created"]
    assert after == []


def test_a_demoted_clinician_receives_nothing_more(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    with listen(live_stack, clinician) as listener:
        response = api.put(
            f"/admin/users/{clinician.user_id}/role", token=cast.admin.access_token, json={"role": "patient"}
        )
        assert response.status == 200, response
        alert(live_stack, patient.patient_id)
        (frames,) = settled(live_stack, listener)
    assert frames == []


# sessions --------------------------------------------------------------------------------------


def test_logout_closes_the_sessions_connections_and_only_those(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    from tests.support.cast import log_in

    clinician = new_clinician(api, cast.admin)
    other_session = log_in(api, Account(clinician.email, clinician.password, clinician.user_id))
    ended, kept = listen(live_stack, clinician), listen(live_stack, other_session)
    try:
        assert api.post("/auth/logout", token=clinician.access_token).status == 204
        live_stack.drain()
        assert ended.closed.wait(10)
        assert not kept.closed.is_set()
        assert kept.settle() == []
        assert [row["sessionId"] for row in _connections_of(clinician.user_id)] == [_session_of(other_session)]
    finally:
        ended.close()
        kept.close()


def _session_of(account: Account) -> str:
    from rpm_core.services.sessions import unverified_claims

    return str(unverified_claims(account.access_token)["origin_jti"])


def test_a_revoked_sessions_connection_is_closed_at_send_time(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    """Send-time check: a connection whose session was revoked (its close not handled yet) gets nothing
    and is closed and forgotten."""
    from rpm_core.data import connections, sessions

    patient = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    session = f"stale-{uuid.uuid4()}"
    connections.save({"connectionId": "stale-connection=", "userId": clinician.user_id, "sessionId": session})
    # revoked under another user id, so the notifier's own close (from the stream) cannot find the row first
    sessions.revoke_session(session, user_id="someone-else", revoked_at=now_iso(), expires_at=0, request_id="t")
    delivery = notifications.Delivery()
    delivery.deliver(notifications.Notice("alert.created", patient.patient_id, "x", "care_team", now_iso()))
    assert (delivery.sent, delivery.closed) == (0, 1)
    assert _connections_of(clinician.user_id) == []


def test_a_connection_that_is_gone_is_forgotten(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    from rpm_core.data import connections

    connections.save({"connectionId": "gone-connection=", "userId": clinician.user_id, "sessionId": "s-gone"})
    delivery = notifications.Delivery()
    delivery.deliver(notifications.Notice("alert.created", patient.patient_id, "x", "care_team", now_iso()))
    assert delivery.gone == 1
    assert _connections_of(clinician.user_id) == []


# no patient data -------------------------------------------------------------------------------


def test_no_event_carries_patient_data(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    """A full scenario; every frame every listener received is inspected."""
    assert cast.patient.patient_id
    people = (cast.patient, cast.clinician, cast.unassigned_clinician, cast.other_patient, cast.admin)
    listeners = [listen(live_stack, person) for person in people]
    try:
        thread_id = thread_of(api, cast.patient)
        send_message(api, cast.patient, thread_id, cast.clinician)
        send_message(api, cast.clinician, thread_id, cast.patient)
        final_lab_result(api, cast.clinician, cast.patient.patient_id)
        alert(live_stack, cast.patient.patient_id)
        reading(live_stack, cast.patient.patient_id)
        settled(live_stack, *listeners)
    finally:
        for listener in listeners:
            listener.close()
    raw = [text for listener in listeners for text in listener.raw]
    frames = [json.loads(text) for text in raw if json.loads(text) != {"type": "pong"}]
    assert {frame["type"] for frame in frames} == {
        "message.created",
        "labresult.final",
        "alert.created",
        "devicedata.created",
    }
    for text, frame in zip([t for t in raw if json.loads(t) != {"type": "pong"}], frames, strict=True):
        assert set(frame) == EVENT_FIELDS, frame
        assert frame["patientId"] == cast.patient.patient_id
        assert re.fullmatch(r"[0-9a-f-]{36}", frame["objectId"]), frame
        assert ISO.match(frame["at"]), frame
        for fragment in ("Jane", "182/114", "MRN", "4242.4242", cast.patient.email):
            assert fragment not in text


# numbers ---------------------------------------------------------------------------------------


class NotifierCalls:
    """DynamoDB calls made inside the notifier's invocations (on whichever thread runs them)."""

    def __init__(self, stack: LocalStack) -> None:
        from notifier.handler import lambda_handler

        self.operations: list[str] = []
        self.events = 0
        self._inside = threading.local()
        self._handler = lambda_handler
        stack.runtime.register("notifier", self._invoke)

    def _invoke(self, event: dict[str, Any], context: Any) -> Any:
        self._inside.active = True
        try:
            return self._handler(event, context)
        finally:
            self._inside.active = False

    def record(self, model: Any, **_: Any) -> None:
        if getattr(self._inside, "active", False):
            self.operations.append(model.name)


LATENCY_EVENTS = int(os.environ.get("LIVE_LATENCY_EVENTS", "20"))
"""`make test` times 20 events; the numbers in the issue note come from LIVE_LATENCY_EVENTS=200."""


def test_latency_and_storage_calls_per_event(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    """Messages to a clinician, written back to back; each event timed from its write (the API's answer)
    to its arrival at the client. The stream pump polls as in `make dev` (every 0.2 s)."""
    assert cast.patient.patient_id
    thread_id = thread_of(api, cast.patient)
    calls = NotifierCalls(live_stack)
    events = EVENTS
    events.register("before-call.dynamodb.*", calls.record, unique_id="notifier-calls")
    written: dict[str, float] = {}
    try:
        with listen(live_stack, cast.clinician) as listener:
            for _ in range(LATENCY_EVENTS):
                message_id = send_message(api, cast.patient, thread_id, cast.clinician)
                written[message_id] = time.perf_counter()
            assert _wait_for(lambda: set(written) <= set(listener.arrivals), timeout=60)
            live_stack.drain()
    finally:
        events.unregister("before-call.dynamodb.*", unique_id="notifier-calls")
        live_stack.runtime.register("notifier", calls._handler)
    latencies = [max(listener.arrivals[m] - t, 0.0) for m, t in written.items()]
    median, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[-1]
    per_event = len(calls.operations) / len(written)
    report = {
        "events": len(written),
        "median_ms": round(median * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "dynamodb_calls_per_event": per_event,
        "operations": {name: calls.operations.count(name) for name in sorted(set(calls.operations))},
    }
    print("live notification numbers:", json.dumps(report))  # latency is reported, never asserted (a busy
    assert per_event <= 4  # machine would fail it); the storage calls are the figure that holds


def test_a_real_reading_out_of_range_announces_the_reading_and_its_alert_to_the_care_team(
    live_stack: LocalStack, api: Api, cast: Cast
) -> None:
    patient_id = cast.patient.patient_id
    assert patient_id
    rules = {
        "rules": [{"deviceType": "glucometer", "field": "glucose", "max": 180, "unit": "mg/dL", "severity": "high"}]
    }
    response = api.put(f"/patients/{patient_id}/thresholds", token=cast.clinician.access_token, json=rules)
    assert response.status == 200, response
    listeners = [listen(live_stack, person) for person in (cast.clinician, cast.unassigned_clinician)]
    try:
        body = {"deviceType": "glucometer", "dataPayload": {"glucose": 14.2, "unit": "mmol/L"}, "recordedAt": now_iso()}
        response = api.post(f"/patients/{patient_id}/device-data", token=cast.clinician.access_token, json=body)
        assert response.status == 201, response
        data_id = response.json()["objectId"]
        correction = {"dataPayload": {"glucose": 5.2, "unit": "mmol/L"}, "reason": "re-measured"}
        response = api.patch(
            f"/patients/{patient_id}/device-data/{data_id}",
            token=cast.clinician.access_token,
            json=correction,
            headers={"If-Match": "1"},
        )
        assert response.status == 200, response
        clinician, unassigned = settled(live_stack, *listeners)
    finally:
        for listener in listeners:
            listener.close()
    alerts = api.get(f"/patients/{patient_id}/monitoring-logs?kind=alert", token=cast.clinician.access_token).json()
    (alert_log,) = [log for log in alerts["items"] if log["data"] == data_id]
    assert of_type(clinician, "devicedata.created") == [
        {"type": "devicedata.created", "patientId": patient_id, "objectId": data_id, "at": ANY_ISO}
    ]  # the correction (version 2) is not a new reading
    assert of_type(clinician, "alert.created") == [
        {"type": "alert.created", "patientId": patient_id, "objectId": alert_log["objectId"], "at": ANY_ISO}
    ]
    assert unassigned == []


def test_a_break_glass_is_announced_to_admins_only(live_stack: LocalStack, api: Api, cast: Cast) -> None:
    from tests.support.cast import break_glass

    patient = new_patient(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, cast.clinician)
    opener = new_clinician(api, cast.admin)
    live_stack.drain()
    people = (cast.admin, patient, cast.clinician, opener)
    listeners = [listen(live_stack, person) for person in people]
    try:
        opened = break_glass(api, opener, patient.patient_id)
        admin, *others = settled(live_stack, *listeners)
    finally:
        for listener in listeners:
            listener.close()
    expected = {"type": "breakglass.opened", "patientId": patient.patient_id, "objectId": opened["objectId"]}
    assert admin == [{**expected, "at": ANY_ISO}]
    assert others == [[], [], []]
