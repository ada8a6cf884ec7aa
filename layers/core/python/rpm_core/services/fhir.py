"""FHIR R4 reads and searches over the same services as REST: the same visibility, the same read notes (the
entrypoint audits them), the same indexes and tamper-checked cursors (one Query per page).

Observation searches page readings first (newest ``recordedAt`` first), then lab results (newest published
first); the cursor names which (``r~<cursor>`` or ``l~<cursor>``) and carries the REST list's cursor. A page is
one Query of each source it reads: one, or two on the page where the readings end and the lab results begin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rpm_core.auth import Principal
from rpm_core.data.pagination import InvalidCursor
from rpm_core.errors import BadRequest, NotFound
from rpm_core.fhir import observations as obs
from rpm_core.fhir import resources as fhir
from rpm_core.fhir.search import Range
from rpm_core.services import reads
from rpm_core.services.access import patient_grant

if TYPE_CHECKING:
    from rpm_core.models.clinical import LabResult
    from rpm_core.models.devices import DeviceData

# Each function imports the REST service it calls when first called: a cold start loads what its route needs
# (the fhir function serves the records of six services; importing them all up front cost ~0.2 x import boto3).

CATEGORIES = (obs.VITAL_SIGNS, obs.LABORATORY)
Resources = list[dict[str, Any]]
Searched = tuple[Resources, str | None]


def patient_of_search(principal: Principal, patient: str | None) -> str:
    """The searched patient: the one named, or for a patient their own."""
    if patient:
        return patient
    if principal.is_patient and principal.patient_id:
        return principal.patient_id
    raise BadRequest("Name the patient: patient=<id> (or Patient/<id>).")


# --- Patient -------------------------------------------------------------------------------------------------


def read_patient(principal: Principal, patient_id: str) -> dict[str, Any]:
    from rpm_core.services import patients

    return fhir.patient(patients.get_patient(principal, patient_id))


def search_patients(principal: Principal, *, count: int, cursor: str | None) -> Searched:
    from rpm_core.services import patients

    found, next_cursor = patients.list_patients(principal, limit=count, cursor=cursor)
    return [fhir.patient(profile) for profile in found], next_cursor


# --- Observation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationSearch:
    patient_id: str
    categories: frozenset[str] | None = None
    codes: tuple[tuple[str | None, str], ...] | None = None
    """(system or None, code) pairs, any of which matches."""
    dates: Range = field(default_factory=Range)
    count: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class _Selection:
    device_types: dict[str, frozenset[str] | None]
    """Device type → the payload units its matching readings have (None: any unit)."""
    labs: bool
    lab_codes: frozenset[str] | None
    """LOINC codes a lab result must carry (None: any result)."""


def _selection(search: ObservationSearch) -> _Selection:
    kinds = dict(obs.OBSERVATION_KINDS)
    labs = True
    if search.categories is not None:
        kinds = {name: kind for name, kind in kinds.items() if kind.category in search.categories}
        labs = obs.LABORATORY in search.categories
    types: dict[str, frozenset[str] | None] = dict.fromkeys(kinds)
    lab_codes: frozenset[str] | None = None
    if search.codes is not None:
        loinc = {code for system, code in search.codes if system in (None, obs.LOINC)}
        types = {}
        for name, kind in kinds.items():
            units = {unit for code, unit in kind.search_codes.items() if code in loinc}
            if units:
                types[name] = None if None in units else frozenset(u for u in units if u)
        lab_codes = frozenset(loinc)
        labs = labs and bool(lab_codes)
    return _Selection(types, labs, lab_codes)


def _split(cursor: str | None) -> tuple[str, str | None]:
    if not cursor:
        return "r", None
    phase, sep, rest = cursor.partition("~")
    if not sep or phase not in ("r", "l"):
        raise InvalidCursor("The cursor is not valid.")
    return phase, rest or None


def _reading_filter(selection: _Selection, search: ObservationSearch) -> Callable[[DeviceData], bool]:
    def keep(reading: DeviceData) -> bool:
        if reading.deviceType not in selection.device_types:
            return False
        units = selection.device_types[reading.deviceType]
        return units is None or str(reading.dataPayload.get("unit")) in units

    return keep


def _lab_filter(selection: _Selection, search: ObservationSearch) -> Callable[[LabResult], bool]:
    def keep(result: LabResult) -> bool:
        if selection.lab_codes is not None and result.testCode not in selection.lab_codes:
            return False
        return search.dates.holds(result.publishedAt or result.createdAt)

    return keep


def search_observations(principal: Principal, search: ObservationSearch) -> Searched:
    from rpm_core.services import lab_results, readings

    if search.dates.empty:
        raise BadRequest("The date parameters allow no time at all.")
    selection = _selection(search)
    phase, cursor = _split(search.cursor)
    found: Resources = []
    if phase == "r" and selection.device_types:
        only = next(iter(selection.device_types)) if len(selection.device_types) == 1 else None
        page, next_cursor = readings.list_readings(
            principal,
            search.patient_id,
            device_type=only,
            start=search.dates.start,
            end=search.dates.end,
            limit=search.count,
            cursor=cursor,
            keep=_reading_filter(selection, search),
        )
        found = [obs.reading_observation(reading) for reading in page]
        if next_cursor:
            return found, f"r~{next_cursor}"
        if not selection.labs:
            return found, None
        if len(found) >= search.count:
            return found, "l~"
        cursor = None  # the readings ended on this page: its rest is lab results
    elif not selection.labs:  # nothing this search can match: the patient's visibility still decides 404
        reads.of_patient(patient_grant(principal, search.patient_id, shared=True), "DeviceData")
        return [], None
    results, next_cursor = lab_results.list_results(
        principal,
        search.patient_id,
        limit=search.count - len(found),
        cursor=cursor,
        keep=_lab_filter(selection, search),
    )
    found += [obs.lab_observation(result) for result in results]
    return found, (f"l~{next_cursor}" if next_cursor else None)


def read_observation(principal: Principal, resource_id: str) -> dict[str, Any]:
    from rpm_core.services import lab_results, readings

    lab = obs.parse_lab_resource_id(resource_id)
    if lab is not None:
        patient_id, lab_result_id = lab
        try:
            return obs.lab_observation(lab_results.get(principal, patient_id, lab_result_id))
        except NotFound as error:
            raise NotFound(f"Observation {resource_id} was not found.") from error
    return obs.reading_observation(readings.get_any_reading(principal, resource_id))


# --- the other searches by patient ---------------------------------------------------------------------------


def search_devices(principal: Principal, patient_id: str, *, count: int, cursor: str | None) -> Searched:
    from rpm_core.services import devices

    found, next_cursor = devices.list_devices(principal, patient_id, limit=count, cursor=cursor)
    return [fhir.device(item) for item in found], next_cursor


def search_reports(principal: Principal, patient_id: str, *, count: int, cursor: str | None) -> Searched:
    from rpm_core.services import lab_results

    found, next_cursor = lab_results.list_results(principal, patient_id, limit=count, cursor=cursor)
    return [fhir.diagnostic_report(result) for result in found], next_cursor


def search_care_plans(principal: Principal, patient_id: str, *, count: int, cursor: str | None) -> Searched:
    from rpm_core.services import treatment_plans

    found, next_cursor = treatment_plans.list_plans(principal, patient_id, status=None, limit=count, cursor=cursor)
    return [fhir.care_plan(plan) for plan in found], next_cursor


def search_appointments(principal: Principal, patient_id: str, *, count: int, cursor: str | None) -> Searched:
    from rpm_core.services import appointments

    found, next_cursor = appointments.list_for_patient(
        principal, patient_id, start_from=None, start_to=None, limit=count, cursor=cursor
    )
    return [fhir.appointment(booking) for booking in found], next_cursor
