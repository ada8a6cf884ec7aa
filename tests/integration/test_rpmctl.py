"""``rpmctl simulate`` against the local stack: provisions a device, publishes through IoT Core's HTTPS
API on the gateway (broker → the DeviceReadings rule → its queue → the poller → ingest), and counts
what was stored and rejected."""

from __future__ import annotations

import io
import json
import threading
import time
from typing import Any

import pytest

from infra.local.stack import LocalStack
from rpm_core.tools import rpmctl
from tests.support.api import Api
from tests.support.cast import Cast, assign, create_profile, new_clinician
from tests.support.devices import manual_reading


def test_parse_rate_and_duration() -> None:
    assert rpmctl.parse_rate("2/s") == 2
    assert rpmctl.parse_rate("30/min") == 0.5
    assert rpmctl.parse_duration("60s") == 60
    assert rpmctl.parse_duration("5m") == 300
    with pytest.raises(Exception, match="not a rate"):
        rpmctl.parse_rate("fast")


def test_simulate_publishes_and_counts(api: Api, cast: Cast, stack: LocalStack) -> None:
    clinician = new_clinician(api, cast.admin)
    patient = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient, clinician)
    options = rpmctl.parser().parse_args(
        [
            "simulate", "--patient", patient, "--device-type", "blood_pressure", "--rate", "20/s",
            "--duration", "1.5s", "--api", stack.base_url, "--token", cast.admin.access_token,
            "--out-of-range", "0.2", "--duplicates", "0.2", "--seed", "7", "--settle", "3",
        ]
    )  # fmt: skip
    out = io.StringIO()
    counts = rpmctl.simulate(options, out)
    assert counts.published >= 5
    assert "stored" in out.getvalue()
    device_id = out.getvalue().split("provisioned device ", 1)[1].split(" ", 1)[0]
    stack.drain()  # whatever the poller has not delivered yet
    token = cast.admin.access_token
    readings = api.get(f"/patients/{patient}/device-data?limit=100", token=token).json()["items"]
    assert (
        len([r for r in readings if r["device"] == device_id])
        == counts.published - counts.duplicates - counts.out_of_range
    )
    rejected = api.get(f"/admin/rejected-readings?deviceId={device_id}&limit=100", token=token).json()["items"]
    assert len(rejected) == counts.out_of_range
    assert counts.stored is not None
    assert counts.stored <= counts.published - counts.duplicates - counts.out_of_range


def test_listen_prints_ids_of_live_events_until_the_session_logs_out(
    api: Api, cast: Cast, stack: LocalStack, capsys: pytest.CaptureFixture[str]
) -> None:
    clinician = new_clinician(api, cast.admin)
    patient = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient, clinician)
    arguments = ["listen", "--ws", stack.ws_url, "--api", stack.base_url, "--token", clinician.access_token]
    finished: list[int] = []
    listening = threading.Thread(target=lambda: finished.append(rpmctl.main(arguments)), daemon=True)
    listening.start()
    while "waiting for events" not in capsys.readouterr().err:  # connected
        assert listening.is_alive()
        time.sleep(0.05)  # polling for the connection, not timing the result
    data_id = manual_reading(api, clinician.access_token, patient)["objectId"]
    stack.drain()
    printed = ""
    for _ in range(200):
        printed += capsys.readouterr().out
        if data_id in printed:
            break
        time.sleep(0.05)
    (event,) = [json.loads(line) for line in printed.splitlines()]
    assert event == {"type": "devicedata.created", "patientId": patient, "objectId": data_id, "at": event["at"]}
    assert "heart_rate" not in printed  # ids only, never the reading
    assert api.post("/auth/logout", token=clinician.access_token).status == 204
    stack.drain()
    listening.join(timeout=10)
    assert finished == [0]  # the logout closed the connection
    assert rpmctl.main(["listen", "--ws", stack.ws_url, "--api", stack.base_url, "--token", "not-a-token"]) == 1


def test_tick_runs_one_tick_of_a_scheduled_function(stack: LocalStack) -> None:
    out = io.StringIO()
    result = rpmctl.tick(rpmctl.parser().parse_args(["tick", "watch", "--api", stack.base_url]), out)
    assert set(result) == {"due", "raised", "disarmed", "escalated"}
    assert json.loads(out.getvalue()) == result
    with pytest.raises(Exception, match="not found"):
        rpmctl.tick(rpmctl.parser().parse_args(["tick", "patients", "--api", stack.base_url]), out)


def test_billing_walks_every_page_into_one_csv(api: Api, cast: Cast, stack: LocalStack, tmp_path: Any) -> None:
    clinician = new_clinician(api, cast.admin)
    patients = []
    for _ in range(3):
        patients.append(str(create_profile(api, cast.admin.access_token)["objectId"]))
        assign(api, cast.admin, patients[-1], clinician)
    target = tmp_path / "report.csv"
    arguments = ["billing", "--month", "2026-01", "--out", str(target), "--api", stack.base_url, "--limit", "1"]
    out = io.StringIO()
    assert rpmctl.billing(rpmctl.parser().parse_args([*arguments, "--token", clinician.access_token]), out) == 0
    lines = target.read_text().splitlines()
    assert lines[0].startswith("month,patient,")
    assert sorted(line.split(",")[1] for line in lines[1:]) == sorted(patients)  # one row each: no codes
    assert "3 rows from 4 page(s)" in out.getvalue() or "3 rows from 3 page(s)" in out.getvalue()
