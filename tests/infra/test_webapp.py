"""The web app's nested stack: a private, logged bucket read by CloudFront through Origin Access Control only,
security headers whose Content-Security-Policy names the APIs and the attachment store and nothing else, and
config.json written at deploy time with the APIs' URLs (from the main stack, not hard-coded)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.infra.conftest import Synthesis


@pytest.fixture(scope="module")
def web(synthesis: Synthesis) -> dict[str, Any]:
    return synthesis.nested["WebApp"]


def _of(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == kind]


def test_the_site_bucket_is_private_encrypted_and_logged(web: dict[str, Any]) -> None:
    buckets = _of(web, "AWS::S3::Bucket")
    site = next(b for b in buckets if "LoggingConfiguration" in b["Properties"])
    props = site["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }  # fmt: skip
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    policies = json.dumps(_of(web, "AWS::S3::BucketPolicy"))
    assert "cloudfront.amazonaws.com" in policies  # Origin Access Control: CloudFront's service principal
    assert '"aws:SecureTransport": "false"' in policies


def test_cloudfront_reads_the_bucket_through_origin_access_control_over_https(web: dict[str, Any]) -> None:
    (distribution,) = _of(web, "AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    assert _of(web, "AWS::CloudFront::OriginAccessControl")
    assert all("OriginAccessControlId" in origin for origin in config["Origins"])
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["DefaultRootObject"] == "index.html"
    assert config["Logging"]["Prefix"] == "cloudfront/"
    assert "ResponseHeadersPolicyId" in config["DefaultCacheBehavior"]


def test_the_content_security_policy_allows_only_the_apis_and_the_attachment_store(web: dict[str, Any]) -> None:
    (policy,) = _of(web, "AWS::CloudFront::ResponseHeadersPolicy")
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = json.dumps(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    parameters = set(web["Parameters"])
    referenced = {name for name in parameters if name in csp}
    assert any("HttpApi" in name for name in referenced)
    assert any("WebSocketApis" in name for name in referenced)
    assert any("AttachmentFiles" in name for name in referenced)
    assert "*" not in csp.replace("Fn::", "")
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["FrameOptions"]["FrameOption"] == "DENY"


def test_config_json_is_written_at_deploy_time_with_the_api_urls(web: dict[str, Any], synthesis: Synthesis) -> None:
    (deployment,) = _of(web, "Custom::CDKBucketDeployment")
    markers = json.dumps(deployment["Properties"]["SourceMarkers"])
    assert "HttpApi" in markers
    assert "WebSocketApis" in markers
    assert deployment["Properties"]["Prune"] is True
    assert deployment["Properties"]["DistributionPaths"] == ["/*"]
    outputs = synthesis.template["Outputs"]
    assert "WebAppUrl" in outputs
