from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.device_data_blood_pressure import DeviceDataBloodPressure
    from ..models.device_data_glucometer import DeviceDataGlucometer
    from ..models.device_data_heart_rate import DeviceDataHeartRate
    from ..models.device_data_pulse_oximeter import DeviceDataPulseOximeter
    from ..models.device_data_thermometer import DeviceDataThermometer
    from ..models.device_data_weight_scale import DeviceDataWeightScale


T = TypeVar("T", bound="ListResponseDeviceData")


@_attrs_define
class ListResponseDeviceData:
    """
    Attributes:
        items (list[DeviceDataBloodPressure | DeviceDataGlucometer | DeviceDataHeartRate | DeviceDataPulseOximeter |
            DeviceDataThermometer | DeviceDataWeightScale]):
        next_cursor (None | str | Unset):
    """

    items: list[
        DeviceDataBloodPressure
        | DeviceDataGlucometer
        | DeviceDataHeartRate
        | DeviceDataPulseOximeter
        | DeviceDataThermometer
        | DeviceDataWeightScale
    ]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.device_data_blood_pressure import DeviceDataBloodPressure  # noqa: PLC0415
        from ..models.device_data_glucometer import DeviceDataGlucometer  # noqa: PLC0415
        from ..models.device_data_heart_rate import DeviceDataHeartRate  # noqa: PLC0415
        from ..models.device_data_pulse_oximeter import DeviceDataPulseOximeter  # noqa: PLC0415
        from ..models.device_data_weight_scale import DeviceDataWeightScale  # noqa: PLC0415

        items = []
        for items_item_data in self.items:
            items_item: dict[str, Any]
            if isinstance(items_item_data, DeviceDataBloodPressure):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, DeviceDataPulseOximeter):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, DeviceDataHeartRate):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, DeviceDataGlucometer):
                items_item = items_item_data.to_dict()
            elif isinstance(items_item_data, DeviceDataWeightScale):
                items_item = items_item_data.to_dict()
            else:
                items_item = items_item_data.to_dict()

            items.append(items_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )
        if next_cursor is not UNSET:
            field_dict["nextCursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.device_data_blood_pressure import DeviceDataBloodPressure  # noqa: PLC0415
        from ..models.device_data_glucometer import DeviceDataGlucometer  # noqa: PLC0415
        from ..models.device_data_heart_rate import DeviceDataHeartRate  # noqa: PLC0415
        from ..models.device_data_pulse_oximeter import DeviceDataPulseOximeter  # noqa: PLC0415
        from ..models.device_data_thermometer import DeviceDataThermometer  # noqa: PLC0415
        from ..models.device_data_weight_scale import DeviceDataWeightScale  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:

            def _parse_items_item(
                data: object,
            ) -> (
                DeviceDataBloodPressure
                | DeviceDataGlucometer
                | DeviceDataHeartRate
                | DeviceDataPulseOximeter
                | DeviceDataThermometer
                | DeviceDataWeightScale
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_device_data_type_0 = DeviceDataBloodPressure.from_dict(data)

                    return componentsschemas_device_data_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_device_data_type_1 = DeviceDataPulseOximeter.from_dict(data)

                    return componentsschemas_device_data_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_device_data_type_2 = DeviceDataHeartRate.from_dict(data)

                    return componentsschemas_device_data_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_device_data_type_3 = DeviceDataGlucometer.from_dict(data)

                    return componentsschemas_device_data_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_device_data_type_4 = DeviceDataWeightScale.from_dict(data)

                    return componentsschemas_device_data_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_device_data_type_5 = DeviceDataThermometer.from_dict(data)

                return componentsschemas_device_data_type_5

            items_item = _parse_items_item(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("nextCursor", UNSET))

        list_response_device_data = cls(
            items=items,
            next_cursor=next_cursor,
        )

        list_response_device_data.additional_properties = d
        return list_response_device_data

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
