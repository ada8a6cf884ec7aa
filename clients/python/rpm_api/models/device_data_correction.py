from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.blood_pressure_payload import BloodPressurePayload
    from ..models.glucometer_payload import GlucometerPayload
    from ..models.heart_rate_payload import HeartRatePayload
    from ..models.pulse_oximeter_payload import PulseOximeterPayload
    from ..models.thermometer_payload import ThermometerPayload
    from ..models.weight_scale_payload import WeightScalePayload


T = TypeVar("T", bound="DeviceDataCorrection")


@_attrs_define
class DeviceDataCorrection:
    """
    Attributes:
        data_payload (BloodPressurePayload | GlucometerPayload | HeartRatePayload | PulseOximeterPayload |
            ThermometerPayload | WeightScalePayload): The payload of the reading's device type
        reason (str):
    """

    data_payload: (
        BloodPressurePayload
        | GlucometerPayload
        | HeartRatePayload
        | PulseOximeterPayload
        | ThermometerPayload
        | WeightScalePayload
    )
    reason: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.blood_pressure_payload import BloodPressurePayload  # noqa: PLC0415
        from ..models.glucometer_payload import GlucometerPayload  # noqa: PLC0415
        from ..models.heart_rate_payload import HeartRatePayload  # noqa: PLC0415
        from ..models.pulse_oximeter_payload import PulseOximeterPayload  # noqa: PLC0415
        from ..models.weight_scale_payload import WeightScalePayload  # noqa: PLC0415

        data_payload: dict[str, Any]
        if isinstance(self.data_payload, BloodPressurePayload):
            data_payload = self.data_payload.to_dict()
        elif isinstance(self.data_payload, PulseOximeterPayload):
            data_payload = self.data_payload.to_dict()
        elif isinstance(self.data_payload, HeartRatePayload):
            data_payload = self.data_payload.to_dict()
        elif isinstance(self.data_payload, GlucometerPayload):
            data_payload = self.data_payload.to_dict()
        elif isinstance(self.data_payload, WeightScalePayload):
            data_payload = self.data_payload.to_dict()
        else:
            data_payload = self.data_payload.to_dict()

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "dataPayload": data_payload,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.blood_pressure_payload import BloodPressurePayload  # noqa: PLC0415
        from ..models.glucometer_payload import GlucometerPayload  # noqa: PLC0415
        from ..models.heart_rate_payload import HeartRatePayload  # noqa: PLC0415
        from ..models.pulse_oximeter_payload import PulseOximeterPayload  # noqa: PLC0415
        from ..models.thermometer_payload import ThermometerPayload  # noqa: PLC0415
        from ..models.weight_scale_payload import WeightScalePayload  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_data_payload(
            data: object,
        ) -> (
            BloodPressurePayload
            | GlucometerPayload
            | HeartRatePayload
            | PulseOximeterPayload
            | ThermometerPayload
            | WeightScalePayload
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_payload_type_0 = BloodPressurePayload.from_dict(data)

                return data_payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_payload_type_1 = PulseOximeterPayload.from_dict(data)

                return data_payload_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_payload_type_2 = HeartRatePayload.from_dict(data)

                return data_payload_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_payload_type_3 = GlucometerPayload.from_dict(data)

                return data_payload_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_payload_type_4 = WeightScalePayload.from_dict(data)

                return data_payload_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            data_payload_type_5 = ThermometerPayload.from_dict(data)

            return data_payload_type_5

        data_payload = _parse_data_payload(d.pop("dataPayload"))

        reason = d.pop("reason")

        device_data_correction = cls(
            data_payload=data_payload,
            reason=reason,
        )

        return device_data_correction
