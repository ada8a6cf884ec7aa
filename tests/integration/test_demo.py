"""``make demo``: a practice loaded through the API and the IoT publish path, on a stack of its own (the load
moves that stack's clock through the days, so it does not share the suite's stack)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from infra.local import demo
from infra.local.demo_cohort import CLINICIANS, PASSWORD
from infra.local.stack import LocalStack
from rpm_core import clock
from tests.support.api import Api

DAYS = 33  # beyond the 30 days a reading may be old on arrival: each one arrived on its own day


@pytest.fixture(scope="module")
def loaded() -> Iterator[tuple[LocalStack, demo.Summary, str]]:
    local = LocalStack(port=0).start()
    out = io.StringIO()
    try:
        yield local, demo.load(local, patients_count=2, days=DAYS, out=out), out.getvalue()
    finally:
        local.stop()


def token(api: Api, email: str, password: str) -> str:
    response = api.post("/auth/login", json={"email": email, "password": password})
    assert response.status == 200, response
    return str(response.json()["accessToken"])


def test_the_clock_is_back_to_now_after_the_load(loaded: tuple[LocalStack, demo.Summary, str]) -> None:
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)


def test_the_logins_it_prints_sign_in_and_see_the_practice(loaded: tuple[LocalStack, demo.Summary, str]) -> None:
    stack, summary, progress = loaded
    api = Api(stack.gateway)
    assert f"day {DAYS}/{DAYS}" in progress
    roles = [role for role, _, _ in summary.logins]
    assert roles.count("clinician") == len(CLINICIANS)
    assert roles.count("patient") == 2
    assert "admin" in roles
    nurse = token(api, CLINICIANS[2].email, PASSWORD)  # on every care team
    listed = api.get("/patients", token=nurse).json()["items"]
    assert len(listed) == summary.patients == 2
    for role, email, password in summary.logins:
        assert api.get("/me", token=token(api, email, password)).json()["role"] == role


def test_readings_span_the_days_with_gaps_and_alerts(loaded: tuple[LocalStack, demo.Summary, str]) -> None:
    stack, summary, _ = loaded
    api = Api(stack.gateway)
    nurse = token(api, CLINICIANS[2].email, PASSWORD)
    stored = 0
    for patient in api.get("/patients", token=nurse).json()["items"]:
        readings, cursor = [], ""
        while True:
            page = api.get(f"/patients/{patient['objectId']}/device-data?limit=100{cursor}", token=nurse).json()
            readings += page["items"]
            if not page.get("nextCursor"):
                break
            cursor = "&cursor=" + page["nextCursor"]
        stored += len(readings)
        oldest = min(clock.parse(reading["recordedAt"]) for reading in readings)
        assert datetime.now(UTC) - oldest > timedelta(days=30)  # accepted as each arrived on its day
        days = {clock.local_date(reading["recordedAt"], patient["timeZone"]) for reading in readings}
        assert 0.4 * DAYS < len(days) < DAYS  # missed days, as real patients miss them
        assert all(
            abs(clock.parse(reading["receivedAt"]) - clock.parse(reading["recordedAt"])) < timedelta(minutes=5)
            for reading in readings
        )
    assert stored == summary.published - summary.out_of_range
    alerts = sum(summary.alerts.values())
    assert alerts > 0
    assert summary.alerts["resolved"] > 0
    assert summary.monitoring_logs > 0
    assert summary.messages > 0
    assert summary.appointments > 0


def test_the_audit_trail_of_the_load_verifies(loaded: tuple[LocalStack, demo.Summary, str]) -> None:
    stack, _, _ = loaded
    stack.drain()
    api = Api(stack.gateway)
    admin = token(api, stack.admin_email, stack.admin_password)
    verified = api.get("/audit-logs/verify", token=admin).json()
    assert verified["verified"] is True
    assert verified["entriesChecked"] > 100


def test_a_second_load_into_the_same_stack_says_why_it_cannot(loaded: tuple[LocalStack, demo.Summary, str]) -> None:
    stack, _, _ = loaded
    with pytest.raises(demo.DemoError, match="empty stack"):
        demo.load(stack, patients_count=1, days=1, out=io.StringIO())
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)


def test_nothing_deployed_moves_the_clock() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    callers = [
        path.relative_to(root).as_posix()
        for folder in ("layers", "functions")
        for path in (root / folder).rglob("*.py")
        if "travel(" in path.read_text(encoding="utf-8") and path.name != "clock.py"
    ]
    assert callers == []
