"""Reading days are the patient's calendar days: across a DST change and midnight, after a change of zone,
and the current month in the patient's zone when reading-days names none."""

from __future__ import annotations

from datetime import UTC, datetime

from infra.local.stack import LocalStack
from rpm_core.clock import local_date
from tests.support.api import Api
from tests.support.cast import Cast, create_profile
from tests.support.devices import batch, device_message, manual_reading, provision, sqs_record


def _transmit(stack: LocalStack, device_id: str, *moments: str) -> None:
    records = []
    for moment in moments:
        at = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        message = device_message("heart_rate", recorded_at=at)
        records.append(sqs_record(device_id, message, received_at_ms=int(at.timestamp() * 1000) + 1000))
    assert stack.runtime.invoke("ingest", batch(*records)) == {"batchItemFailures": []}


def _days(api: Api, token: str, patient_id: str, month: str) -> dict[str, int]:
    body = api.get(f"/patients/{patient_id}/reading-days?month={month}", token=token).json()
    return {day["date"]: day["readings"] for day in body["days"]}


def test_days_follow_the_patients_zone_across_dst_midnight_and_a_change_of_zone(
    api: Api, cast: Cast, stack: LocalStack
) -> None:
    token = cast.admin.access_token
    patient_id = str(create_profile(api, token, timeZone="America/New_York")["objectId"])
    device = provision(api, token, patient_id, "heart_rate")["objectId"]
    # New York moves from UTC-5 to UTC-4 at 07:00 UTC on 8 March 2026
    _transmit(
        stack,
        device,
        "2026-03-08T04:30:00.000Z",  # 23:30 EST on the 7th: before midnight
        "2026-03-08T05:30:00.000Z",  # 00:30 EST on the 8th: after midnight
        "2026-03-09T03:30:00.000Z",  # 23:30 EDT on the 8th (a fixed UTC-5 would say 22:30)
        "2026-03-09T04:30:00.000Z",  # 00:30 EDT on the 9th (a fixed UTC-5 would still say the 8th)
    )
    assert _days(api, token, patient_id, "2026-03") == {"2026-03-07": 1, "2026-03-08": 2, "2026-03-09": 1}

    assert api.patch(f"/patients/{patient_id}", token=token, json={"timeZone": "Asia/Tokyo"}).status == 200
    _transmit(stack, device, "2026-03-10T16:00:00.000Z")  # 01:00 on the 11th in Tokyo, the 10th in New York
    assert _days(api, token, patient_id, "2026-03") == {
        "2026-03-07": 1,  # earlier days stay as they were counted
        "2026-03-08": 2,
        "2026-03-09": 1,
        "2026-03-11": 1,
    }


def test_reading_days_default_to_the_current_month_in_the_patients_zone(api: Api, cast: Cast) -> None:
    token = cast.admin.access_token
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11: often not the same date
        patient_id = str(create_profile(api, token, timeZone=zone)["objectId"])
        reading = manual_reading(api, token, patient_id)
        body = api.get(f"/patients/{patient_id}/reading-days", token=token).json()
        local = local_date(reading["recordedAt"], zone)
        assert body["month"] == local_date(datetime.now(UTC), zone).strftime("%Y-%m")
        if body["month"] == local.strftime("%Y-%m"):  # (not when the zone's month turned since the reading)
            assert [day["date"] for day in body["days"]] == [local.isoformat()]
        assert _days(api, token, patient_id, local.strftime("%Y-%m")) == {local.isoformat(): 1}
