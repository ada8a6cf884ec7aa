"""``rpmctl simulate`` against the local stack: provisions a device, publishes through IoT Core's HTTPS
API on the gateway (broker → the DeviceReadings rule → its queue → the poller → ingest), and counts
what was stored and rejected."""

from __future__ import annotations

import io

import pytest

from infra.local.stack import LocalStack
from rpm_core.tools import rpmctl
from tests.support.api import Api
from tests.support.cast import Cast, assign, create_profile, new_clinician


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
