"""The browser tests' and ``make screenshots``' helpers: Chromium (the system's, else Playwright's own), axe-core
from web/node_modules, and a care team seeded through the API (readings, thresholds, an alert, a thread and
clinical records), as a real clinic would have them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from infra.local.stack import LocalStack
from infra.paths import ROOT
from tests.support.api import Api
from tests.support.cast import Account, Team, new_team
from tests.support.devices import iso

AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
DIST = ROOT / "web" / "dist" / "index.html"
SERIOUS = ("serious", "critical")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright: Any) -> Any:
    """The system's Chromium where present, else the one `playwright install chromium` fetched."""
    path = chromium_path()
    options: dict[str, Any] = {"headless": True, "args": ["--no-sandbox"]}
    if path:
        options["executable_path"] = path
    return playwright.chromium.launch(**options)


def axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands (evaluated through the DevTools
    protocol, which the page's Content-Security-Policy does not govern)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@dataclass
class Clinic:
    team: Team
    patient_name: str
    thread_id: str
    readings: int
    """Readings seeded in the last 30 days (the app's default period), every type."""


def _ok(response: Any, status: int = 201) -> Any:
    assert response.status == status, response
    return response.json() if response.text else None


def seed_clinic(api: Api, stack: LocalStack, admin: Account, days: int = 28, per_day: int = 3) -> Clinic:
    """A patient and their clinician; `days` × `per_day` heart-rate and blood-pressure readings (manual: the API's
    publish route, at most 30 days back), a heart-rate rule, one reading above it (an open alert), a thread,
    a lab result, a plan, an appointment and a device."""
    team = new_team(api, admin)
    patient_id, token = team.patient_id, team.clinician.access_token
    name = "Ada Lovelace"
    _ok(api.request("PATCH", f"/patients/{patient_id}", token=token, json={"displayName": name}), 200)
    rules = {
        "rules": [
            {"deviceType": "heart_rate", "field": "bpm", "max": 120, "min": 45, "severity": "high"},
            {"deviceType": "blood_pressure", "field": "systolic", "max": 160, "severity": "medium"},
        ]
    }
    _ok(api.put(f"/patients/{patient_id}/thresholds", token=token, json=rules), 200)
    now = datetime.now(UTC)
    count = 0
    for day in range(days):
        for slot in range(per_day):
            at = now - timedelta(days=day, hours=slot * 6 + 1)
            wave = (day * per_day + slot) % 9
            for device_type, payload in (
                ("heart_rate", {"bpm": 64 + wave * 3}),
                ("blood_pressure", {"systolic": 118 + wave * 2, "diastolic": 76 + wave, "pulse": 66 + wave}),
            ):
                body = {"deviceType": device_type, "dataPayload": payload, "recordedAt": iso(at)}
                _ok(api.post(f"/patients/{patient_id}/device-data", token=token, json=body))
                count += 1
    spike = {"deviceType": "heart_rate", "dataPayload": {"bpm": 138}, "recordedAt": iso(now - timedelta(minutes=5))}
    _ok(api.post(f"/patients/{patient_id}/device-data", token=token, json=spike))
    count += 1
    thread = _ok(api.post("/threads", token=token, json={"patientId": patient_id, "subject": "Your readings"}))
    _ok(
        api.post(
            f"/threads/{thread['threadId']}/messages",
            token=token,
            json={"recipient": team.patient.user_id, "body": "Welcome: I will review your readings each week."},
        )
    )
    _ok(
        api.post(
            f"/patients/{patient_id}/lab-results",
            token=token,
            json={"testName": "HbA1c", "testCode": "4548-4", "resultValue": "6.1", "units": "%", "status": "final",
                  "referenceRange": "4.0-5.6"},
        )
    )  # fmt: skip
    _ok(
        api.post(
            f"/patients/{patient_id}/treatment-plans",
            token=token,
            json={"summary": "Blood pressure control", "details": "Readings twice daily; lisinopril 10 mg.",
                  "status": "active"},
        )
    )  # fmt: skip
    start = (now + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    _ok(
        api.post(
            f"/patients/{patient_id}/appointments",
            token=token,
            json={"provider": team.clinician.user_id, "startAt": iso(start),
                  "endAt": iso(start + timedelta(minutes=30)), "location": "Video call", "status": "scheduled",
                  "reason": "Monthly review"},
        )
    )  # fmt: skip
    _ok(api.post(f"/patients/{patient_id}/devices", token=token, json={"deviceType": "heart_rate"}))
    stack.drain()
    return Clinic(team=team, patient_name=name, thread_id=thread["threadId"], readings=count)
