"""Context parsing, the deps-layer build recipe and the pinned toolchain (no synthesis, no install)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from infra import layers
from infra.paths import ROOT
from infra.settings import DEFAULT_LOG_RETENTION_DAYS, MissingEnvironment, Settings, settings_of


class FakeNode:
    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context

    def try_get_context(self, key: str) -> Any:
        return self.context.get(key)


class FakeApp:
    def __init__(self, context: dict[str, Any]) -> None:
        self.node = FakeNode(context)


def settings_from(context: dict[str, Any]) -> Settings:
    return settings_of(FakeApp(context))  # type: ignore[arg-type]


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_DEFAULT_ACCOUNT", "111111111111")
    monkeypatch.setenv("CDK_DEFAULT_REGION", "eu-west-1")
    monkeypatch.delenv("RPM_DEPS_LAYER_PATH", raising=False)
    settings = settings_from({})
    assert (settings.account, settings.region) == ("111111111111", "eu-west-1")
    assert settings.session_lifetime_seconds == 24 * 3600
    assert settings.auto_confirm_signup is False
    assert settings.log_retention_days == DEFAULT_LOG_RETENTION_DAYS
    assert settings.reserved_concurrency is None
    assert (settings.throttle_rate_limit, settings.throttle_burst_limit) == (50, 100)
    assert settings.cors_origins == ()
    assert settings.deps_layer_path is None


def test_cli_context_strings_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    settings = settings_from(
        {
            "account": "222222222222",
            "region": "us-west-2",
            "sessionLifetimeHours": "12",
            "autoConfirmSignup": "true",
            "logRetentionDays": "365",
            "reservedConcurrency": "5",
            "corsOrigins": "https://a.example, https://b.example",
            "depsLayerPath": "/tmp/deps",
        }
    )
    assert settings.account == "222222222222"
    assert settings.session_lifetime_seconds == 12 * 3600
    assert settings.auto_confirm_signup is True
    assert settings.reserved_concurrency == 5
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.deps_layer_path == Path("/tmp/deps")


def test_an_explicit_environment_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    monkeypatch.delenv("CDK_DEFAULT_REGION", raising=False)
    with pytest.raises(MissingEnvironment, match="explicit environment") as raised:
        settings_from({})
    assert "make synth ACCOUNT=123456789012 REGION=eu-west-1" in str(raised.value)


def test_unsupported_log_retention_is_rejected() -> None:
    with pytest.raises(ValueError, match="logRetentionDays=100"):
        settings_from({"account": "1", "region": "us-east-1", "logRetentionDays": 100})


def test_deps_layer_holds_the_locked_runtime_dependencies_with_hashes() -> None:
    requirements = layers.exported_requirements()
    pinned = {line.split("==")[0] for line in requirements.splitlines() if "==" in line}
    assert {"aws-lambda-powertools", "boto3", "pydantic", "email-validator"} <= pinned
    assert {"pyjwt", "cryptography"} <= pinned  # the live function's token check (loaded on its first token only)
    assert pinned.isdisjoint({"rpm-backend", "moto", "werkzeug", "aws-cdk-lib", "pytest", "uv"}), pinned
    assert all(line.startswith("    --hash=sha256:") or "==" in line for line in requirements.splitlines())


def test_deps_layer_installs_binary_wheels_for_lambda_arm64_by_hash() -> None:
    command = layers.install_command(Path("/tmp/requirements.txt"), Path("/tmp/target"))
    assert command[command.index("--python-platform") + 1] == "aarch64-manylinux_2_28"
    assert command[command.index("--python-version") + 1] == "3.12"
    assert command[command.index("--only-binary") + 1] == ":all:"
    assert {"--require-hashes", "--no-deps"} <= set(command)
    host = layers.install_command(Path("/tmp/requirements.txt"), Path("/tmp/target"), layers.HOST)
    assert not {"--python-platform", "--python-version"} & set(host)


def test_deps_layer_build_is_skipped_while_the_stamp_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(layers.subprocess, "run", lambda command, check: calls.append(command))
    out = tmp_path / "deps"
    locked = "pyjwt==2.10.1 \\\n    --hash=sha256:00\n"
    assert layers.build_deps_layer(out, requirements=locked) == out
    assert layers.build_deps_layer(out, requirements=locked) == out
    assert len(calls) == 1
    layers.build_deps_layer(out, requirements=locked.replace("2.10.1", "2.10.2"))
    assert len(calls) == 2
    layers.build_deps_layer(out, target=layers.HOST, requirements=locked.replace("2.10.1", "2.10.2"))
    assert len(calls) == 3


def test_the_cdk_cli_is_pinned_to_an_exact_locked_version() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    version = package["devDependencies"]["aws-cdk"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    assert locked["node_modules/aws-cdk"]["version"] == version
    assert locked["node_modules/aws-cdk"]["integrity"].startswith("sha512-")


def test_the_stage_is_prod_unless_told_and_dev_keeps_logs_a_month_without_deletion_protection() -> None:
    prod = settings_from({"account": "1", "region": "us-east-1"})
    assert (prod.stage, prod.deletion_protection, prod.log_retention_days) == ("prod", True, 2192)
    dev = settings_from({"account": "1", "region": "us-east-1", "stage": "dev", "alarmEmails": "ops@example.org"})
    assert (dev.stage, dev.deletion_protection, dev.log_retention_days) == ("dev", False, 30)
    assert dev.alarm_emails == ("ops@example.org",)
    kept = settings_from({"account": "1", "region": "us-east-1", "stage": "dev", "logRetentionDays": 365})
    assert kept.log_retention_days == 365  # an explicit retention wins over the stage's default
    with pytest.raises(ValueError, match="stage='staging'"):
        settings_from({"account": "1", "region": "us-east-1", "stage": "staging"})
