"""Appointments: /patients/{patientId}/appointments[/{appointmentId}], /appointments, and no double booking."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.stack import LocalStack
from rpm_core.data import appointments as store
from rpm_core.provenance import Actor, created, updated
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import Account, Cast, assign, create_profile, new_clinician


def _team(api: Api, cast: Cast) -> tuple[str, Account]:
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    clinician = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient_id, clinician)
    return patient_id, clinician


def _span(start: str, end: str, day: str = "2030-03-04") -> dict[str, str]:
    return {"startAt": f"{day}T{start}:00Z", "endAt": f"{day}T{end}:00Z"}


def _book(api: Api, token: str, patient_id: str, **fields: Any) -> ApiResponse:
    return api.post(f"/patients/{patient_id}/appointments", token=token, json=fields)


def _booked(api: Api, token: str, patient_id: str, **fields: Any) -> dict[str, Any]:
    response = _book(api, token, patient_id, **fields)
    assert response.status == 201, response
    body: dict[str, Any] = response.json()
    return body


def _patch(api: Api, token: str, patient_id: str, appointment_id: str, **fields: Any) -> ApiResponse:
    return api.patch(f"/patients/{patient_id}/appointments/{appointment_id}", token=token, json=fields)


def _schedule(api: Api, token: str, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/appointments{query}", token=token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_clinician_books_and_both_sides_see_it(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    body = _booked(
        api,
        clinician.access_token,
        patient,
        startAt="2030-03-04T10:00:00+01:00",
        endAt="2030-03-04T10:45:00+01:00",
        location="Room 2",
        reason="Review",
    )
    assert set(body) == {
        "objectId",
        "patient",
        "provider",
        "startAt",
        "endAt",
        "location",
        "status",
        "reason",
        "createdBy",
        "updatedBy",
        "createdAt",
        "updatedAt",
    }
    assert (body["provider"], body["patient"], body["status"]) == (clinician.user_id, patient, "scheduled")
    assert (body["startAt"], body["endAt"]) == ("2030-03-04T09:00:00.000Z", "2030-03-04T09:45:00.000Z")
    assert body["createdBy"] == clinician.user_id
    listed = api.get(f"/patients/{patient}/appointments", token=cast.admin.access_token).json()["items"]
    assert listed == [body]
    assert _schedule(api, clinician.access_token) == [body]


def _concurrently(stack: LocalStack, token: str, patient: str, spans: list[dict[str, str]]) -> list[int]:
    barrier = threading.Barrier(len(spans))
    statuses: list[int] = []
    lock = threading.Lock()

    def book(span: dict[str, str]) -> None:
        client = Api(stack.gateway)
        barrier.wait(timeout=10)
        status = _book(client, token, patient, **span).status
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=book, args=(span,)) for span in spans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_twenty_concurrent_overlapping_bookings_give_exactly_one_201(api: Api, stack: LocalStack, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    # odd minutes, no two alike, all overlapping 09:41-10:01
    spans = [_span(f"09:{3 + 2 * i:02d}", f"10:{1 + i:02d}") for i in range(20)]
    statuses = _concurrently(stack, clinician.access_token, patient, spans)
    assert sorted(statuses) == [201] + [409] * 19
    assert len(_schedule(api, clinician.access_token, "?from=2030-03-04T00:00:00Z&to=2030-03-05T00:00:00Z")) == 1


def test_concurrent_back_to_back_bookings_all_succeed(api: Api, stack: LocalStack, cast: Cast) -> None:
    """Adjacent bookings (one's end is the next one's start) do not overlap, even when they race."""
    patient, clinician = _team(api, cast)
    spans = [
        {"startAt": f"2030-03-06T13:{3 + 7 * i:02d}:00Z", "endAt": f"2030-03-06T13:{10 + 7 * i:02d}:00Z"}
        for i in range(6)
    ]
    statuses = _concurrently(stack, clinician.access_token, patient, spans)
    assert statuses == [201] * 6
    schedule = _schedule(api, clinician.access_token, "?from=2030-03-06T00:00:00Z&to=2030-03-07T00:00:00Z")
    assert [item["startAt"][11:16] for item in schedule] == [span["startAt"][11:16] for span in spans]


# --- the storage's guarantee, under real concurrency ------------------------------------------------
# The local stack runs one invocation of a function at a time (as one Lambda instance would), so HTTP
# requests to the same function never interleave here; deployed, many instances do. These tests call the
# storage layer from many threads at once, and force the interleaving that matters.

DAY = datetime(2030, 5, 6, tzinfo=UTC)


def _store_booking(patient: str, provider: str, start: int, end: int) -> Callable[[], None]:
    """A booking of minutes ``[start, end)`` of ``DAY``, as the service stores it."""
    actor = Actor(provider, f"race-{uuid.uuid4()}")
    begins, ends = DAY + timedelta(minutes=start), DAY + timedelta(minutes=end)
    stamp = created(actor)
    item = {
        "patientId": patient,
        "appointmentId": str(uuid.uuid4()),
        "providerId": provider,
        "startAt": begins.isoformat().replace("+00:00", "Z"),
        "endAt": ends.isoformat().replace("+00:00", "Z"),
        "status": "scheduled",
        **stamp,
    }
    booking = store.Booking.of(provider, begins, ends)
    return lambda: store.create(item, booking, stamp=updated(actor, stamp["createdAt"]))


def _race(bookings: list[Callable[[], None]]) -> list[str]:
    barrier = threading.Barrier(len(bookings))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(book: Callable[[], None]) -> None:
        barrier.wait(timeout=10)
        try:
            book()
            outcome = "booked"
        except store.SlotTaken:
            outcome = "taken"
        except store.Contended:
            outcome = "contended"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(book,)) for book in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_twenty_overlapping_bookings_racing_in_storage_make_one(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    # odd minutes, all overlapping 09:41-10:01 (minute 581-601 of the day)
    bookings = [_store_booking(patient, clinician.user_id, 543 + 2 * i, 601 + i) for i in range(20)]
    assert sorted(_race(bookings)) == ["booked"] + ["taken"] * 19
    day = f"?from={DAY.date()}T00:00:00Z&to={DAY.date()}T23:59:00Z"
    assert len(_schedule(api, clinician.access_token, day)) == 1


def test_back_to_back_bookings_racing_in_storage_all_commit(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    bookings = [_store_booking(patient, clinician.user_id, 783 + 7 * i, 790 + 7 * i) for i in range(6)]
    assert _race(bookings) == ["booked"] * 6


def test_a_booking_committed_between_the_reads_and_the_write_is_seen_on_the_retry(
    api: Api, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interleaving a slot-less design must survive: B reads the schedule (version, then no overlap);
    A commits an overlapping booking; B's transaction must fail on the version and, read again, find A."""
    patient, clinician = _team(api, cast)
    first = _store_booking(patient, clinician.user_id, 61, 97)
    second = _store_booking(patient, clinician.user_id, 95, 130)
    real = store.overlapping
    calls: list[int] = []

    def overlapping_then_a_competitor(booking: store.Booking, **options: Any) -> list[dict[str, Any]]:
        found = real(booking, **options)
        calls.append(len(found))
        if len(calls) == 1:
            first()  # commits between B's reads and B's transaction
        return found

    monkeypatch.setattr(store, "overlapping", overlapping_then_a_competitor)
    with pytest.raises(store.SlotTaken):
        second()
    monkeypatch.setattr(store, "overlapping", real)
    assert calls[0] == 0  # B saw a free provider, then lost the race on the version
    day = f"?from={DAY.date()}T00:00:00Z&to={DAY.date()}T23:59:00Z"
    assert [item["startAt"][11:16] for item in _schedule(api, clinician.access_token, day)] == ["01:01"]


def test_bookings_are_to_the_minute_from_5_to_480_minutes(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    booked = _booked(api, token, patient, status="scheduled", **_span("09:07", "09:52", day="2030-04-01"))
    assert (booked["status"], booked["startAt"], booked["endAt"]) == (
        "scheduled",
        "2030-04-01T09:07:00.000Z",
        "2030-04-01T09:52:00.000Z",
    )
    for start, end in (("09:51", "10:00"), ("09:00", "09:08"), ("09:20", "09:25"), ("09:07", "09:52")):
        problem = assert_problem(_book(api, token, patient, **_span(start, end, day="2030-04-01")), 409)
        assert "already has an appointment" in problem["detail"]
    _booked(api, token, patient, **_span("09:52", "09:57", day="2030-04-01"))  # 5 minutes, right after
    _booked(api, token, patient, **_span("09:02", "09:07", day="2030-04-01"))  # right before
    _booked(api, token, patient, **_span("10:01", "18:01", day="2030-04-01"))  # 480 minutes
    for start, end in (("11:00", "11:04"), ("00:00", "08:01")):
        problem = assert_problem(_book(api, token, patient, **_span(start, end, day="2030-04-02")), 422)
        assert problem["errors"], problem
    # cancelling frees exactly its minutes
    assert _patch(api, token, patient, booked["objectId"], status="cancelled").status == 200
    _booked(api, token, patient, **_span("09:13", "09:44", day="2030-04-01"))
    assert_problem(_book(api, token, patient, **_span("09:43", "09:50", day="2030-04-01")), 409)
    _booked(api, token, patient, **_span("09:44", "09:52", day="2030-04-01"))


def test_overlaps_are_refused_and_neighbours_are_not(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    _booked(api, token, patient, **_span("09:00", "10:00"))
    for start, end in (
        ("09:00", "10:00"),
        ("08:45", "09:15"),
        ("09:45", "10:30"),
        ("09:15", "09:30"),
        ("08:00", "12:00"),
    ):
        problem = assert_problem(_book(api, token, patient, **_span(start, end)), 409)
        assert "already has an appointment" in problem["detail"]
    _booked(api, token, patient, **_span("08:30", "09:00"))  # back to back
    _booked(api, token, patient, **_span("10:00", "10:15"))
    # another provider on the same team is free at the same time; an admin books for them
    other = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient, other)
    _booked(api, cast.admin.access_token, patient, provider=other.user_id, **_span("09:00", "10:00"))


def test_cancelling_or_a_no_show_frees_the_slot_and_completing_does_not(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    for status in ("cancelled", "no_show"):
        booked = _booked(api, token, patient, **_span("11:00", "12:00"))
        assert_problem(_book(api, token, patient, **_span("11:30", "11:45")), 409)
        changed = _patch(api, token, patient, booked["objectId"], status=status)
        assert changed.status == 200, changed
        assert changed.json()["status"] == status
        assert changed.json()["updatedBy"] == clinician.user_id
    rebooked = _booked(api, token, patient, **_span("11:00", "12:00"))
    assert _patch(api, token, patient, rebooked["objectId"], status="completed").json()["status"] == "completed"
    assert_problem(_book(api, token, patient, **_span("11:00", "11:15")), 409)


def test_rescheduling_moves_the_slots(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    moving = _booked(api, token, patient, **_span("09:00", "17:00"))  # 8 hours: 32 slots
    other = _booked(api, token, patient, **_span("17:00", "18:00"))
    assert_problem(_patch(api, token, patient, other["objectId"], startAt="2030-03-04T16:45:00Z"), 409)
    assert_problem(_patch(api, token, patient, moving["objectId"], endAt="2030-03-04T17:15:00Z"), 422)  # > 8 hours
    moved = _patch(api, token, patient, moving["objectId"], **_span("09:00", "17:00", day="2030-03-05"))
    assert moved.status == 200, moved
    assert moved.json()["startAt"] == "2030-03-05T09:00:00.000Z"
    _booked(api, token, patient, **_span("12:00", "13:00"))  # the old day is free again
    assert_problem(_book(api, token, patient, **_span("12:00", "13:00", day="2030-03-05")), 409)
    # a partial move keeps the slots it still covers and claims only the new ones
    shifted = _patch(api, token, patient, moving["objectId"], **_span("10:00", "18:00", day="2030-03-05"))
    assert shifted.status == 200, shifted
    _booked(api, token, patient, **_span("09:00", "10:00", day="2030-03-05"))
    assert_problem(_book(api, token, patient, **_span("17:45", "18:00", day="2030-03-05")), 409)
    # moving onto the other appointment is an overlap
    assert_problem(_patch(api, token, patient, other["objectId"], **_span("10:00", "11:00", day="2030-03-05")), 409)
    schedule = _schedule(api, token, "?from=2030-03-05T00:00:00Z&to=2030-03-06T00:00:00Z")
    assert [item["startAt"][11:16] for item in schedule] == ["09:00", "10:00"]


def test_the_provider_must_be_an_approved_clinician_on_the_care_team(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    admin = cast.admin.access_token
    outsider = new_clinician(api, cast.admin)
    for provider in (outsider.user_id, cast.pending_clinician.user_id, cast.patient.user_id, cast.admin.user_id):
        assert_problem(_book(api, admin, patient, provider=provider, **_span("13:00", "14:00")), 409)
    assert_problem(
        _book(api, clinician.access_token, patient, provider=outsider.user_id, **_span("13:00", "14:00")), 409
    )
    problem = assert_problem(_book(api, admin, patient, **_span("13:00", "14:00")), 422)  # an admin names one
    assert ["body", "provider"] in [error["loc"] for error in problem["errors"]]
    _booked(api, clinician.access_token, patient, **_span("13:00", "14:00"))  # nothing was claimed before


@pytest.mark.parametrize(
    "fields",
    [
        {"startAt": "2030-03-04T09:00:00", "endAt": "2030-03-04T10:00:00Z"},
        {"startAt": "2030-03-04T09:00:00Z", "endAt": "2030-03-04T10:00:00"},
        {"startAt": "2030-03-04T10:00:00Z", "endAt": "2030-03-04T10:00:00Z"},
        {"startAt": "2030-03-04T10:00:00Z", "endAt": "2030-03-04T09:00:00Z"},
        {"startAt": "2030-03-04T08:00:00Z", "endAt": "2030-03-04T16:15:00Z"},
        {"startAt": "2030-03-04T08:00:00Z", "endAt": "2030-03-04T16:01:00Z"},
        {"startAt": "2030-03-04T09:00:00Z", "endAt": "2030-03-04T09:04:00Z"},
        {"startAt": "2030-03-04T09:00:30Z", "endAt": "2030-03-04T10:00:00Z"},
        {"startAt": "2030-03-04T09:00:00.5Z", "endAt": "2030-03-04T10:00:00Z"},
        {"startAt": "2030-03-04T09:00:00Z", "endAt": "2030-03-04T10:00:00Z", "status": "cancelled"},
        {"startAt": "2030-03-04T09:00:00Z", "endAt": "2030-03-04T10:00:00Z", "status": None},
        {"startAt": "not a time", "endAt": "2030-03-04T10:00:00Z"},
        {"endAt": "2030-03-04T10:00:00Z"},
        {"startAt": "2030-03-04T09:00:00Z", "endAt": "2030-03-04T10:00:00Z", "status": "completed"},
        {"startAt": "2030-03-04T09:00:00Z", "endAt": "2030-03-04T10:00:00Z", "provider": "a/b"},
    ],
)
def test_booking_validation(api: Api, cast: Cast, fields: dict[str, Any]) -> None:
    assert_problem(_book(api, cast.clinician.access_token, str(cast.patient.patient_id), **fields), 422)


@pytest.mark.parametrize(
    "change",
    [
        {"startAt": None},
        {"status": None},
        {"endAt": "2030-03-04T07:00:00Z"},
        {"endAt": "2030-03-04T20:00:00Z"},
        {"startAt": "2030-03-04T08:05:30Z"},
        {"startAt": "2030-03-04T08:56:00Z"},
        {"startAt": "2030-03-04T08:00:00"},
        {"status": "missed"},
    ],
)
def test_change_validation(api: Api, cast: Cast, change: dict[str, Any]) -> None:
    patient, clinician = _team(api, cast)
    booked = _booked(api, clinician.access_token, patient, **_span("08:00", "09:00"))
    assert_problem(_patch(api, clinician.access_token, patient, booked["objectId"], **change), 422)


@pytest.mark.parametrize(
    ("first", "change"),
    [
        ("cancelled", {"status": "scheduled"}),
        ("cancelled", {"status": "completed"}),
        ("completed", {"status": "cancelled"}),
        ("completed", {"startAt": "2030-03-04T07:00:00Z"}),
        ("no_show", {"status": "scheduled"}),
        ("no_show", {"location": "Elsewhere"}),
    ],
)
def test_finished_appointments_do_not_change(api: Api, cast: Cast, first: str, change: dict[str, Any]) -> None:
    patient, clinician = _team(api, cast)
    booked = _booked(api, clinician.access_token, patient, **_span("08:00", "09:00"))
    assert _patch(api, clinician.access_token, patient, booked["objectId"], status=first).status == 200
    assert_problem(_patch(api, clinician.access_token, patient, booked["objectId"], **change), 409)


def test_schedules_by_time_range_and_who_may_see_them(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    ids = [
        _booked(api, token, patient, **_span(start, end, day="2030-04-01"))["objectId"]
        for start, end in (("15:00", "16:00"), ("09:00", "10:00"), ("12:00", "12:30"))
    ]
    day = "?from=2030-04-01T00:00:00Z&to=2030-04-02T00:00:00Z"
    assert [item["objectId"] for item in _schedule(api, token, day)] == [ids[1], ids[2], ids[0]]
    morning = "?from=2030-04-01T11:00:00%2B02:00&to=2030-04-01T12:00:00Z"  # 09:00Z inclusive, 12:00Z exclusive
    assert [item["objectId"] for item in _schedule(api, token, morning)] == [ids[1]]
    assert [
        item["objectId"] for item in _schedule(api, cast.admin.access_token, f"{day}&provider={clinician.user_id}")
    ] == [
        ids[1],
        ids[2],
        ids[0],
    ]
    first = api.get(f"/appointments{day}&limit=2", token=token).json()
    second = api.get(f"/appointments{day}&limit=2&cursor={first['nextCursor']}", token=token).json()
    assert [item["objectId"] for item in first["items"] + second["items"]] == [ids[1], ids[2], ids[0]]
    patient_view = api.get(f"/patients/{patient}/appointments{day}", token=cast.admin.access_token).json()["items"]
    assert [item["objectId"] for item in patient_view] == [ids[1], ids[2], ids[0]]
    assert_problem(api.get(f"/appointments?provider={cast.clinician.user_id}", token=token), 403)
    assert_problem(api.get("/appointments", token=cast.patient.access_token), 403)
    assert_problem(api.get("/appointments", token=cast.pending_clinician.access_token), 403)
    assert_problem(api.get("/appointments?from=2030-04-01T00:00:00", token=token), 422)
    assert_problem(api.get("/appointments?from=2030-04-02T00:00:00Z&to=2030-04-01T00:00:00Z", token=token), 422)
    assert_problem(api.get(f"/patients/{patient}/appointments?to=yesterday", token=token), 422)
    # taken off the care team, the clinician no longer sees that patient's bookings
    assert api.delete(f"/patients/{patient}/care-team/{clinician.user_id}", token=cast.admin.access_token).status == 204
    assert _schedule(api, token, day) == []


def test_outsiders_get_404_and_the_patient_403_on_writes(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    booked = _booked(api, clinician.access_token, patient, **_span("07:00", "07:30"))
    base = f"/patients/{patient}/appointments"
    for outsider in (cast.other_patient, cast.unassigned_clinician, cast.pending_clinician, cast.clinician):
        assert_problem(api.get(base, token=outsider.access_token), 404)
        assert_problem(_patch(api, outsider.access_token, patient, booked["objectId"], status="cancelled"), 404)
        assert_problem(_book(api, outsider.access_token, patient, **_span("06:00", "06:30")), 404)
    assert_problem(_patch(api, clinician.access_token, patient, "no-such-appointment", status="cancelled"), 404)
    assert_problem(
        _patch(api, cast.clinician.access_token, str(cast.patient.patient_id), booked["objectId"], status="cancelled"),
        404,
    )
