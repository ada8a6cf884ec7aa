"""The user pool's pre-token-generation trigger (the ``tokens`` function), on Cognito's own events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tokens.handler import lambda_handler

EVENT = Path(__file__).resolve().parents[2] / "events" / "tokens" / "sign_in.json"


def _event(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(EVENT.read_text())
    event.update(changes)
    return event


@pytest.mark.parametrize("source", ["TokenGeneration_Authentication", "TokenGeneration_RefreshTokens"])
def test_access_tokens_lose_the_self_service_scope_on_sign_in_and_refresh(source: str) -> None:
    answer = lambda_handler(_event(triggerSource=source), None)
    details = answer["response"]["claimsAndScopeOverrideDetails"]
    assert details == {"accessTokenGeneration": {"scopesToSuppress": ["aws.cognito.signin.user.admin"]}}
    assert answer["request"] == _event()["request"]  # Cognito takes the event back: nothing else changes


def test_an_override_already_in_the_answer_is_kept() -> None:
    event = _event()
    event["response"]["claimsAndScopeOverrideDetails"] = {"idTokenGeneration": {"claimsToSuppress": ["email"]}}
    details = lambda_handler(event, None)["response"]["claimsAndScopeOverrideDetails"]
    assert details["idTokenGeneration"] == {"claimsToSuppress": ["email"]}
    assert details["accessTokenGeneration"]["scopesToSuppress"] == ["aws.cognito.signin.user.admin"]


def test_a_version_1_event_fails_the_sign_in() -> None:
    """Version 1 cannot change an access token: a pool wired to version 1 signs nobody in rather than issuing
    tokens with the self-service scope."""
    with pytest.raises(ValueError, match="version 2"):
        lambda_handler(_event(version="1"), None)
