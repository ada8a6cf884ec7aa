"""The web app (``web/dist``, built by ``make web``): a private S3 bucket behind CloudFront (Origin Access
Control), security headers with a Content-Security-Policy that allows only this origin, the HTTP and WebSocket
APIs and the attachment store, and ``config.json`` written at deploy time with the APIs' URLs. A nested stack of
its own (a concern apart, and some 20 resources the main stack's budget need not carry).

The HTTP API answers the app's origin only when it is listed in context ``corsOrigins`` (the distribution's
domain, output ``WebAppUrl``, or a custom domain in front of it): the API cannot name the distribution itself,
which names the API in its policy and configuration (a dependency cycle).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from aws_cdk import Duration, Fn, NestedStack, RemovalPolicy, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.nag import acknowledge, as_finding
from infra.paths import ROOT
from infra.web import content_security_policy

DIST = ROOT / "web" / "dist"


def origin_of(url: str) -> str:
    """``https://host/stage/`` (a deploy-time token) → ``https://host``."""
    return Fn.join("", [Fn.select(0, Fn.split("//", url)), "//", Fn.select(2, Fn.split("/", url))])


class WebApp(NestedStack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        api_url: str,
        websocket_url: str,
        storage_origins: tuple[str, ...],
        stage: str,
        dist: Path = DIST,
    ) -> None:
        super().__init__(scope, construct_id, description=f"Remote patient monitoring: the web app ({stage})")
        if not (dist / "index.html").is_file():
            raise FileNotFoundError(f"{dist}/index.html is missing: build the web app first (make web)")
        self.logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # log delivery (S3 and CloudFront) cannot use a KMS key
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,  # CloudFront standard logs need ACLs
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.logs,
            "HIPAA.Security-S3DefaultEncryptionKMS",
            "S3 server access logs and CloudFront standard logs are delivered only to SSE-S3 buckets; they hold "
            "request metadata for the app's static files, never patient data (the app's data comes from the API).",
        )
        acknowledge(
            self.logs,
            "HIPAA.Security-S3BucketReplicationEnabled",
            "Access logs are operational records kept in-region; replication is a deployment choice.",
        )
        self.bucket = s3.Bucket(
            self,
            "Site",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix="site/",
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.bucket,
            "HIPAA.Security-S3DefaultEncryptionKMS",
            "The bucket holds the app's public build (JavaScript, CSS, HTML) and config.json (the API's URLs): no "
            "patient data. SSE-S3 encrypts it at rest; a KMS key would only add a key policy for CloudFront.",
        )
        acknowledge(
            self.bucket,
            "HIPAA.Security-S3BucketReplicationEnabled",
            "The bucket's content is rebuilt from the repository on every deploy; replication adds nothing.",
        )
        policy = content_security_policy(
            (origin_of(api_url), origin_of(websocket_url), *storage_origins), storage_origins
        )
        headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="The web app's security headers: its CSP allows only the APIs and the attachment store",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=policy, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365), include_subdomains=True, override=True
                ),
            ),
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"RPM web app ({stage})",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                compress=True,
            ),
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_logging=True,
            log_bucket=self.logs,
            log_file_prefix="cloudfront/",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR1",
            "Who may use the app is decided by sign-in (Cognito) and the API's visibility rules, not by country; a "
            "deployment that must restrict countries adds a geo restriction.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR2",
            "The distribution serves static files only (no patient data, no writes); the API keeps its own "
            "throttling. A WAF web ACL is a deployment choice with its own monthly cost.",
        )
        acknowledge(
            self.distribution,
            "AwsSolutions-CFR4",
            "CloudFront's default certificate (*.cloudfront.net) has a fixed security policy; a deployment that "
            "puts a custom domain in front configures its certificate and TLSv1.2_2021 there.",
        )
        self.deployment = s3deploy.BucketDeployment(
            self,
            "Files",
            sources=[
                s3deploy.Source.asset(str(dist)),
                s3deploy.Source.json_data("config.json", {"apiUrl": api_url, "wsUrl": websocket_url}),
            ],
            destination_bucket=self.bucket,
            distribution=self.distribution,
            distribution_paths=["/*"],
            prune=True,
            memory_limit=256,
        )
        self._acknowledge_deployment_handler()
        self.url = f"https://{self.distribution.distribution_domain_name}"

    def _acknowledge_deployment_handler(self) -> None:
        """BucketDeployment's handler: CDK's own custom resource, run by CloudFormation at deploy time only."""
        handler = next(c for c in self.node.children if c.node.id.startswith("Custom::CDKBucketDeployment"))
        for rule, reason in DEPLOYMENT_HANDLER.items():
            acknowledge(handler, rule, reason)
        policy = handler.node.find_child("ServiceRole").node.find_child("DefaultPolicy")
        document = Stack.of(self).resolve(cast(iam.Policy, policy).document.to_json())
        for statement in document["Statement"]:
            for kind, key in (("Action", "Action"), ("Resource", "Resource")):
                values = statement.get(key, [])
                for value in values if isinstance(values, list) else [values]:
                    finding = as_finding(value)
                    if "*" in finding:
                        acknowledge(handler, f"AwsSolutions-IAM5[{kind}::{finding}]", WILDCARDS)


DEPLOYMENT_HANDLER = {
    "HIPAA.Security-LambdaConcurrency": "CDK's BucketDeployment handler runs only when CloudFormation deploys the "
    "app (one invocation per deploy); no request path reaches it.",
    "HIPAA.Security-LambdaDLQ": "CloudFormation invokes the custom resource and waits for its answer: a failure "
    "fails and rolls back the deployment, with no event left to redeliver.",
    "HIPAA.Security-LambdaInsideVPC": "It copies the app's static build from the CDK asset bucket to the site "
    "bucket and invalidates CloudFront: public AWS endpoints only, no patient data.",
    "HIPAA.Security-IAMNoInlinePolicy": "CDK's BucketDeployment grants its handler through the role's default "
    "inline policy, scoped to the asset bucket, the site bucket and the distribution; the role serves nothing else.",
    "HIPAA.Security-CloudWatchLogGroupEncrypted": "The handler logs the file names of the app's public build and "
    "CloudFormation request ids, never patient data; the log group keeps CloudWatch's default encryption.",
    "AwsSolutions-L1": "The handler's runtime is chosen by aws-cdk-lib's BucketDeployment and moves with it "
    "(uv.lock pins aws-cdk-lib).",
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]": (
        "The CloudWatch Logs writes CDK attaches to its own custom-resource handler."
    ),
}
WILDCARDS = (
    "CDK's grants for the copy (BucketDeployment): read of the bootstrap asset bucket's objects, write and delete "
    "(prune) of the site bucket's objects only, and CloudFront invalidation (no resource-level permissions)."
)
