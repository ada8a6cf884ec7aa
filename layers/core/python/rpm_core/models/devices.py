"""Devices, their readings (``DeviceData``), adherence days and rejected readings.

One pydantic model per ``deviceType`` holds its ``dataPayload``: fields, units and
physiological bounds. Readings keep the unit they were sent in; ``UNITS`` names each
measured field's units, the first being the one thresholds default to.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from rpm_core.models.common import Identifier, RequestModel, ResponseModel, Text, Timestamp

DeviceType = Literal["blood_pressure", "pulse_oximeter", "heart_rate", "glucometer", "weight_scale", "thermometer"]
DEVICE_TYPES: tuple[DeviceType, ...] = (
    "blood_pressure",
    "pulse_oximeter",
    "heart_rate",
    "glucometer",
    "weight_scale",
    "thermometer",
)
DeviceStatus = Literal["active", "inactive"]
Source = Literal["device", "manual"]

FUTURE_TOLERANCE = timedelta(minutes=5)
"""A reading recorded more than this ahead of its arrival comes from a wrong device clock."""
MAX_AGE = timedelta(days=30)
"""Readings buffered by a device while offline are accepted up to this age."""


def _measure(low: float, high: float) -> Any:
    """A finite number between ``low`` and ``high``; no strings, no booleans."""
    return Field(ge=low, le=high, allow_inf_nan=False, strict=True)


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def unit_of(self, field: str) -> str | None:
        """The unit the reading's ``field`` was sent in (None: the type has a single unit)."""
        return None


class BloodPressure(Payload):
    systolic: Annotated[float, _measure(40, 300)]
    diastolic: Annotated[float, _measure(20, 200)]
    pulse: Annotated[float, _measure(20, 300)] | None = None

    @model_validator(mode="after")
    def _systolic_above_diastolic(self) -> BloodPressure:
        if self.systolic <= self.diastolic:
            raise ValueError("systolic must be above diastolic")
        return self


class PulseOximeter(Payload):
    spo2: Annotated[float, _measure(50, 100)]
    pulse: Annotated[float, _measure(20, 300)] | None = None


class HeartRate(Payload):
    bpm: Annotated[float, _measure(20, 300)]


GLUCOSE_BOUNDS = {"mg/dL": (10.0, 1000.0), "mmol/L": (0.5, 55.0)}
WEIGHT_BOUNDS = {"kg": (0.5, 500.0), "lb": (1.0, 1100.0)}
TEMPERATURE_BOUNDS = {"Cel": (30.0, 45.0), "[degF]": (86.0, 113.0)}


def _within(value: float, unit: str, bounds: dict[str, tuple[float, float]], name: str) -> None:
    low, high = bounds[unit]
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} {unit}")


class Glucometer(Payload):
    glucose: Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]
    unit: Literal["mg/dL", "mmol/L"]
    mealContext: Literal["fasting", "before_meal", "after_meal", "bedtime", "random"] | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Glucometer:
        _within(self.glucose, self.unit, GLUCOSE_BOUNDS, "glucose")
        return self

    def unit_of(self, field: str) -> str | None:
        return self.unit


class WeightScale(Payload):
    weight: Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]
    unit: Literal["kg", "lb"]

    @model_validator(mode="after")
    def _bounds(self) -> WeightScale:
        _within(self.weight, self.unit, WEIGHT_BOUNDS, "weight")
        return self

    def unit_of(self, field: str) -> str | None:
        return self.unit


class Thermometer(Payload):
    temperature: Annotated[float, Field(allow_inf_nan=False, strict=True)]
    unit: Literal["Cel", "[degF]"]

    @model_validator(mode="after")
    def _bounds(self) -> Thermometer:
        _within(self.temperature, self.unit, TEMPERATURE_BOUNDS, "temperature")
        return self

    def unit_of(self, field: str) -> str | None:
        return self.unit


PAYLOADS: dict[str, type[Payload]] = {
    "blood_pressure": BloodPressure,
    "pulse_oximeter": PulseOximeter,
    "heart_rate": HeartRate,
    "glucometer": Glucometer,
    "weight_scale": WeightScale,
    "thermometer": Thermometer,
}
MEASURED_FIELDS: dict[str, tuple[str, ...]] = {
    "blood_pressure": ("systolic", "diastolic", "pulse"),
    "pulse_oximeter": ("spo2", "pulse"),
    "heart_rate": ("bpm",),
    "glucometer": ("glucose",),
    "weight_scale": ("weight",),
    "thermometer": ("temperature",),
}
"""The numeric fields a threshold rule may watch, per device type."""
UNITS: dict[str, tuple[str, ...]] = {
    "glucometer": ("mg/dL", "mmol/L"),
    "weight_scale": ("kg", "lb"),
    "thermometer": ("Cel", "[degF]"),
}
"""Device types measured in more than one unit; the first is a rule's default."""


class PayloadInvalid(Exception):
    """A payload that fails its device type's model; ``errors`` are pydantic's, without input values."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("the payload is not valid")
        self.errors = errors


def parse_payload(device_type: str, payload: Any) -> Payload:
    model = PAYLOADS.get(device_type)
    if model is None:
        raise PayloadInvalid([{"loc": ["deviceType"], "msg": "unknown device type", "type": "literal_error"}])
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise PayloadInvalid(
            [
                {"loc": list(item["loc"]), "msg": str(item["msg"]), "type": str(item["type"])}
                for item in error.errors(include_input=False, include_url=False)
            ]
        ) from error


def clock_problem(recorded_at: datetime, received_at: datetime) -> str | None:
    """``future`` (device clock ahead), ``too_old`` (beyond the offline buffer), or None."""
    if recorded_at - received_at > FUTURE_TOLERANCE:
        return "future"
    if received_at - recorded_at > MAX_AGE:
        return "too_old"
    return None


MessageId = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
RECEIVED_AT_MIN_MS = 946_684_800_000
"""2000-01-01T00:00:00Z: no broker clock that stamps a reading is earlier."""
RECEIVED_AT_MAX_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z: the last instant a ``datetime`` holds."""
ReceivedAtMs = Annotated[int, Field(strict=True, ge=RECEIVED_AT_MIN_MS, le=RECEIVED_AT_MAX_MS)]
"""``timestamp()`` of the topic rule: epoch milliseconds, an integer (no float, string or boolean)."""


class DeviceMessage(BaseModel):
    """What a device publishes, plus what the topic rule adds (``deviceId``, ``receivedAt``)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    deviceId: Identifier
    receivedAt: ReceivedAtMs
    messageId: MessageId
    deviceType: DeviceType
    recordedAt: Timestamp
    dataPayload: dict[str, Any]


SerialNumber = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._/-]+$")]


class DeviceCreate(RequestModel):
    deviceType: DeviceType
    serialNumber: SerialNumber | None = None
    label: Text | None = None


class Device(ResponseModel):
    objectId: str
    patient: str
    deviceType: DeviceType
    serialNumber: str | None = None
    label: str | None = None
    status: DeviceStatus
    mqttTopic: str
    createdAt: Timestamp
    updatedAt: Timestamp


class ProvisionedDevice(Device):
    """The device, and once only its credentials: never stored, never logged, never listed again."""

    certificatePem: str
    privateKey: str
    iotEndpoint: str


class DeviceDataCreate(RequestModel):
    deviceType: DeviceType
    dataPayload: dict[str, Any] = Field(description="The device type's payload (see the contract's table)")
    recordedAt: Timestamp


class DeviceDataCorrection(RequestModel):
    dataPayload: dict[str, Any]
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class DeviceData(ResponseModel):
    objectId: str
    patient: str
    device: str | None = None
    deviceType: DeviceType
    dataPayload: dict[str, Any]
    recordedAt: Timestamp
    receivedAt: Timestamp
    version: int
    source: Source
    createdBy: str
    reason: str | None = None
    requestId: str | None = None
    createdAt: Timestamp
    updatedAt: Timestamp


class ReadingDay(ResponseModel):
    date: date
    readings: int
    deviceTypes: list[str]


class ReadingDays(ResponseModel):
    month: str
    daysWithReadings: int
    days: list[ReadingDay]


class RejectedReading(ResponseModel):
    objectId: str
    deviceId: str | None = None
    patient: str | None = Field(default=None, description="The device's patient, when the device is known")
    messageId: str | None = None
    receivedAt: Timestamp
    reason: str
    detail: str | None = None
    payload: str = Field(description="The message as received (text)")


Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
