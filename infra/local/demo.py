"""``make demo``: the local stack with a believable practice in it, loaded the way a real one fills up.

Three clinicians and the first admin; 25 patients with devices, thresholds and a treatment plan; 90 days of
readings published through the IoT publish path (``iot-data`` ``publish`` on the stack's base URL, as a device
would), the alerts they raise acknowledged and resolved by the care team, weekly reviews and monthly calls with
minutes, messages, lab results and appointments, all through the public HTTP API. Nothing is written to a table
directly, so every rule a deployed stack applies (a reading up to 30 days old, a log up to 30 days back, one
open no-data alert, escalation) holds for the demo data too: to live through 90 days in a few minutes, the
stack's clock (``rpm_core.clock``) is moved through them, one event at a time, and returned to now at the end.
"""

from __future__ import annotations

import json
import random
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO

from infra.local.demo_cohort import (
    CLINICIANS,
    PASSWORD,
    PENDING_CLINICIAN,
    PLANS,
    DemoPatient,
    Person,
    Reading,
    patients,
    readings,
)
from infra.local.schedules import scheduled_event
from infra.local.stack import LocalStack
from rpm_core import clock
from rpm_core.ingest_topic import topic_for
from rpm_core.tools.rpmctl import Api, local_publisher

CLINIC_HOUR_UTC = 16  # the care team's daily round
WATCH_HOUR_UTC = 23


class DemoError(RuntimeError):
    """A call of the load was refused: the stack or the cohort is not what the load expects."""


@dataclass
class Summary:
    patients: int = 0
    days: int = 0
    published: int = 0
    out_of_range: int = 0
    alerts: dict[str, int] = field(default_factory=dict)
    monitoring_logs: int = 0
    messages: int = 0
    lab_results: int = 0
    appointments: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        alerts = ", ".join(f"{count} {status}" for status, count in sorted(self.alerts.items())) or "none"
        return [
            f"Demo practice: {self.patients} patients over {self.days} days",
            f"  readings published {self.published} ({self.out_of_range} out of range, kept as rejected)",
            f"  alerts {alerts}; monitoring logs {self.monitoring_logs}; messages {self.messages}; "
            f"lab results {self.lab_results}; appointments {self.appointments}",
        ]


@dataclass
class Account:
    email: str
    password: str
    user_id: str
    api: Api


@dataclass
class Member:
    patient: DemoPatient
    account: Account
    patient_id: str
    devices: dict[str, str]  # device type → device id
    thread_id: str | None = None


class Demo:
    def __init__(self, stack: LocalStack, *, seed: int, out: TextIO) -> None:
        self.stack, self.seed, self.out = stack, seed, out
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.publish = local_publisher(stack.base_url)
        self.summary = Summary()
        self.admin = self._sign_in(stack.admin_email, stack.admin_password, stack.admin_user_id)
        self.clinicians: list[Account] = []
        self.members: list[Member] = []
        self.by_patient: dict[str, Member] = {}

    # calls ------------------------------------------------------------------------------------------------

    def call(self, who: Account, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        status, answer = who.api.call(method, path, body)
        if status == 401:  # the load outlived the access token: sign in again, once
            who.api.token = self._token(who.email, who.password)
            status, answer = who.api.call(method, path, body)
        if status != expect:
            raise DemoError(f"{method} {path} as {who.email}: {status} {json.dumps(answer)[:300]}")
        return answer

    def pages(self, who: Account, path: str) -> Iterator[dict[str, Any]]:
        cursor = ""
        while True:
            separator = "&" if "?" in path else "?"
            page = self.call(who, "GET", f"{path}{separator}limit=100{cursor}")
            yield from page["items"]
            if not page.get("nextCursor"):
                return
            cursor = "&cursor=" + urllib.parse.quote(page["nextCursor"])

    def _token(self, email: str, password: str) -> str:
        status, body = Api(self.stack.base_url, "").call("POST", "/auth/login", {"email": email, "password": password})
        if status != 200:
            raise DemoError(f"sign-in of {email}: {status} {body}")
        return str(body["accessToken"])

    def _sign_in(self, email: str, password: str, user_id: str) -> Account:
        return Account(email, password, user_id, Api(self.stack.base_url, self._token(email, password)))

    def _sign_up(self, person: Person, role: str) -> str:
        status, body = Api(self.stack.base_url, "").call(
            "POST",
            "/auth/signup",
            {"email": person.email, "password": PASSWORD, "displayName": person.name, "role": role},
        )
        if status != 201:
            raise DemoError(f"sign-up of {person.email}: {status} {body} (a demo is loaded into an empty stack)")
        return str(body["userId"])

    # the practice -----------------------------------------------------------------------------------------

    def open_practice(self, cohort: list[DemoPatient]) -> None:
        for person in CLINICIANS:
            user_id = self._sign_up(person, "clinician")
            self.call(self.admin, "PUT", f"/admin/users/{user_id}/role", {"role": "clinician"})
            self.clinicians.append(self._sign_in(person.email, PASSWORD, user_id))
        self._sign_up(PENDING_CLINICIAN, "clinician")
        self.summary.logins = [("admin", self.stack.admin_email, self.stack.admin_password)] + [
            ("clinician", person.email, PASSWORD) for person in CLINICIANS
        ]
        for number, patient in enumerate(cohort):
            self.members.append(self._enrol(number, patient))
            self.by_patient[self.members[-1].patient_id] = self.members[-1]
        self.summary.logins += [("patient", member.patient.person.email, PASSWORD) for member in self.members[:3]]

    def _enrol(self, number: int, patient: DemoPatient) -> Member:
        user_id = self._sign_up(patient.person, "patient")
        account = self._sign_in(patient.person.email, PASSWORD, user_id)
        physician, nurse = self.clinicians[patient.clinician], self.clinicians[2]
        profile = self.call(
            physician,
            "POST",
            "/patients",
            {
                "user": user_id,
                "medicalRecordNumber": f"DEMO-{number + 1:05d}",
                "displayName": patient.person.name,
                "dateOfBirth": patient.date_of_birth.isoformat(),
                "primaryClinic": "Riverside Heart & Metabolic Clinic",
                "timeZone": patient.zone,
                "contact": {"email": patient.person.email, "phone": f"+1 555 01{number:02d}"},
            },
            expect=201,
        )
        patient_id = str(profile["objectId"])
        self.call(self.admin, "PUT", f"/patients/{patient_id}/care-team/{nurse.user_id}", expect=204)
        devices = {}
        for device_type in patient.device_types:
            device = self.call(
                physician,
                "POST",
                f"/patients/{patient_id}/devices",
                {"deviceType": device_type, "serialNumber": f"SN-{number:03d}-{device_type[:3].upper()}"},
                expect=201,
            )
            devices[device_type] = str(device["objectId"])
        thresholds = {"rules": patient.rules, "noDataHours": 48, "escalateAfterMinutes": 240}
        self.call(physician, "PUT", f"/patients/{patient_id}/thresholds", thresholds)
        summary, details = PLANS[patient.condition]
        plan = {"summary": summary, "details": details, "status": "active", "startDate": clock.now().date().isoformat()}
        self.call(physician, "POST", f"/patients/{patient_id}/treatment-plans", plan, expect=201)
        return Member(patient, account, patient_id, devices)

    # a day ------------------------------------------------------------------------------------------------

    def publish_reading(self, member: Member, reading: Reading) -> None:
        arrives = reading.at + timedelta(seconds=self.rng.uniform(2, 90))
        travel_to(arrives)
        payload = reading.payload
        if self.rng.random() < 0.002:  # a glitch of the cuff: beyond physiology, rejected and kept
            payload = {**payload, **{next(iter(payload)): 999}}
            self.summary.out_of_range += 1
        message = {
            "messageId": f"demo-{self.rng.getrandbits(64):016x}",
            "deviceType": reading.device_type,
            "recordedAt": clock.iso(reading.at),
            "dataPayload": payload,
        }
        self.publish(topic_for(member.devices[reading.device_type]), json.dumps(message).encode())
        self.summary.published += 1

    def round(self, day: date, offset: int, last_day: int) -> None:
        """The care team's day: alerts triaged (the last two days' left for the worklist), a weekly review and
        a monthly call per patient, answers to messages, labs and visits."""
        travel_to(datetime.combine(day, time(CLINIC_HOUR_UTC), UTC))
        self.stack.poller.drain()  # the readings' queue: their alerts are in the worklist (streams flow meanwhile)
        nurse = self.clinicians[2]
        recent = offset >= last_day - 1
        for status in ("open", "acknowledged"):
            for alert in list(self.pages(nurse, f"/alerts?status={status}")):
                age = clock.now() - clock.parse(alert["timestamp"])
                member = self.by_patient[alert["patient"]]
                who = self.rng.choice((nurse, self.clinicians[member.patient.clinician]))
                if status == "open" and not recent and age > timedelta(hours=2) and self.rng.random() < 0.8:
                    self._move(who, member, alert["objectId"], "acknowledged")
                elif status == "acknowledged" and age > timedelta(days=2) and self.rng.random() < 0.7:
                    self._move(who, member, alert["objectId"], "resolved")
        for number, member in enumerate(self.members):
            physician = self.clinicians[member.patient.clinician]
            if (offset + number) % 7 == 0:
                self._log(physician, member, "review", self.rng.randrange(4, 13), "Reviewed the week's readings.")
            if (offset + number) % 30 == 15:
                self._log(nurse, member, "interaction", self.rng.randrange(15, 26), "Monthly call.", interactive=True)
            if (offset + number) % 11 == 5:
                self._converse(member, physician, offset)
            if member.patient.condition in ("diabetes", "heart_failure") and (offset + number) % 45 == 20:
                self._lab(member, physician)
            if (offset + 3 * number) % 30 == 10:
                self._visit(member, physician, day)

    def _move(self, who: Account, member: Member, log_id: str, status: str) -> None:
        self.call(who, "PATCH", f"/patients/{member.patient_id}/monitoring-logs/{log_id}", {"status": status})

    def _log(self, who: Account, member: Member, kind: str, minutes: int, note: str, interactive: bool = False) -> None:
        body: dict[str, Any] = {"kind": kind, "durationMinutes": minutes, "note": note}
        if interactive:
            body["interactive"] = True
        self.call(who, "POST", f"/patients/{member.patient_id}/monitoring-logs", body, expect=201)
        self.summary.monitoring_logs += 1

    def _converse(self, member: Member, physician: Account, offset: int) -> None:
        if member.thread_id is None:
            thread = self.call(
                member.account, "POST", "/threads", {"patientId": member.patient_id, "subject": "My readings"}, 201
            )
            member.thread_id = str(thread["threadId"])
        question = self.rng.choice(QUESTIONS)
        path = f"/threads/{member.thread_id}/messages"
        self.call(member.account, "POST", path, {"recipient": physician.user_id, "body": question}, expect=201)
        travel_to(clock.now() + timedelta(minutes=self.rng.randrange(20, 180)))
        answer = self.rng.choice(ANSWERS)
        self.call(physician, "POST", path, {"recipient": member.account.user_id, "body": answer}, expect=201)
        self.summary.messages += 2

    def _lab(self, member: Member, physician: Account) -> None:
        if member.patient.condition == "diabetes":
            result = {"testCode": "4548-4", "testName": "Hemoglobin A1c", "units": "%", "referenceRange": "4.0-5.6"}
            value: float = round(self.rng.uniform(6.4, 8.6), 1)
        else:
            result = {"testCode": "33762-6", "testName": "NT-proBNP", "units": "pg/mL", "referenceRange": "<125"}
            value = round(self.rng.uniform(180, 1400))
        body = {**result, "resultValue": value, "status": "final", "orderedBy": physician.user_id}
        self.call(physician, "POST", f"/patients/{member.patient_id}/lab-results", body, expect=201)
        self.summary.lab_results += 1

    def _visit(self, member: Member, physician: Account, day: date) -> None:
        """A follow-up booked for a week later; the earlier visits of this patient are marked as they went."""
        path = f"/patients/{member.patient_id}/appointments"
        for visit in self.pages(physician, path):
            if visit["status"] == "scheduled" and clock.parse(visit["endAt"]) < clock.now():
                outcome = "no_show" if self.rng.random() < 0.1 else "completed"
                self.call(physician, "PATCH", f"{path}/{visit['objectId']}", {"status": outcome})
        start = datetime.combine(day + timedelta(days=7), time(14), UTC) + timedelta(
            minutes=30 * (self.members.index(member) % 12)
        )
        body = {
            "provider": physician.user_id,
            "startAt": clock.iso(start),
            "endAt": clock.iso(start + timedelta(minutes=20)),
            "location": "Riverside clinic, room 2",
            "reason": "Follow-up of home monitoring",
        }
        status, _ = physician.api.call("POST", path, body)
        if status == 201:
            self.summary.appointments += 1
        elif status != 409:  # a slot another patient took is skipped, as a scheduler would
            raise DemoError(f"POST {path}: {status}")

    def watch(self) -> None:
        self.stack.poller.drain()  # every reading has arrived before the watch looks for quiet patients
        self.stack.runtime.invoke("watch", scheduled_event("rpm-watch-schedule"))

    def close(self) -> None:
        statuses: dict[str, int] = {}
        for status in ("open", "acknowledged", "resolved"):
            statuses[status] = sum(1 for _ in self.pages(self.admin, f"/alerts?status={status}"))
        self.summary.alerts = statuses


QUESTIONS = (
    "My reading this morning was higher than usual. Should I worry?",
    "I forgot to measure yesterday, sorry. Is that a problem?",
    "Can I take my readings after my walk, or should I rest first?",
    "The cuff shows an error sometimes. What should I do?",
)
ANSWERS = (
    "Thanks for letting us know. One high reading is not a concern on its own; keep measuring twice a day.",
    "No problem. Please try to measure at the same times each day; we'll review your trend on Friday.",
    "Please sit and rest for five minutes first, with your arm supported at heart level.",
    "Make sure the cuff is snug and your arm is still. If it keeps happening, reply here and we'll send another.",
)


def travel_to(moment: datetime) -> None:
    clock.travel(moment - datetime.now(UTC))


def load(
    stack: LocalStack, *, patients_count: int = 25, days: int = 90, seed: int = 7, out: TextIO = sys.stdout
) -> Summary:
    """Loads the practice into ``stack`` (empty but for its first admin) and returns what it holds."""
    today = datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    cohort = patients(seed, patients_count)
    try:
        travel_to(datetime.combine(first - timedelta(days=1), time(12), UTC))
        demo = Demo(stack, seed=seed, out=out)
        demo.open_practice(cohort)
        schedule = sorted(
            ((reading.at, number, reading) for number, member in enumerate(demo.members)
             for reading in readings(member.patient, first, days, seed)),
            key=lambda entry: entry[:2],
        )  # fmt: skip
        cursor = 0
        for offset in range(days):
            day = first + timedelta(days=offset)
            for hour, work in ((CLINIC_HOUR_UTC, demo.round), (WATCH_HOUR_UTC, None), (24, None)):
                until = datetime.combine(day, time(0), UTC) + timedelta(hours=hour)
                while (
                    cursor < len(schedule) and schedule[cursor][0] < until and schedule[cursor][0] < datetime.now(UTC)
                ):
                    demo.publish_reading(demo.members[schedule[cursor][1]], schedule[cursor][2])
                    cursor += 1
                if work is not None:
                    work(day, offset, days - 1)
                elif hour == WATCH_HOUR_UTC and day < today:
                    travel_to(until)
                    demo.watch()
            if (offset + 1) % 10 == 0 or offset == days - 1:
                print(f"  day {offset + 1}/{days}: {demo.summary.published} readings published", file=out, flush=True)
    finally:
        clock.travel(timedelta(0))
    stack.drain()
    demo.close()
    demo.summary.patients, demo.summary.days = len(demo.members), days
    return demo.summary
