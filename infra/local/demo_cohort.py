"""A believable practice, as data: who the people are, which vitals each patient measures, and every reading of
90 days with its daily rhythm, noise, missed days and a few bad weeks (``infra.local.demo`` loads it through the
API and the IoT publish path). Deterministic for a seed, so the README's screenshots can be made again."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PASSWORD = "Demo-Passw0rd!"  # noqa: S105 - every demo login's password, printed at start: demo data only
DOMAIN = "demo.rpm.example"


@dataclass(frozen=True)
class Person:
    name: str

    @property
    def email(self) -> str:
        plain = unicodedata.normalize("NFKD", self.name.lower().replace("dr. ", "")).encode("ascii", "ignore").decode()
        return ".".join("".join(c for c in word if c.isalnum()) for word in plain.split()) + "@" + DOMAIN


CLINICIANS = (
    Person("Dr. Amara Okafor"),  # hypertension and heart failure
    Person("Dr. Lucas Bianchi"),  # diabetes
    Person("Priya Raman"),  # the nurse care manager, on every care team
)
PENDING_CLINICIAN = Person("Dr. Tomás Herrera")  # signed up, waiting for an admin's approval

CONDITIONS: dict[str, tuple[str, ...]] = {
    "hypertension": ("blood_pressure",),
    "heart_failure": ("blood_pressure", "weight_scale"),
    "diabetes": ("glucometer", "blood_pressure"),
    "copd": ("pulse_oximeter",),
}

PLANS = {
    "hypertension": ("Home blood pressure monitoring", "Measure twice daily, seated, after 5 minutes' rest."),
    "heart_failure": ("Heart failure: daily weights", "Weigh every morning; call if up 2 kg in 3 days."),
    "diabetes": ("Type 2 diabetes: glucose logging", "Fasting and post-dinner glucose; metformin 1 g twice daily."),
    "copd": ("COPD: oxygen saturation checks", "SpO2 morning and evening; rescue inhaler as prescribed."),
}

RULES: dict[str, list[dict[str, Any]]] = {
    "blood_pressure": [
        {"deviceType": "blood_pressure", "field": "systolic", "max": 160, "severity": "high"},
        {"deviceType": "blood_pressure", "field": "systolic", "min": 90, "severity": "medium"},
        {"deviceType": "blood_pressure", "field": "diastolic", "max": 100, "severity": "medium"},
    ],
    "weight_scale": [{"deviceType": "weight_scale", "field": "weight", "max": 98, "unit": "kg", "severity": "medium"}],
    "glucometer": [
        {"deviceType": "glucometer", "field": "glucose", "max": 250, "unit": "mg/dL", "severity": "high"},
        {"deviceType": "glucometer", "field": "glucose", "min": 70, "unit": "mg/dL", "severity": "high"},
    ],
    "pulse_oximeter": [{"deviceType": "pulse_oximeter", "field": "spo2", "min": 90, "severity": "high"}],
}

NAMES = (
    "Margaret Ellis", "Robert Chen", "Linda Okonkwo", "James Whitaker", "Patricia Gómez", "Michael O'Brien",
    "Barbara Nakamura", "William Foster", "Elizabeth Kowalski", "David Mensah", "Susan Lindqvist",
    "Richard Alvarez", "Jessica Patel", "Joseph Dubois", "Sarah Mitchell", "Thomas Nguyen", "Karen Schmidt",
    "Charles Abara", "Nancy Rossi", "Daniel Kim", "Lisa Fernández", "Matthew Novak", "Betty Johansson",
    "Anthony Reyes", "Dorothy Haddad",
)  # fmt: skip
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London")
CONDITION_CYCLE = ("hypertension", "heart_failure", "diabetes", "hypertension", "copd", "diabetes")


@dataclass(frozen=True)
class Reading:
    at: datetime  # the device's clock (UTC)
    device_type: str
    payload: dict[str, Any]


@dataclass
class DemoPatient:
    person: Person
    condition: str
    zone: str
    date_of_birth: date
    adherence: float  # the share of days with readings
    clinician: int  # index into CLINICIANS: the physician (the nurse is on every team)
    bad_weeks: list[int] = field(default_factory=list)  # day offsets whose week runs high
    baseline: dict[str, float] = field(default_factory=dict)

    @property
    def device_types(self) -> tuple[str, ...]:
        return CONDITIONS[self.condition]

    @property
    def rules(self) -> list[dict[str, Any]]:
        return [rule for device_type in self.device_types for rule in RULES[device_type]]


def patients(seed: int, count: int) -> list[DemoPatient]:
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    cohort = []
    for index in range(count):
        condition = CONDITION_CYCLE[index % len(CONDITION_CYCLE)]
        patient = DemoPatient(
            person=Person(NAMES[index % len(NAMES)] + ("" if index < len(NAMES) else f" {index // len(NAMES) + 1}")),
            condition=condition,
            zone=ZONES[index % len(ZONES)],
            date_of_birth=date(1940 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            adherence=rng.uniform(0.55, 0.97),
            clinician=1 if condition == "diabetes" else 0,
            baseline={
                "systolic": rng.gauss(138, 10),
                "weight": rng.uniform(62, 92),
                "glucose": rng.gauss(130, 15),
                "spo2": rng.uniform(92.5, 96.5),
            },
        )
        if index % 5 == 1:  # one patient in five has a bad stretch: the breaches and their alerts
            patient.bad_weeks = [rng.randrange(5, 85)]
        cohort.append(patient)
    return cohort


def _at(day: date, zone: str, hour: float, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(0), ZoneInfo(zone)) + timedelta(hours=hour + rng.gauss(0, 0.5))
    return local.astimezone(ZoneInfo("UTC"))


def _payload(patient: DemoPatient, device_type: str, slot: str, strain: float, rng: random.Random) -> dict[str, Any]:
    base = patient.baseline
    if device_type == "blood_pressure":
        systolic = base["systolic"] + (7 if slot == "morning" else -4) + strain * 32 + rng.gauss(0, 8)
        return {
            "systolic": round(systolic),
            "diastolic": round(systolic * 0.62 + rng.gauss(0, 4)),
            "pulse": round(rng.gauss(72, 7) + strain * 10),
        }
    if device_type == "weight_scale":
        return {"weight": round(base["weight"] + strain * 3.5 + rng.gauss(0, 0.35), 1), "unit": "kg"}
    if device_type == "glucometer":
        meal = 0 if slot == "morning" else 45
        return {"glucose": round(base["glucose"] + meal + strain * 120 + rng.gauss(0, 18)), "unit": "mg/dL"}
    spo2 = base["spo2"] - strain * 5 + rng.gauss(0, 1.0)
    return {"spo2": max(80, min(100, round(spo2))), "pulse": round(rng.gauss(78, 6) + strain * 12)}


def readings(patient: DemoPatient, first: date, days: int, seed: int) -> Iterator[Reading]:
    """The patient's readings from ``first`` for ``days`` days: morning and evening slots in their zone
    (weight in the morning only), days missed at their adherence (and a missed run now and then)."""
    rng = random.Random(f"{seed}:{patient.person.name}")  # noqa: S311 - demo data, not secrets
    away_until = -1
    for offset in range(days):
        if offset <= away_until:
            continue
        if rng.random() < 0.02:  # away for a few days: the no-data alert's case
            away_until = offset + rng.randrange(2, 5)
            continue
        if rng.random() > patient.adherence:
            continue
        day = first + timedelta(days=offset)
        strain = max((1 - abs(offset - start - 3) / 4 for start in patient.bad_weeks), default=0.0)
        strain = max(strain, 0.0)
        for device_type in patient.device_types:
            slots = ("morning",) if device_type == "weight_scale" else ("morning", "evening")
            for slot in slots:
                if slot == "evening" and rng.random() < 0.25:
                    continue
                hour = 7.5 if slot == "morning" else 20.0
                yield Reading(
                    _at(day, patient.zone, hour, rng), device_type, _payload(patient, device_type, slot, strain, rng)
                )
