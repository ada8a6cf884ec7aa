"""Readings and lab results as FHIR R4 Observations.

One row per device type (``OBSERVATION_KINDS``): its category, LOINC code, HL7 Vital Signs profile and how the
payload becomes ``valueQuantity`` or ``component``. Adding a device type is one row here (and its payload
model in ``rpm_core.models.devices``); a test fails for a declared device type without a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rpm_core.clock import iso

if TYPE_CHECKING:  # the models are the services' (loaded with them): the function's cold start skips them here
    from rpm_core.models.clinical import LabResult
    from rpm_core.models.devices import DeviceData

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
VITAL_SIGNS = "vital-signs"
LABORATORY = "laboratory"
CATEGORY_DISPLAY = {VITAL_SIGNS: "Vital Signs", LABORATORY: "Laboratory"}
PROFILE_BASE = "http://hl7.org/fhir/StructureDefinition/"
LOINC_CODE = re.compile(r"^[0-9]{1,7}-[0-9]$")

Code = tuple[str, str]
"""A LOINC code and its display."""


@dataclass(frozen=True)
class Measure:
    """One measured field of a payload: its LOINC code and its UCUM unit per unit the payload may name (a
    single-unit field has the one key ``""``)."""

    field: str
    code: Code
    units: dict[str, tuple[str, str]]
    """The payload's unit (``""`` for a single-unit field) → (UCUM code, human unit)."""


@dataclass(frozen=True)
class ObservationKind:
    device_type: str
    category: str
    codes: dict[str, tuple[Code, ...]]
    """The Observation's code, per payload unit (``""``: whatever the unit); the first coding is the LOINC code a
    search by ``code`` matches, the others are extra codings."""
    profile: str | None
    """The HL7 Vital Signs profile (its URL's last part); None for a laboratory observation."""
    value: Measure | None = None
    components: tuple[Measure, ...] = ()

    def code_for(self, unit: str) -> tuple[Code, ...]:
        return self.codes.get(unit) or self.codes[""]

    @property
    def search_codes(self) -> dict[str, str | None]:
        """LOINC code → the payload unit it stands for (None: any)."""
        return {codes[0][0]: (unit or None) for unit, codes in self.codes.items()}


PER_MINUTE = {"": ("/min", "beats/minute")}
MMHG = {"": ("mm[Hg]", "mmHg")}
PULSE = Measure("pulse", ("8867-4", "Heart rate"), PER_MINUTE)

OBSERVATION_KINDS: dict[str, ObservationKind] = {
    kind.device_type: kind
    for kind in (
        ObservationKind(
            "blood_pressure",
            VITAL_SIGNS,
            {"": (("85354-9", "Blood pressure panel with all children optional"),)},
            "bp",
            components=(
                Measure("systolic", ("8480-6", "Systolic blood pressure"), MMHG),
                Measure("diastolic", ("8462-4", "Diastolic blood pressure"), MMHG),
                PULSE,
            ),
        ),
        ObservationKind(
            "pulse_oximeter",
            VITAL_SIGNS,
            {
                "": (
                    ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
                    ("2708-6", "Oxygen saturation in Arterial blood"),
                )
            },
            "oxygensat",
            value=Measure("spo2", ("59408-5", "Oxygen saturation"), {"": ("%", "%")}),
            components=(PULSE,),
        ),
        ObservationKind(
            "heart_rate", VITAL_SIGNS, {"": (PULSE.code,)}, "heartrate", value=Measure("bpm", PULSE.code, PER_MINUTE)
        ),
        ObservationKind(
            "glucometer",
            LABORATORY,
            {
                "mg/dL": (("2339-0", "Glucose [Mass/volume] in Blood"),),
                "mmol/L": (("15074-8", "Glucose [Moles/volume] in Blood"),),
            },
            None,
            value=Measure(
                "glucose", ("2339-0", "Glucose"), {"mg/dL": ("mg/dL", "mg/dL"), "mmol/L": ("mmol/L", "mmol/L")}
            ),
        ),
        ObservationKind(
            "weight_scale",
            VITAL_SIGNS,
            {"": (("29463-7", "Body weight"),)},
            "bodyweight",
            value=Measure("weight", ("29463-7", "Body weight"), {"kg": ("kg", "kg"), "lb": ("[lb_av]", "lb")}),
        ),
        ObservationKind(
            "thermometer",
            VITAL_SIGNS,
            {"": (("8310-5", "Body temperature"),)},
            "bodytemp",
            value=Measure(
                "temperature", ("8310-5", "Body temperature"), {"Cel": ("Cel", "C"), "[degF]": ("[degF]", "F")}
            ),
        ),
    )
}

"""Every device type of ``rpm_core.models.devices.DEVICE_TYPES`` has its row (tests/unit/test_fhir_mappers.py)."""


def _concept(codes: tuple[Code, ...]) -> dict[str, Any]:
    return {
        "coding": [{"system": LOINC, "code": code, "display": display} for code, display in codes],
        "text": codes[0][1],
    }


def category(name: str) -> list[dict[str, Any]]:
    return [
        {
            "coding": [{"system": CATEGORY_SYSTEM, "code": name, "display": CATEGORY_DISPLAY[name]}],
            "text": CATEGORY_DISPLAY[name],
        }
    ]


def _quantity(measure: Measure, value: Any, unit: str) -> dict[str, Any]:
    code, human = measure.units.get(unit) or measure.units[""]
    return {"value": value, "unit": human, "system": UCUM, "code": code}


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def reading_observation(reading: DeviceData) -> dict[str, Any]:
    """A reading (its latest version) as an Observation of its device type's row."""
    kind = OBSERVATION_KINDS[reading.deviceType]
    payload = dict(reading.dataPayload)
    unit = str(payload.get("unit") or "")
    meta: dict[str, Any] = {"versionId": str(reading.version), "lastUpdated": _instant(reading.updatedAt)}
    if kind.profile:
        meta["profile"] = [PROFILE_BASE + kind.profile]
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": reading.objectId,
        "meta": meta,
        "status": "final" if reading.version == 1 else "amended",
        "category": category(kind.category),
        "code": _concept(kind.code_for(unit)),
        "subject": {"reference": f"Patient/{reading.patient}"},
        "effectiveDateTime": _instant(reading.recordedAt),
        "issued": _instant(reading.receivedAt),
    }
    if reading.device:
        observation["device"] = {"reference": f"Device/{reading.device}"}
    if kind.value is not None:
        observation["valueQuantity"] = _quantity(kind.value, _number(payload[kind.value.field]), unit)
    components = [
        {"code": _concept((measure.code,)), "valueQuantity": _quantity(measure, _number(payload[measure.field]), unit)}
        for measure in kind.components
        if payload.get(measure.field) is not None
    ]
    if components:
        observation["component"] = components
    return observation


# --- lab results ---------------------------------------------------------------------------------------------

LAB_STATUS = {"preliminary": "preliminary", "final": "final", "amended": "amended", "cancelled": "cancelled"}


def lab_resource_id(patient_id: str, lab_result_id: str) -> str:
    """A lab result's Observation (and DiagnosticReport) id: its patient's and its own UUIDs without dashes
    (64 characters, FHIR's most), since a lab result is stored under its patient. A reading's id is a UUID with
    dashes, so the two never meet."""
    return patient_id.replace("-", "") + lab_result_id.replace("-", "")


LAB_ID = re.compile(r"^[0-9a-f]{64}$")


def parse_lab_resource_id(resource_id: str) -> tuple[str, str] | None:
    """(patient id, lab result id) of a lab result's resource id; None for any other id."""
    if not LAB_ID.match(resource_id):
        return None
    return _uuid(resource_id[:32]), _uuid(resource_id[32:])


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def lab_code(result: LabResult) -> dict[str, Any]:
    if result.testCode and LOINC_CODE.match(result.testCode):
        return {
            "coding": [{"system": LOINC, "code": result.testCode, "display": result.testName}],
            "text": result.testName,
        }
    return {"text": result.testName}


def lab_effective(result: LabResult) -> str:
    return _instant(result.publishedAt or result.createdAt)


def lab_observation(result: LabResult) -> dict[str, Any]:
    """A lab result as a laboratory Observation (``code`` from ``testCode`` when it is a LOINC code)."""
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": lab_resource_id(result.patient, result.objectId),
        "meta": {"versionId": str(result.version), "lastUpdated": _instant(result.updatedAt)},
        "status": LAB_STATUS[result.status],
        "category": category(LABORATORY),
        "code": lab_code(result),
        "subject": {"reference": f"Patient/{result.patient}"},
        "effectiveDateTime": lab_effective(result),
    }
    if result.publishedAt:
        observation["issued"] = _instant(result.publishedAt)
    value = result.resultValue
    if isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int | float):
        observation["valueQuantity"] = {"value": value, **({"unit": result.units} if result.units else {})}
    else:
        observation["valueString"] = str(value)
    if result.referenceRange:
        observation["referenceRange"] = [{"text": result.referenceRange}]
    return observation


def _instant(value: Any) -> str:
    """An ISO 8601 UTC timestamp as stored (``…Z``, milliseconds) from a datetime or the stored text."""
    return iso(value) if isinstance(value, datetime) else str(value)
