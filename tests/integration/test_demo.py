"""``make demo``: ``python -m infra.local --demo`` in a process of its own (the load moves that stack's clock
through the days), read afterwards over HTTP as a person would, with the logins it prints."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from infra.local.demo_cohort import CLINICIANS, PASSWORD
from rpm_core import clock
from rpm_core.tools.rpmctl import Api

ROOT = Path(__file__).resolve().parents[2]
DAYS = 33  # beyond the 30 days a reading may be old on arrival: each one arrived on its own day
READY_SECONDS = 300  # a bound for a loaded 2-core machine, not a speed claim


@dataclass
class Demo:
    base_url: str
    banner: str
    logins: list[tuple[str, str, str]]

    def sign_in(self, email: str, password: str = PASSWORD) -> Api:
        status, body = Api(self.base_url, "").call("POST", "/auth/login", {"email": email, "password": password})
        assert status == 200, body
        return Api(self.base_url, body["accessToken"])


def every(api: Api, path: str) -> list[dict[str, Any]]:
    items, cursor = [], ""
    while True:
        status, page = api.call("GET", f"{path}{'&' if '?' in path else '?'}limit=100{cursor}")
        assert status == 200, page
        items += page["items"]
        if not page.get("nextCursor"):
            return items
        cursor = "&cursor=" + urllib.parse.quote(page["nextCursor"])


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "TABLE_"))}
    environment["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "infra.local", "--port", "0", "--ws-port", "0", "--demo"]
    process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [*command, "--demo-patients", "2", "--demo-days", str(DAYS)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline and "(every patient:" not in "".join(seen[-1:]):
            try:
                seen.append(lines.get(timeout=0.2))
            except queue.Empty:
                assert process.poll() is None, "".join(seen)
        banner = "".join(seen)
        assert "(every patient:" in banner, banner
        base_url = re.search(r"API base URL\s+(\S+)", banner)
        assert base_url, banner
        logins = re.findall(r"^  (admin|clinician|patient)\s+(\S+) / (\S+)$", banner, re.MULTILINE)
        yield Demo(base_url.group(1), banner, logins)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_it_prints_progress_the_summary_and_logins_that_sign_in(demo: Demo) -> None:
    assert f"day {DAYS}/{DAYS}:" in demo.banner
    assert "Demo practice: 2 patients over 33 days" in demo.banner
    roles = [role for role, _, _ in demo.logins]
    assert roles.count("clinician") == len(CLINICIANS)
    assert roles.count("patient") == 2
    assert "admin" in roles
    for role, email, password in demo.logins:
        status, me = demo.sign_in(email, password).call("GET", "/me")
        assert (status, me["role"]) == (200, role)


def test_readings_span_the_days_with_gaps_each_arriving_on_its_day(demo: Demo) -> None:
    nurse = demo.sign_in(CLINICIANS[2].email)  # on every care team
    patients = every(nurse, "/patients")
    assert len(patients) == 2
    for patient in patients:
        readings = every(nurse, f"/patients/{patient['objectId']}/device-data")
        oldest = min(clock.parse(reading["recordedAt"]) for reading in readings)
        assert datetime.now(UTC) - oldest > timedelta(days=30)  # accepted: each arrived on its own day
        assert all(
            timedelta(0)
            <= clock.parse(reading["receivedAt"]) - clock.parse(reading["recordedAt"])
            < timedelta(minutes=5)
            for reading in readings
        )
        days = {clock.local_date(reading["recordedAt"], patient["timeZone"]) for reading in readings}
        assert 0.4 * DAYS < len(days) < DAYS  # missed days, as real patients miss them
        assert every(nurse, f"/patients/{patient['objectId']}/treatment-plans")


def test_the_care_team_worked_alerts_logs_messages_and_visits(demo: Demo) -> None:
    nurse = demo.sign_in(CLINICIANS[2].email)
    resolved = every(nurse, "/alerts?status=resolved")
    assert resolved
    patient_id = every(nurse, "/patients")[0]["objectId"]
    logs = every(nurse, f"/patients/{patient_id}/monitoring-logs?kind=review")
    assert all(log["durationMinutes"] >= 1 for log in logs)
    assert logs
    patient = demo.sign_in(next(email for role, email, _ in demo.logins if role == "patient"))
    threads = every(patient, "/threads")
    assert threads
    assert every(patient, f"/threads/{threads[0]['threadId']}/messages")


def test_the_audit_trail_of_the_load_verifies(demo: Demo) -> None:
    admin = demo.sign_in(*next((email, password) for role, email, password in demo.logins if role == "admin"))
    status, verified = admin.call("GET", "/audit-logs/verify")
    assert status == 200
    assert verified["verified"] is True
    assert verified["entriesChecked"] > 100


def test_nothing_deployed_moves_the_clock() -> None:
    callers = [
        path.relative_to(ROOT).as_posix()
        for folder in ("layers", "functions")
        for path in (ROOT / folder).rglob("*.py")
        if "travel(" in path.read_text(encoding="utf-8") and path.name != "clock.py"
    ]
    assert callers == []
