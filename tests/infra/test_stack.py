"""The synthesized backend stack: cdk-nag, cfn-lint and the properties the design requires."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from aws_cdk.assertions import Match

from infra import catalog
from infra.declarations import USER_POOL
from rpm_core.data.tables import TABLES, TableSpec
from tests.infra.conftest import REGION, Synthesis

pytestmark = pytest.mark.infra

ROUTES = catalog.http_routes()
MIN_REASON_LENGTH = 40


def by_logical_prefix(resources: dict[str, dict[str, Any]], prefix: str) -> dict[str, Any]:
    (match,) = [resource for key, resource in resources.items() if key.startswith(prefix)]
    return match


# --- cdk-nag ------------------------------------------------------------------------------------


def test_synth_passes_cdk_nag_without_unacknowledged_findings(synthesis: Synthesis) -> None:
    findings = synthesis.findings()
    assert findings == [], "\n".join(findings)
    assert synthesis.error is None, synthesis.error
    reports = synthesis.validation_report["pluginReports"]
    assert {report["pluginName"] for report in reports} == {"HIPAA.Security", "AwsSolutions"}
    assert all(report["conclusion"] == "success" for report in reports)


def test_every_acknowledgement_has_a_real_reason(synthesis: Synthesis) -> None:
    acknowledged = synthesis.acknowledgements()
    assert acknowledged, "expected acknowledgements (e.g. Lambda outside a VPC)"
    print("\n".join(f"{path}  {rule}\n    {reason}" for path, rule, reason in acknowledged))
    weak = [(path, rule, reason) for path, rule, reason in acknowledged if len(reason.strip()) <= MIN_REASON_LENGTH]
    assert weak == []
    assert all("::" in rule for _, rule, _ in acknowledged), "ids must carry the plugin prefix to match findings"


def test_every_acknowledgement_matches_a_finding(synthesis: Synthesis) -> None:
    unused = synthesis.unused_acknowledgements()
    assert unused == [], "\n".join(map(str, unused))


# --- cfn-lint -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["main", "Operations", "WebApp"])
def test_cfn_lint_finds_no_errors(synthesis: Synthesis, stack: str) -> None:
    from cfnlint.api import lint

    template = synthesis.template if stack == "main" else synthesis.nested[stack]
    matches = lint(json.dumps(template), regions=[REGION])
    errors = [f"{match.rule.id} {match.message} at {match.path}" for match in matches if match.rule.id.startswith("E")]
    assert errors == [], "\n".join(errors)


# --- data ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_table_follows_its_spec(synthesis: Synthesis, spec: TableSpec) -> None:
    table = by_logical_prefix(synthesis.resources("AWS::DynamoDB::GlobalTable"), f"Data{spec.name}")
    props = table["Properties"]
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}
    (replica,) = props["Replicas"]
    assert replica["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert replica["DeletionProtectionEnabled"] is True
    key_schema = [{"AttributeName": spec.partition_key.name, "KeyType": "HASH"}]
    if spec.sort_key:
        key_schema.append({"AttributeName": spec.sort_key.name, "KeyType": "RANGE"})
    assert props["KeySchema"] == key_schema
    indexes = {index["IndexName"]: index for index in props.get("GlobalSecondaryIndexes", [])}
    assert set(indexes) == {index.name for index in spec.indexes}
    for index in spec.indexes:
        assert indexes[index.name]["Projection"]["ProjectionType"] == index.projection
        assert indexes[index.name]["KeySchema"][0] == {"AttributeName": index.partition_key.name, "KeyType": "HASH"}
    if spec.streamed:
        assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    else:
        assert "StreamSpecification" not in props
    if spec.ttl_attribute:
        assert props["TimeToLiveSpecification"] == {"AttributeName": spec.ttl_attribute, "Enabled": True}
    else:
        assert "TimeToLiveSpecification" not in props


def test_tables_use_the_customer_managed_data_key(synthesis: Synthesis) -> None:
    data_key = next(key for key in synthesis.resources("AWS::KMS::Key") if key.startswith("EncryptionDataKey"))
    for table in synthesis.resources("AWS::DynamoDB::GlobalTable").values():
        assert table["Properties"]["Replicas"][0]["SSESpecification"]["KMSMasterKeyId"] == {
            "Fn::GetAtt": [data_key, "Arn"]
        }


def test_kms_keys_rotate_and_are_retained(synthesis: Synthesis) -> None:
    keys = synthesis.resources("AWS::KMS::Key")
    assert len(keys) == 2
    for key in keys.values():
        assert key["Properties"]["EnableKeyRotation"] is True
        assert key["DeletionPolicy"] == "Retain"


def test_tables_are_in_a_backup_plan(template: Any) -> None:
    template.resource_count_is("AWS::Backup::BackupSelection", 1)
    template.has_resource_properties("AWS::Backup::BackupVault", {"EncryptionKeyArn": Match.any_value()})


def test_cursor_secret_is_generated_and_kms_encrypted(template: Any) -> None:
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {"GenerateSecretString": Match.object_like({"PasswordLength": 64}), "KmsKeyId": Match.any_value()},
    )


# --- auth ---------------------------------------------------------------------------------------


def test_user_pool_signs_in_by_email_with_a_strong_password_policy(template: Any) -> None:
    template.has_resource(
        "AWS::Cognito::UserPool",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "UsernameAttributes": ["email"],
                    "AutoVerifiedAttributes": ["email"],
                    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False},
                    "Policies": Match.object_like(
                        {
                            "PasswordPolicy": Match.object_like(
                                {
                                    "MinimumLength": USER_POOL.password_min_length,
                                    "RequireLowercase": USER_POOL.require_lowercase,
                                    "RequireUppercase": USER_POOL.require_uppercase,
                                    "RequireNumbers": USER_POOL.require_digits,
                                    "RequireSymbols": USER_POOL.require_symbols,
                                }
                            )
                        }
                    ),
                    "MfaConfiguration": "OPTIONAL",
                    "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
                    "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"},
                }
            ),
        },
    )


def test_user_pool_groups(synthesis: Synthesis) -> None:
    groups = synthesis.resources("AWS::Cognito::UserPoolGroup").values()
    assert sorted(group["Properties"]["GroupName"] for group in groups) == sorted(USER_POOL.groups)
    assert set(USER_POOL.groups) == {"patient", "clinician", "caregiver", "admin"}
    assert USER_POOL.password_min_length >= 12


def test_app_client_is_public_with_short_tokens(synthesis: Synthesis) -> None:
    client = by_logical_prefix(synthesis.resources("AWS::Cognito::UserPoolClient"), "AuthUserPoolAppClient")
    props = client["Properties"]
    assert props["GenerateSecret"] is False
    assert sorted(props["ExplicitAuthFlows"]) == sorted(USER_POOL.auth_flows)
    assert sorted(props["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
    units = props["TokenValidityUnits"]
    assert units["AccessToken"] == "minutes"
    assert props["AccessTokenValidity"] <= 15
    assert units["IdToken"] == "minutes"
    assert props["IdTokenValidity"] <= 15
    assert units["RefreshToken"] == "minutes"
    assert props["RefreshTokenValidity"] == 24 * 60
    assert props["PreventUserExistenceErrors"] == "ENABLED"
    assert props["EnableTokenRevocation"] is True


def test_no_access_token_may_change_an_email_at_cognito(synthesis: Synthesis) -> None:
    """A stolen access token must not take the account over through Cognito's own API (UpdateUserAttributes:
    a new email, verified, then a password reset). The app client that issues the tokens may write only the
    display name the API never reads back; an empty list would make every attribute writable. Sign-up writes
    email and name through a client of its own with no sign-in flow, so it issues no tokens."""
    clients = synthesis.resources("AWS::Cognito::UserPoolClient")
    assert len(clients) == 2
    app = by_logical_prefix(clients, "AuthUserPoolAppClient")["Properties"]
    signup = by_logical_prefix(clients, "AuthUserPoolSignUpClient")["Properties"]
    assert app["WriteAttributes"] == ["name"] == list(USER_POOL.app_client_write_attributes)
    assert sorted(signup["WriteAttributes"]) == ["email", "name"]
    assert signup["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]  # no sign-in: no tokens, nothing to refresh
    assert signup["GenerateSecret"] is False
    assert signup["PreventUserExistenceErrors"] == "ENABLED"
    assert "AllowedOAuthFlows" not in signup
    (authorizer,) = [r["Properties"] for r in synthesis.resources("AWS::ApiGatewayV2::Authorizer").values()]
    (audience,) = authorizer["JwtConfiguration"]["Audience"]
    assert "AppClient" in json.dumps(audience)  # the API accepts the app client's tokens only


def test_the_user_pool_calls_the_tokens_function_before_every_token(synthesis: Synthesis) -> None:
    """Issue 21 (1): access tokens without aws.cognito.signin.user.admin (Cognito's own user API refuses them).
    Version 2 events (the ones that may change an access token) need the PLUS or ESSENTIALS feature plan."""
    (pool,) = synthesis.resources("AWS::Cognito::UserPool").values()
    config = pool["Properties"]["LambdaConfig"]["PreTokenGenerationConfig"]
    assert config["LambdaVersion"] == "V2_0"
    assert "Functionstokens" in json.dumps(config["LambdaArn"])
    assert pool["Properties"]["UserPoolTier"] in {"PLUS", "ESSENTIALS"}
    permissions = [
        p["Properties"]
        for p in synthesis.resources("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "cognito-idp.amazonaws.com"
    ]
    assert len(permissions) == 1
    assert "Functionstokens" in json.dumps(permissions[0]["FunctionName"])
    assert "UserPool" in json.dumps(permissions[0]["SourceArn"])  # only this pool may invoke it


def test_functions_know_the_sign_up_client(synthesis: Synthesis) -> None:
    env = function_of(synthesis, "auth")["Environment"]["Variables"]
    assert "SignUpClient" in json.dumps(env["USER_POOL_SIGNUP_CLIENT_ID"])
    assert "AppClient" in json.dumps(env["USER_POOL_CLIENT_ID"])


# --- functions ----------------------------------------------------------------------------------


def function_of(synthesis: Synthesis, name: str) -> dict[str, Any]:
    return by_logical_prefix(synthesis.resources("AWS::Lambda::Function"), f"Functions{name}Function")["Properties"]


def test_one_function_per_catalog_entry(synthesis: Synthesis) -> None:
    assert len(synthesis.resources("AWS::Lambda::Function")) == len(catalog.FUNCTIONS)


@pytest.mark.parametrize("spec", catalog.FUNCTIONS, ids=lambda spec: spec.name)
def test_function_runtime_and_environment(synthesis: Synthesis, spec: catalog.FunctionSpec) -> None:
    props = function_of(synthesis, spec.name)
    assert props["Runtime"] == "python3.12"
    assert props["Architectures"] == ["arm64"]
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["Handler"] == spec.handler
    assert props["MemorySize"] == 512
    assert props["Timeout"] == spec.function_kind.timeout_seconds
    assert props["Timeout"] <= (5 if spec.kind == "user_pool_trigger" else 10 if spec.function_kind.synchronous else 30)
    assert len(props["Layers"]) == 2
    assert "LoggingConfig" in props
    assert "LogGroup" in props["LoggingConfig"]
    env = props["Environment"]["Variables"]
    assert env["POWERTOOLS_SERVICE_NAME"] == f"rpm-{spec.name}"
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "RPM"
    assert env["LOG_LEVEL"] == "INFO"
    assert env["SESSION_LIFETIME_SECONDS"] == str(24 * 3600)
    assert env["AUTO_CONFIRM_SIGNUP"] == "false"
    pool_variables = {"USER_POOL_ID", "USER_POOL_CLIENT_ID", "USER_POOL_SIGNUP_CLIENT_ID"}
    assert pool_variables <= set(env) if spec.function_kind.knows_user_pool else not pool_variables & set(env)
    assert ("CURSOR_SECRET_ARN" in env) == spec.paginates
    tables = {table.name: table for table in TABLES}
    used_tables = [name for name in spec.resource_names if name in tables]
    expected = {tables[name].env_var for name in used_tables}
    assert {key for key in env if key.startswith("TABLE_")} == expected
    for name in used_tables:
        assert env[tables[name].env_var]["Ref"].startswith(f"Data{name}")  # the physical table name


def test_function_log_groups_are_encrypted_with_retention(synthesis: Synthesis) -> None:
    log_groups = synthesis.resources("AWS::Logs::LogGroup")
    from rpm_core.data.resources import WEBSOCKET_APIS

    # + the HTTP API's access logs and each WebSocket API's
    assert len(log_groups) == len(catalog.FUNCTIONS) + 1 + len(WEBSOCKET_APIS)
    for log_group in log_groups.values():
        assert log_group["Properties"]["RetentionInDays"] == 2192
        assert "KmsKeyId" in log_group["Properties"]
        assert log_group["DeletionPolicy"] == "Retain"


def test_roles_carry_no_inline_or_aws_managed_policies(synthesis: Synthesis) -> None:
    assert synthesis.resources("AWS::IAM::Policy") == {}
    for key, role in synthesis.resources("AWS::IAM::Role").items():
        if key.startswith("Functions"):
            assert "ManagedPolicyArns" not in role["Properties"]
            assert "Policies" not in role["Properties"]


@pytest.mark.parametrize("spec", [spec for spec in catalog.FUNCTIONS if spec.cognito_actions], ids=lambda s: s.name)
def test_cognito_actions_are_scoped_to_the_user_pool(synthesis: Synthesis, spec: catalog.FunctionSpec) -> None:
    policy = by_logical_prefix(synthesis.resources("AWS::IAM::ManagedPolicy"), f"Functions{spec.name}RolePolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    cognito = [s for s in statements if any(str(a).startswith("cognito-idp:") for a in _list(s["Action"]))]
    assert sorted(a for s in cognito for a in _list(s["Action"])) == sorted(spec.cognito_actions)
    for statement in cognito:
        assert statement["Resource"]["Fn::GetAtt"][0].startswith("AuthUserPool")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- HTTP API -----------------------------------------------------------------------------------


def test_the_only_authorizer_is_the_user_pool_jwt_authorizer(synthesis: Synthesis) -> None:
    """One invocation per request: API Gateway verifies the token itself; no Lambda authorizer exists."""
    (authorizer,) = [r["Properties"] for r in synthesis.resources("AWS::ApiGatewayV2::Authorizer").values()]
    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    issuer = json.dumps(authorizer["JwtConfiguration"]["Issuer"])
    assert "cognito-idp." in issuer
    assert "AuthUserPool" in issuer  # the stack's own user pool
    (audience,) = authorizer["JwtConfiguration"]["Audience"]
    assert "AuthClient" in json.dumps(audience) or "Client" in json.dumps(audience)
    assert not any(
        "authorizer" in json.dumps(r["Properties"].get("Handler", ""))
        for r in synthesis.resources("AWS::Lambda::Function").values()
    )


PUBLIC_ROUTES = {
    "POST /auth/signup",
    "POST /auth/confirm",
    "POST /auth/login",
    "POST /auth/refresh",
    "GET /auth/sso/providers",  # names and types of the providers, nothing more
    "GET /auth/sso/{provider}/authorize",  # a redirect, to declared callback URLs only
    "POST /auth/sso/token",  # a code is worth nothing without its PKCE verifier
    "GET /openapi.json",
    "GET /docs",
    "GET /docs/{asset}",  # the playground's static files, from a fixed allow-list
    "GET /health",  # load balancers and uptime checks: ok or 503, nothing else (one key read, no data)
    "GET /graphql",  # GraphiQL's page: POST /graphql, which it calls, needs the token
    "GET /fhir/metadata",  # FHIR's CapabilityStatement: what is served, before a client has a token
    "GET /graphql/assets/{asset}",  # GraphiQL's static files, from a fixed allow-list
    "GET /graphql/schema.graphql",  # the SDL, public as /openapi.json is (it is in the repository too); deployed
    # introspection is off by default to keep __schema queries' cost away from POST /graphql, not to hide it
}
"""Routes served without the authorizer. Adding one is a security decision: review it, then list it here."""


def test_only_the_reviewed_routes_are_public() -> None:
    assert {route.route_key for route in ROUTES if route.public} == PUBLIC_ROUTES


def test_catalog_has_routes() -> None:
    assert ROUTES, "catalog.http_routes() found no routes"
    assert any(route.public for route in ROUTES)
    assert any(not route.public for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route_key)
def test_route_exists_with_its_authorization(synthesis: Synthesis, route: Any) -> None:
    routes = [r["Properties"] for r in synthesis.http_api("AWS::ApiGatewayV2::Route").values()]
    (props,) = [r for r in routes if r["RouteKey"] == route.route_key]
    if route.public:
        assert props["AuthorizationType"] == "NONE"
        assert "AuthorizerId" not in props
    else:
        assert props["AuthorizationType"] == "JWT"
        assert "AuthorizerId" in props
    integration_id = props["Target"]["Fn::Join"][1][1]["Ref"]
    integration = synthesis.template["Resources"][integration_id]["Properties"]
    assert integration["PayloadFormatVersion"] == "2.0"
    assert f"Functions{route.function}Function" in json.dumps(integration["IntegrationUri"])


def test_no_route_outside_the_catalog(synthesis: Synthesis) -> None:
    route_keys = sorted(r["Properties"]["RouteKey"] for r in synthesis.http_api("AWS::ApiGatewayV2::Route").values())
    assert route_keys == sorted([route.route_key for route in ROUTES] + ["$default"])


def test_default_route_goes_to_the_default_function_without_authorizer(synthesis: Synthesis) -> None:
    (default_spec,) = [spec for spec in catalog.FUNCTIONS if spec.serves_default_route]
    routes = [r["Properties"] for r in synthesis.http_api("AWS::ApiGatewayV2::Route").values()]
    (default,) = [r for r in routes if r["RouteKey"] == "$default"]
    assert default.get("AuthorizationType", "NONE") == "NONE"
    integration_id = default["Target"]["Fn::Join"][1][1]["Ref"]
    uri = json.dumps(synthesis.template["Resources"][integration_id]["Properties"]["IntegrationUri"])
    assert f"Functions{default_spec.name}Function" in uri


def test_stage_logs_access_without_sensitive_fields_and_throttles(synthesis: Synthesis) -> None:
    (stage,) = synthesis.http_api("AWS::ApiGatewayV2::Stage").values()
    props = stage["Properties"]
    assert props["StageName"] == "$default"
    assert props["AutoDeploy"] is True
    assert props["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50}
    log_format = json.loads(props["AccessLogSettings"]["Format"])
    assert {"requestId", "routeKey", "status", "latencyMs", "ip"} <= set(log_format)
    values = " ".join(log_format.values())
    for forbidden in ("$context.authorizer", "$request.header", "$input", "$context.path", "$context.requestOverride"):
        assert forbidden not in values
    access_logs = props["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]
    assert "KmsKeyId" in synthesis.template["Resources"][access_logs]["Properties"]


def test_cors_is_off_by_default(synthesis: Synthesis) -> None:
    (api,) = synthesis.http_api("AWS::ApiGatewayV2::Api").values()
    assert "CorsConfiguration" not in api["Properties"]


def test_outputs(synthesis: Synthesis) -> None:
    expected = {"ApiUrl", "UserPoolId", "UserPoolClientId", "Region", "UsersTableName"}
    assert expected <= set(synthesis.template["Outputs"])


def test_no_function_may_scan_or_use_dynamodb_wildcards(synthesis: Synthesis) -> None:
    """Least privilege: keys and indexes only (no Scan, no BatchWriteItem, no dynamodb:*)."""
    actions = {
        str(action)
        for policy in synthesis.resources("AWS::IAM::ManagedPolicy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        for action in _list(statement["Action"])
        if str(action).startswith("dynamodb:")
    }
    assert "dynamodb:GetItem" in actions
    forbidden = {"dynamodb:Scan", "dynamodb:*", "dynamodb:BatchWriteItem", "dynamodb:PartiQLSelect"}
    assert actions & forbidden == set(), actions & forbidden


# --- attachments and retention ------------------------------------------------------------------


def test_attachment_bucket_expires_only_objects_tagged_for_retention(synthesis: Synthesis) -> None:
    """The legal hold re-tags an object ``retention=legal-hold``: the rule's tag filter no longer matches."""
    from rpm_core.data.resources import ATTACHMENTS_BUCKET, RETENTION_TAG

    bucket = by_logical_prefix(synthesis.resources("AWS::S3::Bucket"), f"Buckets{ATTACHMENTS_BUCKET.name}")
    props = bucket["Properties"]
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled"
    assert rule["ExpirationInDays"] == 2557  # cdk.json retentionDays
    assert rule["TagFilters"] == [{"Key": RETENTION_TAG[0], "Value": RETENTION_TAG[1]}]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == ATTACHMENTS_BUCKET.noncurrent_expiration_days
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert "CorsConfiguration" not in props  # only with corsOrigins set
    (queue,) = props["NotificationConfiguration"]["QueueConfigurations"]
    assert queue["Queue"]["Fn::GetAtt"][0].startswith(f"Queues{ATTACHMENTS_BUCKET.object_created_queue}")


@pytest.mark.parametrize("spec", catalog.FUNCTIONS, ids=lambda spec: spec.name)
def test_functions_know_the_retention_period(synthesis: Synthesis, spec: catalog.FunctionSpec) -> None:
    assert function_of(synthesis, spec.name)["Environment"]["Variables"]["RETENTION_DAYS"] == "2557"


# --- WebSocket API ------------------------------------------------------------------------------


def test_websocket_api_routes_go_to_the_function_serving_it(synthesis: Synthesis) -> None:
    from rpm_core.data.resources import WEBSOCKET_APIS

    (spec,) = WEBSOCKET_APIS
    (server,) = [f for f in catalog.FUNCTIONS if f.served_api == spec.name]
    (api,) = synthesis.websocket_api("AWS::ApiGatewayV2::Api").values()
    assert api["Properties"]["RouteSelectionExpression"] == spec.route_selection_expression
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in synthesis.websocket_api("AWS::ApiGatewayV2::Route").values()
    }
    assert set(routes) == set(spec.routes)
    for key, route in routes.items():
        integration_id = route["Target"]["Fn::Join"][1][1]["Ref"]
        uri = json.dumps(synthesis.template["Resources"][integration_id]["Properties"]["IntegrationUri"])
        assert f"Functions{server.name}Function" in uri
        assert ("RouteResponseSelectionExpression" in route) == (key in spec.two_way_routes)


def test_websocket_stage_throttles_and_logs_access_without_the_token(synthesis: Synthesis) -> None:
    (stage,) = synthesis.websocket_api("AWS::ApiGatewayV2::Stage").values()
    props = stage["Properties"]
    assert props["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50}
    log_format = json.loads(props["AccessLogSettings"]["Format"])
    assert {"requestId", "routeKey", "connectionId", "status"} <= set(log_format)
    assert not any("$request" in value or "querystring" in value.lower() for value in log_format.values())
    access_logs = props["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]
    assert "KmsKeyId" in synthesis.template["Resources"][access_logs]["Properties"]


def test_only_functions_that_manage_the_websocket_api_may_manage_connections(synthesis: Synthesis) -> None:
    for spec in catalog.FUNCTIONS:
        policy = json.dumps(
            by_logical_prefix(synthesis.resources("AWS::IAM::ManagedPolicy"), f"Functions{spec.name}RolePolicy")
        )
        assert ("execute-api:ManageConnections" in policy) == ("manage" in {access for _, access in spec.uses})
        if "execute-api:ManageConnections" in policy:
            assert "/live/POST/@connections/*" in policy
            assert '"execute-api:*"' not in policy


# --- devices ------------------------------------------------------------------------------------


def test_the_device_fleet_policy_binds_each_device_to_its_own_client_id_and_topic(synthesis: Synthesis) -> None:
    ((logical_id, policy),) = synthesis.resources("AWS::IoT::Policy").items()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert [statement["Action"] for statement in statements] == ["iot:Connect", "iot:Publish"]
    text = json.dumps(statements)
    assert "client/${iot:Connection.Thing.ThingName}" in text
    assert "topic/rpm/devices/${iot:Connection.Thing.ThingName}/readings" in text
    assert '"iot:Connection.Thing.IsAttached": "true"' in text
    provisioners = [spec.name for spec in catalog.FUNCTIONS if spec.iot_actions]
    assert provisioners == ["devices"]
    env = function_of(synthesis, "devices")["Environment"]["Variables"]
    assert env["IOT_POLICY_NAME"] == {"Ref": logical_id}


def test_ingest_takes_up_to_one_hundred_readings_gathered_for_at_most_a_second(synthesis: Synthesis) -> None:
    (ingest,) = [
        key for key in synthesis.resources("AWS::Lambda::Function") if key.startswith("FunctionsingestFunction")
    ]
    (mapping,) = [
        m["Properties"]
        for m in synthesis.resources("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": ingest}
    ]
    assert mapping["BatchSize"] == 100
    assert mapping["MaximumBatchingWindowInSeconds"] == 1
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


STACK_RESOURCE_BUDGET = 400
"""CloudFormation holds at most 500 resources per stack; past 400 the stack is split by concern (data, API,
ingest) in the change that crosses it, not at the wall."""


def test_each_http_function_has_one_invoke_permission_for_this_api(synthesis: Synthesis) -> None:
    """One statement per function, not one per route (each a stack resource, and the function's resource policy
    is limited to 20 KB); its source is this API's routes, and API Gateway invokes a function only from the
    routes integrated with it."""
    served = Counter(route.function for route in catalog.http_routes())
    permissions = [p["Properties"] for p in synthesis.resources("AWS::Lambda::Permission").values()]
    for name in served:
        (function,) = [
            k for k in synthesis.resources("AWS::Lambda::Function") if k.startswith(f"Functions{name}Function")
        ]
        mine = [p for p in permissions if json.dumps(p["FunctionName"]).find(f'"{function}"') != -1]
        assert all(p["Principal"] == "apigateway.amazonaws.com" for p in mine)
        assert all("HttpApi" in json.dumps(p["SourceArn"]) for p in mine)  # this API's, no other's
        assert len(mine) == 1 + (1 if name == "docs" else 0), (name, len(mine))  # docs: also $default


def test_the_stack_stays_within_its_resource_budget(synthesis: Synthesis) -> None:
    count = len(synthesis.template["Resources"])
    assert count <= STACK_RESOURCE_BUDGET, f"{count} resources: split the stack by concern"
    assert count > 100  # the whole stack was counted
    for name, nested in synthesis.nested.items():  # each nested stack is a stack of its own, with the same limit
        assert len(nested["Resources"]) <= STACK_RESOURCE_BUDGET, f"{name}: split it by concern"


def test_graphql_introspection_is_off_by_default(synthesis: Synthesis) -> None:
    (graphql,) = [
        f
        for f in synthesis.resources("AWS::Lambda::Function").values()
        if f["Properties"]["Handler"] == "graphqlapi.handler.lambda_handler"
    ]
    assert graphql["Properties"]["Environment"]["Variables"]["GRAPHQL_INTROSPECTION"] == "false"
