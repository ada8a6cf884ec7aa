"""Creates in moto what the CDK app creates in AWS, from the same declarations."""

from __future__ import annotations

from typing import Any

from infra.declarations import USER_POOL
from rpm_core.data.tables import TableSpec
from rpm_core.ingest_topic import policy_document

LOCAL_PREFIX = "rpm-local-"


def table_name(spec: TableSpec) -> str:
    return LOCAL_PREFIX + spec.name


def _key_schema(partition: Any, sort: Any) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition.name, "KeyType": "HASH"}]
    if sort:
        schema.append({"AttributeName": sort.name, "KeyType": "RANGE"})
    return schema


def create_table(client: Any, spec: TableSpec) -> str:
    keys = [spec.partition_key, spec.sort_key]
    for index in spec.indexes:
        keys += [index.partition_key, index.sort_key]
    definitions = {key.name: key.type for key in keys if key is not None}
    arguments: dict[str, Any] = {
        "TableName": table_name(spec),
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": _key_schema(spec.partition_key, spec.sort_key),
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": kind} for name, kind in definitions.items()],
    }
    if spec.indexes:
        arguments["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": index.projection},
            }
            for index in spec.indexes
        ]
    if spec.streamed:
        arguments["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    client.create_table(**arguments)
    if spec.ttl_attribute:
        client.update_time_to_live(
            TableName=table_name(spec), TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
        )
    return table_name(spec)


def create_user_pool(client: Any) -> tuple[str, str]:
    pool = client.create_user_pool(
        PoolName="rpm-local",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": USER_POOL.password_min_length,
                "RequireUppercase": USER_POOL.require_uppercase,
                "RequireLowercase": USER_POOL.require_lowercase,
                "RequireNumbers": USER_POOL.require_digits,
                "RequireSymbols": USER_POOL.require_symbols,
            }
        },
    )["UserPool"]
    pool_id = pool["Id"]
    for group in USER_POOL.groups:
        client.create_group(UserPoolId=pool_id, GroupName=group)
    app_client = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="rpm-local-app",
        ExplicitAuthFlows=list(USER_POOL.auth_flows),
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
    )["UserPoolClient"]
    return pool_id, app_client["ClientId"]


IOT_POLICY_NAME = LOCAL_PREFIX + "devices"


def create_iot_policy(client: Any, region: str, account: str) -> str:
    """The fleet policy every device certificate is attached to (``rpm_core.ingest_topic``)."""
    client.create_policy(policyName=IOT_POLICY_NAME, policyDocument=policy_document("aws", region, account))
    return IOT_POLICY_NAME
