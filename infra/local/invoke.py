"""Invoke one function with an event file, on a fresh local stack, and print what it returns.

    python -m infra.local.invoke <function> <event.json>

The sample events in ``events/`` carry placeholders for what only a running stack knows: the
admin principal's user id and the bearer token. Both are filled in with the stack's first admin
(its user id, and an access token from a real login) before the function is invoked.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from infra.paths import use_lambda_paths

use_lambda_paths()

ADMIN_USER_ID_PLACEHOLDER = "00000000-0000-4000-8000-000000000001"
"""The user id (``sub``) of the admin in the sample events' JWT claims."""
SESSION_PLACEHOLDER = "00000000-0000-4000-8000-0000000000a1"
"""The session (``origin_jti``) in the sample events' JWT claims: each invocation gets a fresh one, so
that invoking the logout sample revokes only its own."""
CLIENT_ID_PLACEHOLDER = "REPLACE-WITH-THE-APP-CLIENT-ID"
"""The app client id (``client_id``) in the sample events' JWT claims."""
ACCESS_TOKEN_PLACEHOLDER = "REPLACE-WITH-AN-ACCESS-TOKEN"  # noqa: S105 - a placeholder, not a secret
"""The bearer token in the sample events' ``authorization`` header and ``identitySource``."""


def fill_placeholders(event: dict[str, Any], admin_user_id: str, access_token: str, client_id: str) -> dict[str, Any]:
    """The event with the admin placeholders replaced by a real user id, access token and app client id."""
    text = json.dumps(event)
    for placeholder, value in (
        (ADMIN_USER_ID_PLACEHOLDER, admin_user_id),
        (ACCESS_TOKEN_PLACEHOLDER, access_token),
        (CLIENT_ID_PLACEHOLDER, client_id),
        (SESSION_PLACEHOLDER, str(uuid.uuid4())),
    ):
        text = text.replace(placeholder, value)
    filled: dict[str, Any] = json.loads(text)
    return filled


def _readable(result: Any) -> Any:
    """An HTTP result with its JSON body parsed, so that the printout reads easily."""
    if isinstance(result, dict) and isinstance(result.get("body"), str) and not result.get("isBase64Encoded"):
        try:
            return {**result, "body": json.loads(result["body"])}
        except ValueError:
            return result
    return result


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Invoke one function of the catalog with an event, on a local stack.")
    parser.add_argument("function", help="a function of infra/catalog.py, e.g. patients")
    parser.add_argument("event", type=Path, help="an event file, e.g. events/patients/get_patient.json")
    parser.add_argument("--raw", action="store_true", help="print the result as returned (body not parsed)")
    options = parser.parse_args(arguments)

    from infra.local.stack import LocalStack
    from rpm_core.services.accounts import log_in

    event = json.loads(options.event.read_text())
    stack = LocalStack(port=0).start()
    try:
        token = log_in(stack.admin_email, stack.admin_password).accessToken
        event = fill_placeholders(event, stack.admin_user_id, token, stack.user_pool_client_id)
        try:
            result = stack.runtime.invoke(options.function, event)
        except Exception as error:  # a handler that raised: print it as Lambda would report it
            print(f"{options.function} raised {type(error).__name__}: {error}")
            return 1
        print(json.dumps(result if options.raw else _readable(result), indent=2, default=str))
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
