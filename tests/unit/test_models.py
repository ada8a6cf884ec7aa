"""rpm_core.models: request validation (timestamps, dates, contact, unknown fields) and public forms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from rpm_core.models.common import PastDate, Timestamp
from rpm_core.models.patients import Contact, PatientCreate, PatientUpdate
from rpm_core.models.users import LoginRequest, RoleChangeRequest, SignupRequest

TIMESTAMP: TypeAdapter[datetime] = TypeAdapter(Timestamp)
PAST_DATE: TypeAdapter[date] = TypeAdapter(PastDate)


def _error_locs(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [tuple(error["loc"]) for error in raised.value.errors()]


# --- Timestamp ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2025-01-02T03:04:05", "2025-01-02 03:04:05", "2025-01-02T03:04:05.123"])
def test_timestamp_without_offset_is_rejected(text: str) -> None:
    with pytest.raises(ValidationError, match="offset"):
        TIMESTAMP.validate_python(text)


@pytest.mark.parametrize("value", [0.5, 1700000000, "1700000000", "0.5", "2025-01-02", "now", True])
def test_timestamp_is_iso_text_never_a_unix_time(value: object) -> None:
    with pytest.raises(ValidationError, match="ISO 8601"):
        TIMESTAMP.validate_python(value)


@pytest.mark.parametrize("value", [1.1590885349474632e208, -1e126, 1e-200])
def test_numbers_storage_cannot_keep_are_rejected(value: float) -> None:
    from rpm_core.models.clinical import LabResultCreate
    from rpm_core.models.monitoring import ThresholdRule

    with pytest.raises(ValidationError):
        LabResultCreate.model_validate({"testName": "HbA1c", "status": "final", "resultValue": value})
    rule = {"deviceType": "heart_rate", "field": "bpm", "max": value, "severity": "low"}
    with pytest.raises(ValidationError):
        ThresholdRule.model_validate(rule)


def test_ordinary_numbers_are_kept() -> None:
    from rpm_core.models.clinical import LabResultCreate

    for value in (0, 0.0, 6.4, -3, 10**37, 1e100):
        assert (
            LabResultCreate.model_validate({"testName": "t", "status": "final", "resultValue": value}).resultValue
            == value
        )


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_timestamp_beyond_the_calendar_in_utc_is_invalid_not_an_error(text: str) -> None:
    with pytest.raises(ValidationError, match="between the years"):
        TIMESTAMP.validate_python(text)


def test_naive_datetime_object_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TIMESTAMP.validate_python(datetime(2025, 1, 2, 3, 4, 5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-02T03:04:05Z", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2025-01-02T05:04:05+02:00", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2025-01-01T22:04:05-05:00", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ],
)
def test_timestamp_with_offset_is_normalised_to_utc(text: str, expected: datetime) -> None:
    value = TIMESTAMP.validate_python(text)
    assert value == expected
    assert value.utcoffset() == timedelta(0)


def test_aware_datetime_object_is_accepted() -> None:
    value = TIMESTAMP.validate_python(datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1))))
    assert value == datetime(2025, 1, 2, 2, 4, 5, tzinfo=UTC)


# --- PastDate ----------------------------------------------------------------------------------


def test_past_and_today_are_accepted() -> None:
    today = datetime.now(UTC).date()
    assert PAST_DATE.validate_python("1950-02-03") == date(1950, 2, 3)
    assert PAST_DATE.validate_python(today.isoformat()) == today


def test_future_date_is_rejected() -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        PAST_DATE.validate_python(tomorrow.isoformat())


@pytest.mark.parametrize("text", ["1950-13-01", "1950-02-30", "yesterday", "03/02/1950"])
def test_invalid_date_is_rejected(text: str) -> None:
    with pytest.raises(ValidationError):
        PAST_DATE.validate_python(text)


# --- Contact -----------------------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["+1 555 0100", "(020) 7946-0000", "555.0100", "+441234567890"])
def test_phone_numbers_are_accepted(phone: str) -> None:
    assert Contact(phone=phone).phone == phone


@pytest.mark.parametrize("phone", ["call me", "12", "+1 555 0100 ext 4", "1" * 33, "+1-555-CALL"])
def test_phone_numbers_that_are_not_numbers_are_rejected(phone: str) -> None:
    assert ("phone",) in _error_locs(Contact, {"phone": phone})


def test_contact_email_is_validated() -> None:
    assert ("email",) in _error_locs(Contact, {"email": "not-an-email"})


def test_contact_rejects_unknown_fields() -> None:
    assert ("fax",) in _error_locs(Contact, {"fax": "123"})


# --- patient requests --------------------------------------------------------------------------


def test_patient_create_minimal_and_stripped() -> None:
    request = PatientCreate.model_validate({"medicalRecordNumber": " MRN-1 ", "displayName": "  Ann  "})
    assert (request.medicalRecordNumber, request.displayName, request.user) == ("MRN-1", "Ann", None)


def test_patient_create_rejects_unknown_fields() -> None:
    locs = _error_locs(
        PatientCreate, {"medicalRecordNumber": "M-1", "displayName": "A", "isActive": False, "objectId": "x"}
    )
    assert {("isActive",), ("objectId",)} <= set(locs)


@pytest.mark.parametrize("mrn", ["", "has space", "a" * 65, "semi;colon", "ümlaut"])
def test_bad_mrn_is_rejected(mrn: str) -> None:
    assert ("medicalRecordNumber",) in _error_locs(PatientCreate, {"medicalRecordNumber": mrn, "displayName": "A"})


def test_blank_display_name_is_rejected() -> None:
    assert ("displayName",) in _error_locs(PatientCreate, {"medicalRecordNumber": "M", "displayName": "   "})


def test_patient_update_knows_which_fields_were_sent() -> None:
    update = PatientUpdate.model_validate({"displayName": "New", "contact": None})
    assert update.model_dump(exclude_unset=True) == {"displayName": "New", "contact": None}


def test_patient_update_rejects_unknown_and_future_dates() -> None:
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    assert ("user",) in _error_locs(PatientUpdate, {"user": "someone"})
    assert ("dateOfBirth",) in _error_locs(PatientUpdate, {"dateOfBirth": tomorrow})


# --- user requests -----------------------------------------------------------------------------


def test_signup_defaults_to_patient() -> None:
    request = SignupRequest.model_validate({"email": "a@example.com", "password": "p", "displayName": "A"})
    assert request.role == "patient"


@pytest.mark.parametrize("role", ["admin", "ADMIN", "nurse", ""])
def test_signup_cannot_choose_admin_or_unknown_roles(role: str) -> None:
    assert ("role",) in _error_locs(
        SignupRequest, {"email": "a@example.com", "password": "p", "displayName": "A", "role": role}
    )


def test_signup_and_login_reject_unknown_fields() -> None:
    assert ("isAdmin",) in _error_locs(
        SignupRequest, {"email": "a@example.com", "password": "p", "displayName": "A", "isAdmin": True}
    )
    assert ("remember",) in _error_locs(LoginRequest, {"email": "a@example.com", "password": "p", "remember": True})


def test_role_change_accepts_the_three_roles_only() -> None:
    for role in ("patient", "clinician", "admin"):
        assert RoleChangeRequest.model_validate({"role": role}).role == role
    assert ("role",) in _error_locs(RoleChangeRequest, {"role": "root"})
