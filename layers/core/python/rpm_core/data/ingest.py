"""Storage of the ingest path: the batch's reads in BatchGetItems, its writes in transactions.

Per batch: one BatchGetItem for the devices, one (per 100 keys) for the patients' threshold
rules and the readings already stored, a care-team Query per patient whose readings breach a
rule, and one TransactWriteItems per ~100 actions. A new reading's ``Put`` is conditioned on its
key being absent and shares its transaction with the day counts and the alert it raises, so a
reading, its count and its alert are written together exactly once, whatever delivers it twice.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from rpm_core.clock import now_iso
from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.care_teams import member_ids
from rpm_core.data.device_data import day_update_action, put_reading_action
from rpm_core.data.items import TRANSACTION_LIMIT, batch_get, cancellation_codes, error_code
from rpm_core.data.monitoring import (
    INBOX_IN_TRANSACTION,
    inbox_put_actions,
    put_inbox_overflow,
    put_log_action,
    transact_in_chunks,
)
from rpm_core.data.numbers import from_item
from rpm_core.data.tables import DEVICE_DATA, DEVICES, PATIENTS, REJECTED_READINGS, THRESHOLDS, WATCHES
from rpm_core.data.watches import update_action as watch_update_action

BATCH_GET_LIMIT = 100
CONFLICT_RETRIES = 3


@dataclass
class NewReading:
    item: dict[str, Any]
    """The DeviceData item, version 1."""
    day: str
    """The day it counts for (YYYY-MM-DD in the patient's time zone)."""
    alert: dict[str, Any] | None = None
    clinicians: list[str] = field(default_factory=list)
    """Whose inbox the alert goes to."""
    no_data_hours: int | None = None
    """The patient's noDataHours: the watch is due that long after this reading's arrival."""

    @property
    def data_id(self) -> str:
        return str(self.item["dataId"])

    @property
    def cost(self) -> int:
        return 1 + (1 + min(len(self.clinicians), INBOX_IN_TRANSACTION) if self.alert else 0)


@dataclass
class StoreOutcome:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Readings not written (conflicts that outlasted the retries): their messages are redelivered."""


def load_devices(device_ids: list[str]) -> dict[str, dict[str, Any]]:
    name = table(DEVICES).name
    found: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(device_ids))
    for start in range(0, len(unique), BATCH_GET_LIMIT):
        keys = [{"deviceId": device_id} for device_id in unique[start : start + BATCH_GET_LIMIT]]
        for item in batch_get({name: {"Keys": keys, "ConsistentRead": True}})[name]:
            found[item["deviceId"]] = item
    return found


@dataclass
class Context:
    """What a batch's patients need: their rules and settings, profiles (time zone), watches."""

    rules: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The thresholds item without its rules (``noDataHours``, ``escalateAfterMinutes``)."""
    zones: dict[str, str] = field(default_factory=dict)
    watches: dict[str, dict[str, Any]] = field(default_factory=dict)
    existing: set[str] = field(default_factory=set)


def load_context(patient_ids: list[str], data_ids: list[str]) -> Context:
    """Threshold rules, profiles' time zones and watches by patient, and which readings are stored already:
    one BatchGetItem per 100 keys."""
    rules_table, data_table = table(THRESHOLDS).name, table(DEVICE_DATA).name
    patients_table, watches_table = table(PATIENTS).name, table(WATCHES).name
    unique = list(dict.fromkeys(patient_ids))
    keys: list[tuple[str, dict[str, Any]]] = [(rules_table, {"patientId": p}) for p in unique]
    keys += [(patients_table, {"patientId": p}) for p in unique]
    keys += [(watches_table, {"patientId": p}) for p in unique]
    keys += [(data_table, {"dataId": d, "version": 1}) for d in dict.fromkeys(data_ids)]
    context = Context()
    rules, existing = context.rules, context.existing
    for start in range(0, len(keys), BATCH_GET_LIMIT):
        request: dict[str, Any] = {}
        for name, key in keys[start : start + BATCH_GET_LIMIT]:
            request.setdefault(name, {"Keys": [], "ConsistentRead": True})["Keys"].append(key)
        if data_table in request:
            request[data_table]["ProjectionExpression"] = "dataId"
        if patients_table in request:
            request[patients_table] |= {
                "ProjectionExpression": "patientId, #zone",
                "ExpressionAttributeNames": {"#zone": "timeZone"},
            }
        found = batch_get(request)
        for item in found.get(rules_table, []):
            rules[item["patientId"]] = from_item(item.get("rules", []))
            context.settings[item["patientId"]] = from_item({k: v for k, v in item.items() if k != "rules"})
        for item in found.get(patients_table, []):
            context.zones[item["patientId"]] = str(item.get("timeZone") or "UTC")
        for item in found.get(watches_table, []):
            context.watches[item["patientId"]] = from_item(item)
        existing.update(item["dataId"] for item in found.get(data_table, []))
    return context


def care_teams(patient_ids: list[str]) -> dict[str, list[str]]:
    return {patient: member_ids(patient) for patient in dict.fromkeys(patient_ids)}


def _chunks(readings: list[NewReading]) -> Iterator[list[NewReading]]:
    """Readings grouped so that each group's actions (plus one day update per patient-day) fit one transaction."""
    chunk: list[NewReading] = []
    days: set[tuple[str, str]] = set()
    patients: set[str] = set()
    actions = 0
    for reading in readings:
        patient = reading.item["patientId"]
        day = (patient, reading.day)
        extra = reading.cost + (day not in days) + (patient not in patients)
        if chunk and actions + extra > TRANSACTION_LIMIT:
            yield chunk
            chunk, days, patients, actions = [], set(), set(), 0
            extra = reading.cost + 2
        chunk.append(reading)
        days.add(day)
        patients.add(patient)
        actions += extra
    if chunk:
        yield chunk


def _actions(chunk: list[NewReading]) -> tuple[list[dict[str, Any]], list[tuple[NewReading | None, str]]]:
    """The chunk's transaction, and for each action the reading it belongs to and what it is."""
    actions: list[dict[str, Any]] = []
    owners: list[tuple[NewReading | None, str]] = []
    counts: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, set()])
    for reading in chunk:
        actions.append(put_reading_action(reading.item))
        owners.append((reading, "reading"))
        if reading.alert:
            actions.append(put_log_action(reading.alert))
            owners.append((reading, "alert"))
            for action in inbox_put_actions(reading.clinicians[:INBOX_IN_TRANSACTION], reading.alert):
                actions.append(action)
                owners.append((reading, "inbox"))
        count = counts[(reading.item["patientId"], reading.day)]
        count[0] += 1
        count[1].add(reading.item["deviceType"])
    at = now_iso()
    for (patient, day), (number, types) in counts.items():
        actions.append(day_update_action(patient, day, number, types, at))
        owners.append((None, "day"))
    arrivals: dict[str, NewReading] = {}
    for reading in chunk:  # the watch follows the latest arrival of each patient's readings
        patient = reading.item["patientId"]
        if patient not in arrivals or reading.item["receivedAt"] > arrivals[patient].item["receivedAt"]:
            arrivals[patient] = reading
    for patient, reading in arrivals.items():
        actions.append(watch_update_action(patient, reading.item["receivedAt"], reading.no_data_hours))
        owners.append((None, "watch"))
    return actions, owners


def store(readings: list[NewReading]) -> StoreOutcome:
    """Writes each new reading once, with its day counts and its alert (see the module's docstring).

    A reading whose conditional put fails was stored by another delivery meanwhile: it is a
    duplicate, and its transaction is retried without it (the other readings are unaffected).
    """
    outcome = StoreOutcome()
    for chunk in _chunks(readings):
        pending, conflicts = list(chunk), 0
        while pending:
            actions, owners = _actions(pending)
            try:
                dynamodb_client().transact_write_items(TransactItems=actions)
            except ClientError as error:
                if error_code(error) != "TransactionCanceledException":
                    raise
                codes = cancellation_codes(error)
                failed = [owner for owner, code in zip(owners, codes, strict=False) if code == "ConditionalCheckFailed"]
                if failed:
                    duplicates = {id(reading) for reading, what in failed if reading and what == "reading"}
                    for reading, what in failed:
                        if reading and what == "alert":  # raised already: that alert stays the only one
                            reading.alert, reading.clinicians = None, []
                    outcome.duplicates += [r.data_id for r in pending if id(r) in duplicates]
                    pending = [r for r in pending if id(r) not in duplicates]
                    continue
                if "TransactionConflict" in codes and conflicts < CONFLICT_RETRIES:
                    conflicts += 1
                    time.sleep(0.05 * 2**conflicts)
                    continue
                if "TransactionConflict" in codes:
                    outcome.failed += [r.data_id for r in pending]
                    break
                raise
            outcome.stored += [r.data_id for r in pending]
            for reading in pending:
                if reading.alert:
                    put_inbox_overflow(reading.clinicians, reading.alert)
            pending = []
    return outcome


def put_rejections(items: list[dict[str, Any]]) -> None:
    """Rejected messages, each under its deterministic id (a redelivery rewrites the same item)."""
    name = table(REJECTED_READINGS).name
    unique = {item["rejectionId"]: item for item in items}
    transact_in_chunks([{"Put": {"TableName": name, "Item": item}} for item in unique.values()])
