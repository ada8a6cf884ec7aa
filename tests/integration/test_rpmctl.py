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


def test_simulate_as_the_care_team_says_what_it_cannot_count_and_the_alerts_it_raised(
    api: Api, cast: Cast, stack: LocalStack
) -> None:
    clinician = new_clinician(api, cast.admin)
    patient = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient, clinician)
    rule = {"deviceType": "blood_pressure", "field": "systolic", "max": 100, "severity": "high"}
    assert (
        api.put(f"/patients/{patient}/thresholds", token=clinician.access_token, json={"rules": [rule]}).status == 200
    )
    options = rpmctl.parser().parse_args(
        [
            "simulate", "--patient", patient, "--rate", "20/s", "--duration", "1s", "--api", stack.base_url,
            "--token", clinician.access_token, "--out-of-range", "0", "--duplicates", "0", "--seed", "3",
            "--settle", "3",
        ]
    )  # fmt: skip
    out = io.StringIO()  # not a terminal: whole lines, no carriage returns
    counts = rpmctl.simulate(options, out)
    text = out.getvalue()
    assert "\r" not in text
    assert text.endswith("\n")
    last = text.splitlines()[-1]
    assert "rejected not counted (an admin's token counts them)" in last
    assert "?" not in last
    assert counts.alerts is not None
    assert counts.alerts > 0
    assert f"alerts raised {counts.alerts}" in last


def test_listen_says_what_went_wrong_in_a_line(cast: Cast, stack: LocalStack, free_port: int) -> None:
    api_down = f"http://127.0.0.1:{free_port}"
    with pytest.raises(SystemExit, match=r"cannot reach the API at http://127\.0\.0\.1:\d+"):
        rpmctl.main(["listen", "--api", api_down, "--email", "a@example.com", "--password", "x"])
    with pytest.raises(SystemExit, match=r"sign-in refused \(401\)"):
        rpmctl.main(["listen", "--api", stack.base_url, "--email", cast.admin.email, "--password", "wrong-Passw0rd"])
    ws_down = f"ws://127.0.0.1:{free_port}"
    with pytest.raises(SystemExit, match=r"cannot connect to ws://127\.0\.0\.1:\d+ .*WS_PORT"):
        rpmctl.main(["listen", "--ws", ws_down, "--api", stack.base_url, "--token", cast.admin.access_token])
    with pytest.raises(SystemExit, match="give --ws"):
        rpmctl.main(["listen", "--api", "https://api.example.org", "--token", "t"])


def test_listen_finds_make_devs_websocket_next_to_the_api() -> None:
    from rpm_core.tools import listen

    assert listen.default_ws("http://127.0.0.1:3100") == "ws://127.0.0.1:3101"
    assert listen.default_ws("http://localhost:3000/") == "ws://localhost:3001"
    assert listen.default_ws("https://abc.execute-api.eu-west-1.amazonaws.com") is None


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
