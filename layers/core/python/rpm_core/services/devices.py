"""Devices: provisioning with IoT Core, listing, deactivation."""

from __future__ import annotations

import uuid
from typing import Any

from rpm_core.auth import Principal
from rpm_core.data import devices as device_store
from rpm_core.data import iot
from rpm_core.data import watches as watch_store
from rpm_core.data.items import without_none
from rpm_core.errors import NotFound, ProblemError
from rpm_core.ingest_topic import topic_for
from rpm_core.models.devices import Device, DeviceCreate, ProvisionedDevice
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import audit_events, reads
from rpm_core.services.access import patient_grant


def device(item: dict[str, Any]) -> Device:
    return Device(
        objectId=item["deviceId"],
        patient=item["patientId"],
        mqttTopic=topic_for(item["deviceId"]),
        **{k: v for k, v in item.items() if k in Device.model_fields and k not in {"objectId", "patient", "mqttTopic"}},
    )


def provision(
    principal: Principal, patient_id: str, request: DeviceCreate, request_id: str, source_ip: str | None = None
) -> ProvisionedDevice:
    """One thing, one active certificate on the fleet policy; the credentials are returned once, never kept.
    The certificate's issue is audited (the Devices row is audited from its stream)."""
    patient_grant(principal, patient_id).require_write()
    device_id = str(uuid.uuid4())
    try:
        credentials = iot.provision(device_id)
    except iot.ProvisioningFailed as error:
        raise ProblemError("The device could not be provisioned; try again.") from error
    item = without_none(
        {
            "deviceId": device_id,
            "patientId": patient_id,
            **request.model_dump(mode="json", exclude_none=True),
            "status": "active",
            "certificateId": credentials.certificate_id,
            "certificateArn": credentials.certificate_arn,
            **created(actor := Actor(principal.user_id, request_id)),
        }
    )
    device_store.put_device(item)
    watch_store.device_activated(patient_id, item["createdAt"])  # a quiet patient's silence counts from now
    audit_events.record_device_event(
        actor, device_id=device_id, patient_id=patient_id, provisioned=True, source_ip=source_ip
    )
    return ProvisionedDevice(
        **device(item).model_dump(),
        certificatePem=credentials.certificate_pem,
        privateKey=credentials.private_key,
        iotEndpoint=iot.data_endpoint(),
    )


def list_devices(
    principal: Principal, patient_id: str, *, limit: int, cursor: str | None
) -> tuple[list[Device], str | None]:
    grant = patient_grant(principal, patient_id)
    page = device_store.list_devices(
        patient_id, limit=limit, cursor=cursor, scope=f"devices|{principal.user_id}|{patient_id}"
    )
    found = [device(item) for item in page.items]
    reads.of_patient(grant, "Device", (listed.objectId for listed in found))
    return found, page.next_cursor


def deactivate(
    principal: Principal, patient_id: str, device_id: str, request_id: str, source_ip: str | None = None
) -> None:
    """The device turns inactive and its certificate stops authenticating; its later readings are rejected."""
    patient_grant(principal, patient_id).require_write()
    actor = Actor(principal.user_id, request_id)
    try:
        old = device_store.deactivate_device(device_id, patient_id, updated(actor))
    except device_store.DeviceMissing as error:
        raise NotFound(f"Device {device_id} was not found.") from error
    if old.get("certificateId"):
        iot.deactivate(old["certificateId"])
    audit_events.record_device_event(
        actor, device_id=device_id, patient_id=patient_id, provisioned=False, source_ip=source_ip
    )
