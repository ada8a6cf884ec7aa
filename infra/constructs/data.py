"""DynamoDB tables, one ``TableV2`` per ``rpm_core.data.tables`` spec."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from constructs import Construct

if TYPE_CHECKING:
    from rpm_core.data.tables import IndexSpec, Key, TableSpec

ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
PROJECTIONS = {"ALL": dynamodb.ProjectionType.ALL, "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY}


def attribute(key: Key) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=key.name, type=ATTRIBUTE_TYPES[key.type])


def global_index(index: IndexSpec) -> dynamodb.GlobalSecondaryIndexPropsV2:
    return dynamodb.GlobalSecondaryIndexPropsV2(
        index_name=index.name,
        partition_key=attribute(index.partition_key),
        sort_key=attribute(index.sort_key) if index.sort_key else None,
        projection_type=PROJECTIONS[index.projection],
    )


class Tables(Construct):
    """The tables, by logical name (``TableSpec.name``); each keeps its spec in ``specs``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[TableSpec],
        key: kms.IKey,
        deletion_protection: bool = True,
    ) -> None:
        super().__init__(scope, construct_id)
        self.by_name: dict[str, dynamodb.TableV2] = {}
        self.specs: dict[str, TableSpec] = {}
        for spec in specs:
            self.specs[spec.name] = spec
            self.by_name[spec.name] = dynamodb.TableV2(
                self,
                spec.name,
                partition_key=attribute(spec.partition_key),
                sort_key=attribute(spec.sort_key) if spec.sort_key else None,
                global_secondary_indexes=[global_index(index) for index in spec.indexes] or None,
                time_to_live_attribute=spec.ttl_attribute,
                dynamo_stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES if spec.streamed else None,
                billing=dynamodb.Billing.on_demand(),
                encryption=dynamodb.TableEncryptionV2.customer_managed_key(key),
                point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=True
                ),
                deletion_protection=deletion_protection,
                removal_policy=RemovalPolicy.RETAIN,
            )

    def table(self, name: str) -> dynamodb.TableV2:
        try:
            return self.by_name[name]
        except KeyError:
            raise KeyError(f"no table spec named {name!r}; known: {sorted(self.by_name)}") from None
