"""The IoT fleet policy every device certificate is attached to (``rpm_core.ingest_topic.POLICY_TEMPLATE``):
a device connects only with its own thing name as client id, while its certificate is attached to that
thing, and publishes only to ``rpm/devices/<its thing name>/readings``. Nothing else (no subscribe, no
shadow, no jobs)."""

from __future__ import annotations

import json

from aws_cdk import Stack
from aws_cdk import aws_iot as iot
from constructs import Construct

from rpm_core.ingest_topic import policy_document


class DeviceFleetPolicy(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.policy = iot.CfnPolicy(
            self,
            "Policy",
            policy_document=json.loads(policy_document(stack.partition, stack.region, stack.account)),
        )
        self.policy_name: str = self.policy.ref
        """Set by CloudFormation (a generated name), read by the provisioning function from IOT_POLICY_NAME."""
