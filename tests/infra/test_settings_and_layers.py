"""Context parsing and the deps-layer build recipe (no synthesis, no pip)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra import layers
from infra.settings import DEFAULT_LOG_RETENTION_DAYS, Settings, settings_of


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
    with pytest.raises(ValueError, match="explicit environment"):
        settings_from({})


def test_unsupported_log_retention_is_rejected() -> None:
    with pytest.raises(ValueError, match="logRetentionDays=100"):
        settings_from({"account": "1", "region": "us-east-1", "logRetentionDays": 100})


def test_deps_layer_holds_the_runtime_dependencies_for_arm64() -> None:
    requirements = layers.runtime_requirements()
    assert any(requirement.startswith("aws-lambda-powertools") for requirement in requirements)
    command = layers.pip_command(requirements, Path("/tmp/target"))
    assert "manylinux2014_aarch64" in command
    assert command[command.index("--python-version") + 1] == "3.12"
    assert "--only-binary=:all:" in command


def test_deps_layer_build_is_skipped_while_the_stamp_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(layers.subprocess, "run", lambda command, check: calls.append(command))
    out = tmp_path / "deps"
    assert layers.build_deps_layer(out, ["pyjwt>=2.10"]) == out
    assert layers.build_deps_layer(out, ["pyjwt>=2.10"]) == out
    assert len(calls) == 1
    layers.build_deps_layer(out, ["pyjwt>=2.11"])
    assert len(calls) == 2
