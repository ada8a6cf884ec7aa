"""Live WebSocket connections: their rows (Connections table) and the Management API that reaches them.

A row is written at ``$connect`` and deleted at ``$disconnect`` or when the Management API answers
Gone; it holds ids and times only. The Management API's endpoint is the one the catalog entry's
``manage`` access sets (``WebSocketApiSpec.env_var``): API Gateway's in AWS, the local stand-in locally.
"""

from __future__ import annotations

from typing import Any

import boto3
from boto3.dynamodb.conditions import Key
from botocore.config import Config

from rpm_core.config import process_cache, settings
from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import error_code
from rpm_core.data.resources import WebSocketApiSpec
from rpm_core.data.tables import CONNECTIONS

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=2, read_timeout=5)


class ConnectionGone(Exception):
    """The connection is closed (the Management API answered 410 Gone)."""


def save(item: dict[str, Any]) -> None:
    table(CONNECTIONS).put_item(Item=item)


def delete(connection_id: str) -> None:
    table(CONNECTIONS).delete_item(Key={"connectionId": connection_id})


def of_user(user_id: str) -> list[dict[str, Any]]:
    """Every open connection of a user (Query byUser, all pages)."""
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(CONNECTIONS).name,
            IndexName="byUser",
            KeyConditionExpression=Key("userId").eq(user_id),
        )
    )
    return [item for page in pages for item in page.get("Items", [])]


@process_cache
def _management(endpoint: str) -> Any:
    return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, region_name=settings().region, config=_CONFIG)


def management_endpoint(api: WebSocketApiSpec) -> str:
    return settings().resource_name(api.env_var, api.name)


def post(api: WebSocketApiSpec, connection_id: str, data: bytes) -> None:
    try:
        _management(management_endpoint(api)).post_to_connection(ConnectionId=connection_id, Data=data)
    except Exception as error:
        if error_code(error) == "GoneException":
            raise ConnectionGone(connection_id) from error
        raise


def close(api: WebSocketApiSpec, connection_id: str) -> None:
    """Closes the connection; one already gone is closed already."""
    try:
        _management(management_endpoint(api)).delete_connection(ConnectionId=connection_id)
    except Exception as error:
        if error_code(error) != "GoneException":
            raise
