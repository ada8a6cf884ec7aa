"""Where POST answers are kept for their Idempotency-Key: Powertools' DynamoDB persistence layer on the
``Idempotency`` table (``rpm_core.api.idempotency`` decides what is kept)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rpm_core.config import process_cache, settings
from rpm_core.data.aws import client
from rpm_core.data.tables import IDEMPOTENCY

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer


def available() -> bool:
    """Whether this function was granted the table (``infra.catalog.IDEMPOTENT``): only those honour the header."""
    return bool(os.environ.get(IDEMPOTENCY.env_var))


@process_cache
def store() -> DynamoDBPersistenceLayer:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer  # only a keyed POST loads it

    return DynamoDBPersistenceLayer(
        table_name=settings().table_name(IDEMPOTENCY),
        key_attr="id",
        expiry_attr=IDEMPOTENCY.ttl_attribute or "expiration",
        boto3_client=client("dynamodb"),
    )
