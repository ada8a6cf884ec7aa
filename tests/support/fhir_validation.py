"""Validation by real FHIR tooling (test-only dependencies): ``fhir.resources`` (its R4B models: the package
ships R4B, STU3 and R5, no R4; for the elements this backend emits R4B and R4 are the same) and the HL7 Vital
Signs profile's invariants and required elements evaluated as FHIRPath by ``fhirpathpy``."""

from __future__ import annotations

import importlib
from typing import Any

from fhirpathpy import evaluate
from fhirpathpy.models import models

R4 = models["r4"]
VITAL_SIGNS_INVARIANTS = {
    # the profile's constraints, as http://hl7.org/fhir/R4/vitalsigns.html states them
    "vs-1": "effective.exists() implies (effective as dateTime).toString().length() >= 10",
    "vs-2": "(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())",
    "vs-3": "component.all(dataAbsentReason.exists() or value.exists())",
}
VITAL_SIGNS_REQUIRED = {
    "status": "status.exists()",
    "category vital-signs": "category.coding.where(system = "
    "'http://terminology.hl7.org/CodeSystem/observation-category' and code = 'vital-signs').exists()",
    "code": "code.coding.where(system = 'http://loinc.org').exists()",
    "subject": "subject.reference.startsWith('Patient/')",
    "effective": "effective.exists()",
    "UCUM quantities": "(value.ofType(Quantity) | component.value.ofType(Quantity))"
    ".all(system = 'http://unitsofmeasure.org' and code.exists() and value.exists())",
}
PROFILE_CODES = {
    "bp": "code.coding.where(code = '85354-9').exists() and component.where(code.coding.code = '8480-6' and "
    "value.code = 'mm[Hg]').exists() and component.where(code.coding.code = '8462-4' and value.code = 'mm[Hg]')"
    ".exists()",
    "heartrate": "code.coding.where(code = '8867-4').exists() and value.code = '/min'",
    "oxygensat": "code.coding.where(code = '59408-5').exists() and code.coding.where(code = '2708-6').exists() "
    "and value.code = '%'",
    "bodyweight": "code.coding.where(code = '29463-7').exists() and (value.code = 'kg' or value.code = '[lb_av]')",
    "bodytemp": "code.coding.where(code = '8310-5').exists() and (value.code = 'Cel' or value.code = '[degF]')",
}


def model_of(resource_type: str) -> Any:
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def validate(resource: dict[str, Any]) -> Any:
    """Parses ``resource`` with its R4B model (raises on any structural error); returns the model."""
    return model_of(resource["resourceType"]).model_validate(resource)


def holds(resource: dict[str, Any], expression: str) -> bool:
    return evaluate(resource, expression, [], R4) == [True]


def vital_signs_violations(observation: dict[str, Any]) -> list[str]:
    """What a Vital Signs Observation breaks of the profile's invariants, required elements and its own
    profile's codes (empty: conforms)."""
    broken = [
        name
        for name, rule in {**VITAL_SIGNS_INVARIANTS, **VITAL_SIGNS_REQUIRED}.items()
        if not holds(observation, rule)
    ]
    for profile in observation.get("meta", {}).get("profile", []):
        name = profile.rsplit("/", 1)[-1]
        if not holds(observation, PROFILE_CODES[name]):
            broken.append(f"{name} codes")
    return broken
