"""IoT Core: one thing and one active certificate per device, attached to the fleet policy.

The certificate's PEM and private key are handed back to the caller once and kept nowhere:
not in DynamoDB, not in logs, not in exceptions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from rpm_core.config import process_cache, settings
from rpm_core.data.aws import client

_log = logging.getLogger(__name__)
DATA_ENDPOINT_TYPE = "iot:Data-ATS"


def iot_client() -> Any:
    return client("iot")


class ProvisioningFailed(Exception):
    """IoT Core refused to create or attach the device's thing or certificate."""


@dataclass(frozen=True)
class DeviceCredentials:
    certificate_id: str
    certificate_arn: str
    certificate_pem: str = field(repr=False)
    private_key: str = field(repr=False)


def provision(thing_name: str) -> DeviceCredentials:
    """Creates the thing and an active certificate, attaches the fleet policy and the thing principal.

    A failure part-way deactivates the new certificate and deletes the thing (best effort), so
    nothing half-made can connect.
    """
    client = iot_client()
    policy_name = settings().iot_policy_name
    try:
        client.create_thing(thingName=thing_name)
    except ClientError as error:
        raise ProvisioningFailed("the thing could not be created") from error
    certificate_id = ""
    try:
        created = client.create_keys_and_certificate(setAsActive=True)
        certificate_id, certificate_arn = created["certificateId"], created["certificateArn"]
        client.attach_policy(policyName=policy_name, target=certificate_arn)
        client.attach_thing_principal(thingName=thing_name, principal=certificate_arn)
    except ClientError as error:
        _undo(thing_name, certificate_id)
        raise ProvisioningFailed("the certificate could not be created or attached") from error
    return DeviceCredentials(
        certificate_id=certificate_id,
        certificate_arn=certificate_arn,
        certificate_pem=created["certificatePem"],
        private_key=created["keyPair"]["PrivateKey"],
    )


def _undo(thing_name: str, certificate_id: str) -> None:
    client = iot_client()
    try:
        if certificate_id:
            client.update_certificate(certificateId=certificate_id, newStatus="INACTIVE")
        client.delete_thing(thingName=thing_name)
    except ClientError as error:
        _log.warning("device provisioning cleanup failed", extra={"error_code": error.response["Error"]["Code"]})


def deactivate(certificate_id: str) -> None:
    """The certificate stops authenticating at once; the thing stays (its history names it)."""
    iot_client().update_certificate(certificateId=certificate_id, newStatus="INACTIVE")


@process_cache
def data_endpoint() -> str:
    """Where devices connect: ``IOT_DATA_ENDPOINT`` when set, else IoT Core's ATS data endpoint."""
    configured = settings().iot_data_endpoint
    if configured:
        return configured
    return str(iot_client().describe_endpoint(endpointType=DATA_ENDPOINT_TYPE)["endpointAddress"])
