"""IAM, enforced locally: every AWS call a function makes is checked against its deployed role's statements.

moto grants every call; AWS grants only what the function's execution role allows. The local stack
renders each function's statements (``infra.grants``, the same ones the CDK app puts in the template)
with the ARNs of what it created in moto, and checks each call before botocore sends it: the call's
IAM action(s) and resource ARN(s), as AWS authorizes them (a ``TransactWriteItems`` item by item, a
``Query`` on an index as ``table/<name>/index/<index>``, an object version as ``s3:GetObjectVersion``,
an S3 or SQS request on a KMS-encrypted resource also as the KMS action on its key). A call the role
does not allow fails as AWS fails it: ``AccessDeniedException`` (S3 and SQS: ``AccessDenied``), through
the function's usual error path.

What it does not model: resource policies (key, bucket and queue policies; the project's only deny
statements there refuse plain HTTP) and condition keys (no role statement has one; a statement with
conditions would be refused here, loudly). Presigned URLs are checked when they are signed (AWS checks
them when they are used, with the signer's permissions).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from infra.grants import Arn, Statement

_log = logging.getLogger("rpm.local.iam")
ACCOUNT = "123456789012"
"""moto's default account: the ARNs moto returns carry it."""


@dataclass(frozen=True)
class Request:
    """One authorization AWS makes for a call: an action on a resource."""

    action: str
    resource: str
    denied_by_resource_policy: bool = False
    """An explicit deny in the resource's own policy (it wins over any grant of the role)."""


@dataclass
class LocalArns:
    """ARNs of what the local stack created, in the form AWS gives them."""

    region: str
    names: dict[str, str] = field(default_factory=dict)
    """Logical → physical names of every declared resource (a queue: its URL), as the local stack created them."""
    user_pool_id: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    """Logical secret name (``cursor``) → the secret's ARN in moto."""
    dead_letters: dict[str, str] = field(default_factory=dict)
    """Function → the URL of the queue its failed stream batches go to."""
    create_only_buckets: set[str] = field(default_factory=set)
    """Buckets whose policy denies a PutObject not conditional on the key not existing (``BucketSpec.create_only``)."""
    websocket_stages: dict[str, str] = field(default_factory=dict)
    """A WebSocket API's Management endpoint → ``<apiId>/<stage>`` (how its connections' ARNs begin)."""

    @staticmethod
    def api_id(name: str) -> str:
        """The local id of a declared WebSocket API (in AWS, API Gateway's)."""
        return name.lower()

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{ACCOUNT}:{resource}"

    def table(self, name: str) -> str:
        return self.arn("dynamodb", f"table/{name}")

    def queue(self, url_or_name: str) -> str:
        return self.arn("sqs", url_or_name.rstrip("/").rsplit("/", 1)[-1])

    def key(self, name: str) -> str:
        return self.arn("kms", f"key/rpm-local-{name}")

    def render(self, arn: Arn) -> str:
        """A statement's resource as the local stack names it."""
        physical = self.names.get(arn.name, "")
        renderers: dict[str, Callable[[], str]] = {
            "table": lambda: self.table(physical),
            "stream": lambda: self.table(physical) + "/stream/*",
            "queue": lambda: self.queue(physical),
            "dead_letter": lambda: self.queue(self.dead_letters.get(arn.name, f"rpm-local-{arn.name}-dead-letter")),
            "bucket": lambda: f"arn:aws:s3:::{physical}",
            "key": lambda: self.key(arn.name),
            "user_pool": lambda: self.arn("cognito-idp", f"userpool/{self.user_pool_id}"),
            "secret": lambda: self.secrets[arn.name],
            "connections": lambda: self.arn("execute-api", self.api_id(arn.name)),
            "iot": lambda: self.arn("iot", arn.name),
            "log_group": lambda: self.arn("logs", f"log-group:/aws/lambda/rpm-{arn.name}"),
            "any": lambda: "*",
        }
        return renderers[arn.kind]() + arn.suffix


def _pattern(pattern: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """IAM's wildcards: ``*`` any run of characters (``/`` included), ``?`` one character."""
    regex = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    return re.compile(regex, re.IGNORECASE if ignore_case else 0)


@dataclass
class Policy:
    """A function's role: its statements with local ARNs."""

    function: str
    statements: tuple[tuple[tuple[re.Pattern[str], ...], tuple[tuple[str, re.Pattern[str]], ...]], ...]
    """Each statement's actions and resources (as written, and as patterns)."""
    exercised: set[tuple[str, str, str]]
    """(function, action, granted resource) of every allowed request: what the suite exercised."""

    @classmethod
    def of(cls, function: str, statements: Iterable[Statement], arns: LocalArns, exercised: set[Any]) -> Policy:
        compiled = []
        for statement in statements:
            actions = tuple(_pattern(action, ignore_case=True) for action in statement.actions)
            resources = tuple((text, _pattern(text)) for text in map(arns.render, statement.resources))
            compiled.append((actions, resources))
        return cls(function, tuple(compiled), exercised)

    def grant_for(self, request: Request) -> str | None:
        """The resource (as its statement names it) of the statement that allows ``request``, or None."""
        for actions, resources in self.statements:
            if any(action.fullmatch(request.action) for action in actions):
                for text, resource in resources:
                    if resource.fullmatch(request.resource):
                        return text
        return None

    def check(self, service: str, operation: str, requests: list[Request]) -> None:
        for request in requests:
            granted = None if request.denied_by_resource_policy else self.grant_for(request)
            if granted is None:
                error = access_denied(self.function, service, operation, request)
                _log.warning("IAM denied %s: %s", operation, error.response["Error"]["Message"])
                raise error
            with _EXERCISED_LOCK:
                self.exercised.add((self.function, request.action, granted))


_EXERCISED_LOCK = threading.Lock()
DENIAL_CODES: dict[str, tuple[str, int]] = {
    "s3": ("AccessDenied", 403),
    "sqs": ("AccessDenied", 403),
    "iot": ("AccessDeniedException", 403),
    "execute-api": ("ForbiddenException", 403),
}
"""The error each service answers a request its caller's policy does not allow with; others:
``AccessDeniedException`` with status 400 (DynamoDB, Cognito, Secrets Manager, KMS)."""


def access_denied(function: str, service: str, operation: str, request: Request) -> ClientError:
    code, status = DENIAL_CODES.get(request.action.split(":")[0], ("AccessDeniedException", 400))
    because = (
        "with an explicit deny in a resource-based policy"
        if request.denied_by_resource_policy
        else f"because no identity-based policy allows the {request.action} action (infra/catalog.py `uses` → "
        "infra/grants.py)"
    )
    message = (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/rpm-{function}-role/rpm-{function} is not authorized to perform: "
        f"{request.action} on resource: {request.resource} {because}"
    )
    return ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, operation
    )


class UnknownToTheCheck(RuntimeError):
    """A service the local check cannot authorize: add it to ``REQUESTS`` rather than let it through."""


@dataclass(frozen=True)
class Call:
    """What botocore is about to send: the service, the operation, its parameters, and the client's endpoint."""

    service: str
    operation: str
    params: Mapping[str, Any]
    endpoint: str
    no_auth: bool = False
    """The operation is not signed (Cognito's SignUp, InitiateAuth, ...): IAM does not authorize it."""


TRANSACTION_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}
"""A transaction is authorized item by item, each as the single-item action of its kind."""


def _dynamodb(call: Call, arns: LocalArns) -> list[Request]:
    params = call.params
    if call.operation in ("BatchGetItem", "BatchWriteItem"):
        return [Request(f"dynamodb:{call.operation}", arns.table(name)) for name in params.get("RequestItems", {})]
    if call.operation in ("TransactWriteItems", "TransactGetItems"):
        return [
            Request(f"dynamodb:{TRANSACTION_ACTIONS[kind]}", arns.table(body["TableName"]))
            for item in params.get("TransactItems", [])
            for kind, body in item.items()
        ]
    resource = arns.table(params["TableName"]) if params.get("TableName") else "*"
    if params.get("IndexName"):
        resource += f"/index/{params['IndexName']}"
    return [Request(f"dynamodb:{call.operation}", resource)]


S3_ACTIONS = {
    "HeadObject": "GetObject",
    "ListObjectsV2": "ListBucket",
    "ListObjects": "ListBucket",
    "HeadBucket": "ListBucket",
    "ListObjectVersions": "ListBucketVersions",
    "DeleteObjects": "DeleteObject",
    "CopyObject": "PutObject",
    "CreateMultipartUpload": "PutObject",
    "UploadPart": "PutObject",
    "CompleteMultipartUpload": "PutObject",
}
S3_VERSIONED = {
    "GetObject": "GetObjectVersion",
    "DeleteObject": "DeleteObjectVersion",
    "PutObjectTagging": "PutObjectVersionTagging",
    "GetObjectTagging": "GetObjectVersionTagging",
}


def _s3(call: Call, arns: LocalArns) -> list[Request]:
    params = call.params
    action = S3_ACTIONS.get(call.operation, call.operation)
    if params.get("VersionId") and action in S3_VERSIONED:
        action = S3_VERSIONED[action]
    bucket = f"arn:aws:s3:::{params.get('Bucket', '')}"
    keys = [entry["Key"] for entry in params.get("Delete", {}).get("Objects", [])] or (
        [params["Key"]] if "Key" in params else []
    )
    write_once = params.get("Bucket") in arns.create_only_buckets and params.get("IfNoneMatch") != "*"
    denied = write_once and call.operation in ("PutObject", "CopyObject")  # the bucket policy's WriteOnceOnly
    requests = [Request(f"s3:{action}", f"{bucket}/{key}", denied) for key in keys] or [Request(f"s3:{action}", bucket)]
    if call.operation in ("PutObject", "CopyObject", "CreateMultipartUpload"):
        requests.append(Request("kms:GenerateDataKey", arns.key("data")))  # every bucket: SSE-KMS, the data key
    if call.operation == "GetObject":
        requests.append(Request("kms:Decrypt", arns.key("data")))
    return requests


SQS_ACTIONS = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}


def _sqs(call: Call, arns: LocalArns) -> list[Request]:
    queue = arns.queue(str(call.params.get("QueueUrl") or call.params.get("QueueName") or "*"))
    action = SQS_ACTIONS.get(call.operation, call.operation)
    requests = [Request(f"sqs:{action}", queue)]
    if action == "SendMessage":  # every queue: SSE-KMS with the data key
        requests += [Request("kms:GenerateDataKey", arns.key("data")), Request("kms:Decrypt", arns.key("data"))]
    return requests


def _cognito(call: Call, arns: LocalArns) -> list[Request]:
    pool = arns.arn("cognito-idp", f"userpool/{call.params.get('UserPoolId', '*')}")
    return [Request(f"cognito-idp:{call.operation}", pool)]


IOT_THING_OPERATIONS = (
    "CreateThing", "DeleteThing", "DescribeThing", "UpdateThing", "AttachThingPrincipal", "DetachThingPrincipal",
    "ListThingPrincipals",
)  # fmt: skip


def _iot(call: Call, arns: LocalArns) -> list[Request]:
    params = call.params
    if call.operation in IOT_THING_OPERATIONS:
        resource = arns.arn("iot", f"thing/{params['thingName']}")
    elif "certificateId" in params:
        resource = arns.arn("iot", f"cert/{params['certificateId']}")
    elif call.operation in ("AttachPolicy", "DetachPolicy"):
        resource = str(params["target"])
    else:
        resource = "*"
    return [Request(f"iot:{call.operation}", resource)]


def _iot_data(call: Call, arns: LocalArns) -> list[Request]:
    return [Request(f"iot:{call.operation}", arns.arn("iot", f"topic/{call.params.get('topic', '')}"))]


def _secrets(call: Call, arns: LocalArns) -> list[Request]:
    secret = str(call.params.get("SecretId", "*"))
    if not secret.startswith("arn:"):
        secret = next((arn for arn in arns.secrets.values() if arn.split(":")[-1].startswith(secret)), secret)
    return [Request(f"secretsmanager:{call.operation}", secret), Request("kms:Decrypt", arns.key("data"))]


MANAGEMENT_METHODS = {"PostToConnection": "POST", "GetConnection": "GET", "DeleteConnection": "DELETE"}


def _management(call: Call, arns: LocalArns) -> list[Request]:
    api = arns.websocket_stages.get(call.endpoint.rstrip("/"), "unknown/unknown")
    method = MANAGEMENT_METHODS.get(call.operation, "*")
    resource = arns.arn("execute-api", f"{api}/{method}/@connections/{call.params.get('ConnectionId', '')}")
    return [Request("execute-api:ManageConnections", resource)]


REQUESTS: dict[str, Callable[[Call, LocalArns], list[Request]]] = {
    "dynamodb": _dynamodb,
    "s3": _s3,
    "sqs": _sqs,
    "cognito-idp": _cognito,
    "iot": _iot,
    "iot-data": _iot_data,
    "secretsmanager": _secrets,
    "apigatewaymanagementapi": _management,
    "sts": lambda call, arns: [],  # GetCallerIdentity needs no permission
}
"""Service → the authorizations AWS makes for one of its calls."""


def requests_of(call: Call, arns: LocalArns) -> list[Request]:
    if call.no_auth:
        return []
    if call.service not in REQUESTS:
        raise UnknownToTheCheck(f"the local IAM check does not know {call.service}:{call.operation} (add it here)")
    return REQUESTS[call.service](call, arns)
