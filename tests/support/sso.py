"""Single sign-on as a client does it: the code flow with PKCE through the local hosted sign-in and its OpenID
provider (``infra.local.hosted_signin``), a browser's redirects followed by hand."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import requests

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Account

REDIRECT_URI = "http://localhost:8080/auth/callback"
"""One of cdk.json's ``ssoCallbackUrls``."""
IDP_PASSWORD = "Idp-Passw0rd!42"


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636 §4.1-4.2), computed here from the RFC, not by Authlib."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class Code:
    code: str
    verifier: str
    state: str


def idp_user(stack: LocalStack, groups: list[str], prefix: str = "sso") -> tuple[str, str]:
    """A new user of the local provider in ``groups``; returns (username, email)."""
    username = f"{prefix}-{uuid.uuid4().hex[:10]}"
    email = f"{username}@idp.example.com"
    stack.sso.provider.add_user(username, IDP_PASSWORD, email=email, name=f"IdP {prefix}", groups=groups)
    return username, email


def authorize(api: Api, provider: str, redirect_uri: str = REDIRECT_URI, challenge: str | None = None) -> str:
    """``GET /auth/sso/{provider}/authorize``'s Location."""
    _, made = pkce_pair()
    response = api.get(
        f"/auth/sso/{provider}/authorize?redirectUri={redirect_uri}&codeChallenge={challenge or made}&state=st4te-xyz"
    )
    assert response.status == 302, response
    return response.headers["location"]


def code_for(api: Api, stack: LocalStack, username: str, password: str = IDP_PASSWORD) -> Code:
    """Authorize → the provider's sign-in → the hosted sign-in's redirect with a code."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    provider = next(iter(stack.sso.providers))
    response = api.get(
        f"/auth/sso/{provider}/authorize?redirectUri={REDIRECT_URI}&codeChallenge={challenge}&state={state}"
    )
    assert response.status == 302, response
    to_idp = requests.get(response.headers["location"], allow_redirects=False, timeout=5)
    assert to_idp.status_code == 302, to_idp.text
    idp_authorize = to_idp.headers["Location"]
    signed_in = requests.post(
        idp_authorize.split("?")[0],
        data={**query_of(idp_authorize), "username": username, "password": password},
        allow_redirects=False,
        timeout=5,
    )
    assert signed_in.status_code == 302, signed_in.text
    back = requests.get(signed_in.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    location = back.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?"), location
    found = query_of(location)
    assert found["state"] == state
    return Code(code=found["code"], verifier=verifier, state=state)


def token_request(api: Api, stack: LocalStack, username: str, password: str = IDP_PASSWORD) -> dict[str, str]:
    """A ``POST /auth/sso/token`` body: a fresh code of ``username``'s sign-in, its verifier, the redirect URI."""
    code = code_for(api, stack, username, password)
    return {"code": code.code, "codeVerifier": code.verifier, "redirectUri": REDIRECT_URI}


def signed_in(api: Api, stack: LocalStack, username: str, password: str = IDP_PASSWORD) -> Account:
    """A new session of the provider's ``username``, through the whole flow; tokens as ``/auth/login``'s."""
    response = api.post("/auth/sso/token", json=token_request(api, stack, username, password))
    assert response.status == 200, response
    body = response.json()
    me = api.get("/me", token=body["accessToken"])
    assert me.status == 200, me
    return Account(
        email=me.json()["email"],
        password="",
        user_id=me.json()["userId"],
        access_token=body["accessToken"],
        id_token=body["idToken"],
        refresh_token=body["refreshToken"],
    )


def sso_sign_in(api: Api, stack: LocalStack, groups: list[str], prefix: str = "sso") -> Account:
    """A new federated user in ``groups``, signed in."""
    username, _ = idp_user(stack, groups, prefix)
    return signed_in(api, stack, username)
