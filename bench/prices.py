"""Public list prices the cost model multiplies by (``bench/cost.py``, ``make cost``).

Region us-east-1 (N. Virginia), on-demand, no free tier, no savings plans, as published on the AWS pricing
pages in November 2026. Prices change: check them before quoting a budget, and edit them here (one place).
"""

from __future__ import annotations

REGION = "us-east-1"
AS_OF = "2026-11"

PER_MILLION = 1_000_000

DYNAMODB_WRITE_UNIT = 0.625 / PER_MILLION
"""On-demand write request unit (an item of up to 1 KB; a transactional write counts two)."""
DYNAMODB_READ_UNIT = 0.125 / PER_MILLION
"""On-demand read request unit (a strongly consistent read of up to 4 KB, or two eventually consistent)."""
DYNAMODB_STORAGE_GB_MONTH = 0.25
DYNAMODB_PITR_GB_MONTH = 0.20
"""Continuous backups (point-in-time recovery), per GB of table size."""

LAMBDA_REQUEST = 0.20 / PER_MILLION
LAMBDA_GB_SECOND_ARM = 0.0000133334
"""Arm64 (Graviton), the functions' architecture."""

API_GATEWAY_HTTP_REQUEST = 1.00 / PER_MILLION
"""HTTP API, first 300 million a month (512 KB metering units)."""
API_GATEWAY_WEBSOCKET_MESSAGE = 1.00 / PER_MILLION
API_GATEWAY_WEBSOCKET_CONNECTION_MINUTE = 0.25 / PER_MILLION

IOT_MESSAGE = 1.00 / PER_MILLION
"""Messaging, first billion a month (5 KB increments)."""
IOT_CONNECTION_MINUTE = 0.08 / PER_MILLION
IOT_RULE_TRIGGERED = 0.15 / PER_MILLION
IOT_RULE_ACTION = 0.15 / PER_MILLION

SQS_REQUEST = 0.40 / PER_MILLION
"""Standard queue, per 64 KB chunk of a request."""

S3_PUT = 0.005 / 1000
S3_GET = 0.0004 / 1000
S3_STORAGE_GB_MONTH = 0.023

CLOUDWATCH_LOGS_INGEST_GB = 0.50
CLOUDWATCH_LOGS_STORAGE_GB_MONTH = 0.03
CLOUDWATCH_CUSTOM_METRIC_MONTH = 0.30
CLOUDWATCH_ALARM_MONTH = 0.10
"""A standard-resolution alarm (a metric-math alarm is billed per metric it reads)."""
CLOUDWATCH_DASHBOARD_MONTH = 3.00

XRAY_TRACE = 5.00 / PER_MILLION
"""Traces recorded; active tracing samples the first request each second and 5 % of the rest."""

COGNITO_PLUS_MAU = 0.020
"""The Plus feature plan (threat protection), per monthly active user; no free tier on Plus."""

KMS_KEY_MONTH = 1.00
KMS_REQUEST = 0.03 / 10_000
SECRETS_MANAGER_SECRET_MONTH = 0.40
