from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.provisioned_device_devicetype import ProvisionedDeviceDevicetype
from ..models.provisioned_device_status import ProvisionedDeviceStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProvisionedDevice")


@_attrs_define
class ProvisionedDevice:
    """The device, and once only its credentials: never stored, never logged, never listed again.

    Attributes:
        object_id (str):
        patient (str):
        device_type (ProvisionedDeviceDevicetype):
        status (ProvisionedDeviceStatus):
        mqtt_topic (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        certificate_pem (str):
        private_key (str):
        iot_endpoint (str):
        serial_number (None | str | Unset):
        label (None | str | Unset):
    """

    object_id: str
    patient: str
    device_type: ProvisionedDeviceDevicetype
    status: ProvisionedDeviceStatus
    mqtt_topic: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    certificate_pem: str
    private_key: str
    iot_endpoint: str
    serial_number: None | str | Unset = UNSET
    label: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        patient = self.patient

        device_type = self.device_type.value

        status = self.status.value

        mqtt_topic = self.mqtt_topic

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        certificate_pem = self.certificate_pem

        private_key = self.private_key

        iot_endpoint = self.iot_endpoint

        serial_number: None | str | Unset
        if isinstance(self.serial_number, Unset):
            serial_number = UNSET
        else:
            serial_number = self.serial_number

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "objectId": object_id,
                "patient": patient,
                "deviceType": device_type,
                "status": status,
                "mqttTopic": mqtt_topic,
                "createdAt": created_at,
                "updatedAt": updated_at,
                "certificatePem": certificate_pem,
                "privateKey": private_key,
                "iotEndpoint": iot_endpoint,
            }
        )
        if serial_number is not UNSET:
            field_dict["serialNumber"] = serial_number
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        object_id = d.pop("objectId")

        patient = d.pop("patient")

        device_type = ProvisionedDeviceDevicetype(d.pop("deviceType"))

        status = ProvisionedDeviceStatus(d.pop("status"))

        mqtt_topic = d.pop("mqttTopic")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        certificate_pem = d.pop("certificatePem")

        private_key = d.pop("privateKey")

        iot_endpoint = d.pop("iotEndpoint")

        def _parse_serial_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        serial_number = _parse_serial_number(d.pop("serialNumber", UNSET))

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        provisioned_device = cls(
            object_id=object_id,
            patient=patient,
            device_type=device_type,
            status=status,
            mqtt_topic=mqtt_topic,
            created_at=created_at,
            updated_at=updated_at,
            certificate_pem=certificate_pem,
            private_key=private_key,
            iot_endpoint=iot_endpoint,
            serial_number=serial_number,
            label=label,
        )

        provisioned_device.additional_properties = d
        return provisioned_device

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
