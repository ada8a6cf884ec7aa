"""Cognito's hosted sign-in and one OpenID provider, for the local stack: the single sign-on code flow end to end.

moto serves no hosted sign-in. ``LocalHostedSignIn`` stands in for the user pool domain (``/oauth2/authorize``,
``/oauth2/idpresponse``, ``/oauth2/token``, ``/logout``) on moto's own user pool: the single sign-on client and
the identity providers are the ones the local stack created in moto (``CreateUserPoolClient``,
``CreateIdentityProvider``), read back from moto as Cognito reads its configuration. ``LocalOidcProvider`` is an
OpenID provider (discovery, a sign-in form, ``/token``, JWKS) with the users a test or ``make dev`` gives it.

As Cognito does: the authorize request names a client, a callback URL the client declares, a provider the client
supports and a PKCE challenge (S256 only); the provider's ID token is verified (signature, issuer, audience,
nonce: joserfc); the federated user ``<provider>_<subject>`` is made or updated from the provider's claims by the
provider's attribute mapping (a list claim as Cognito renders it, ``[a, b]``), with ``identities``; the code is
single-use, lives five minutes, is bound to the client, the redirect URI and the challenge, and is exchanged only
with the verifier (Authlib's RFC 7636 helpers). The tokens are moto's, made as moto makes them for a password
sign-in (the pre-token-generation trigger applied, ``infra.local.moto_cognito``), so the gateway's JWT check,
refresh and revocation treat them exactly as a password user's.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oauth2.rfc7636.challenge import CODE_VERIFIER_PATTERN
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, cognitoidp_backends
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

CODE_LIFETIME_SECONDS = 300
PROVIDER_PREFIX = "/idp"
"""Where the local OpenID provider lives on the same server (its issuer is ``<base>/idp``)."""


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    return _json({"error": error, "error_description": description}, status)


def _redirect(location: str) -> Response:
    return Response("", status=302, headers={"Location": location})


def _with_query(url: str, **params: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def cognito_value(value: Any) -> str:
    """A claim as Cognito stores it in a string attribute: a list as ``[a, b]``, a boolean as ``true``."""
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class IdpUser:
    password: str
    email: str
    name: str
    groups: list[str]
    subject: str = field(default_factory=lambda: secrets.token_hex(12))


class LocalOidcProvider:
    """An OpenID provider: ``/.well-known/openid-configuration``, ``/authorize`` (a sign-in form), ``/token``,
    ``/jwks``; ID tokens signed RS256 with its own key, carrying ``email``, ``name`` and ``groups``."""

    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "local-idp", "use": "sig"}, private=True)
        self.group_claim, self.email_claim, self.name_claim = "groups", "email", "name"
        self.users: dict[str, IdpUser] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def add_user(self, username: str, password: str, *, email: str, name: str, groups: list[str]) -> IdpUser:
        user = IdpUser(password=password, email=email, name=name, groups=list(groups))
        self.users[username] = user
        return user

    def handle(self, request: Request, path: str) -> Response:
        if path == "/.well-known/openid-configuration":
            return _json(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )
        if path == "/jwks":
            return _json({"keys": [self.key.as_dict(private=False)]})
        if path == "/authorize":
            return self._authorize(request)
        if path == "/token" and request.method == "POST":
            return self._token(request)
        return _json({"error": "not_found"}, 404)

    def _authorize(self, request: Request) -> Response:
        params = request.values
        if params.get("client_id") != self.client_id or params.get("response_type") != "code":
            return _oauth_error("unauthorized_client", "unknown client or response type")
        if request.method == "GET":  # the sign-in form, the OAuth parameters kept in hidden fields
            hidden = "".join(
                f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
                for name, value in params.items()
                if name in ("client_id", "response_type", "redirect_uri", "state", "nonce", "scope")
            )
            form = (
                f'<form method="post">{hidden}<input name="username"><input name="password" type="password">'
                "<button>Sign in</button></form>"
            )
            return Response(f"<!doctype html><title>Local IdP</title>{form}", content_type="text/html")
        user = self.users.get(str(params.get("username", "")))
        if user is None or not secrets.compare_digest(user.password, str(params.get("password", ""))):
            return Response("wrong username or password", status=401, content_type="text/plain")
        code = generate_token(40)
        with self._lock:
            self._codes[code] = {
                "user": user,
                "redirect_uri": params.get("redirect_uri"),
                "nonce": params.get("nonce"),
                "expires": time.time() + CODE_LIFETIME_SECONDS,
            }
        return _redirect(_with_query(str(params.get("redirect_uri")), code=code, state=str(params.get("state", ""))))

    def _token(self, request: Request) -> Response:
        form = request.form
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if request.authorization and request.authorization.type == "basic":
            client_id, client_secret = request.authorization.username, request.authorization.password
        if client_id != self.client_id or not secrets.compare_digest(str(client_secret or ""), self.client_secret):
            return _oauth_error("invalid_client", "client authentication failed", 401)
        with self._lock:
            grant = self._codes.pop(str(form.get("code", "")), None)
        if grant is None or grant["expires"] < time.time() or grant["redirect_uri"] != form.get("redirect_uri"):
            return _oauth_error("invalid_grant", "unknown, used or expired code")
        user: IdpUser = grant["user"]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": user.subject,
            "iat": now,
            "exp": now + 300,
            self.email_claim: user.email,
            "email_verified": True,
            self.name_claim: user.name,
            self.group_claim: user.groups,
            **({"nonce": grant["nonce"]} if grant["nonce"] else {}),
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "local-idp"}, claims, self.key)
        return _json(
            {"access_token": generate_token(32), "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        )

    def verified_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        """What the hosted sign-in checks of this provider's ID token (it knows the keys: ``/jwks``)."""
        keys = KeySet.import_key_set({"keys": [self.key.as_dict(private=False)]})
        token = jwt.decode(id_token, keys, algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
        return dict(token.claims)


class LocalHostedSignIn:
    """The user pool domain's OAuth endpoints, on moto's pool (its single sign-on client and providers)."""

    def __init__(self, *, account: str, region: str, user_pool_id: str, host: str = "127.0.0.1") -> None:
        self.account, self.region, self.user_pool_id, self.host = account, region, user_pool_id, host
        self.providers: dict[str, LocalOidcProvider] = {}
        self._pending: dict[str, dict[str, Any]] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def start(self, port: int = 0) -> LocalHostedSignIn:
        self._server: BaseWSGIServer = make_server(self.host, port, self, threaded=True)
        self.base_url = f"http://{self.host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="hosted-signin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def oidc_provider(self, name: str, client_id: str, client_secret: str) -> LocalOidcProvider:
        """A local OpenID provider served here, at ``<base>/idp/<name>`` (its issuer)."""
        provider = LocalOidcProvider(f"{self.base_url}{PROVIDER_PREFIX}/{name}", client_id, client_secret)
        self.providers[name] = provider
        return provider

    @property
    def pool(self) -> CognitoIdpUserPool:
        pool: CognitoIdpUserPool = cognitoidp_backends[self.account][self.region].user_pools[self.user_pool_id]
        return pool

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        return self.handle(request)(environ, start_response)

    def handle(self, request: Request) -> Response:
        path = request.path
        if path.startswith(PROVIDER_PREFIX + "/"):
            name, _, rest = path[len(PROVIDER_PREFIX) + 1 :].partition("/")
            provider = self.providers.get(name)
            return provider.handle(request, "/" + rest) if provider else _json({"error": "not_found"}, 404)
        routes = {
            ("GET", "/oauth2/authorize"): self._authorize,
            ("GET", "/oauth2/idpresponse"): self._idp_response,
            ("POST", "/oauth2/token"): self._token,
            ("GET", "/logout"): self._logout,
        }
        handler = routes.get((request.method, path))
        return handler(request) if handler else _json({"error": "not_found"}, 404)

    def _client(self, client_id: str | None) -> Any:
        client = self.pool.clients.get(str(client_id or ""))
        if client is None or "code" not in (client.extended_config.get("AllowedOAuthFlows") or []):
            return None
        return client

    def _authorize(self, request: Request) -> Response:
        params = request.args
        client = self._client(params.get("client_id"))
        if client is None:
            return _oauth_error("invalid_client", "unknown client, or one without the code flow")
        redirect_uri = str(params.get("redirect_uri", ""))
        if redirect_uri not in (client.extended_config.get("CallbackURLs") or []):
            return _oauth_error("redirect_mismatch", "the redirect URI is not one of the client's callback URLs")
        state = str(params.get("state", ""))
        if params.get("response_type") != "code":
            return _redirect(_with_query(redirect_uri, error="unsupported_response_type", state=state))
        name = str(params.get("identity_provider", ""))
        if name not in (client.extended_config.get("SupportedIdentityProviders") or []) or name not in self.providers:
            return _redirect(_with_query(redirect_uri, error="invalid_request", state=state))
        challenge = str(params.get("code_challenge", ""))
        if params.get("code_challenge_method") != "S256" or len(challenge) != 43:
            return _redirect(_with_query(redirect_uri, error="invalid_request", state=state))
        details = self.pool.identity_providers[name].extended_config["ProviderDetails"]
        provider = self.providers[name]
        session = OAuth2Session(
            details["client_id"],
            details["client_secret"],
            scope=details.get("authorize_scopes", "openid"),
            redirect_uri=f"{self.base_url}/oauth2/idpresponse",
        )
        nonce = generate_token(24)
        url, internal_state = session.create_authorization_url(f"{provider.issuer}/authorize", nonce=nonce)
        with self._lock:
            self._pending[internal_state] = {
                "client_id": client.id,
                "redirect_uri": redirect_uri,
                "state": state,
                "provider": name,
                "nonce": nonce,
                "challenge": challenge,
                "scopes": str(params.get("scope", "openid")).split(),
            }
        return _redirect(url)

    def _idp_response(self, request: Request) -> Response:
        with self._lock:
            pending = self._pending.pop(str(request.args.get("state", "")), None)
        if pending is None:
            return _oauth_error("invalid_request", "unknown or used state")
        back = pending["redirect_uri"]
        if "code" not in request.args:
            return _redirect(_with_query(back, error="access_denied", state=pending["state"]))
        name = pending["provider"]
        details = self.pool.identity_providers[name].extended_config
        provider = self.providers[name]
        session = OAuth2Session(
            details["ProviderDetails"]["client_id"],
            details["ProviderDetails"]["client_secret"],
            redirect_uri=f"{self.base_url}/oauth2/idpresponse",
        )
        try:
            token = session.fetch_token(f"{provider.issuer}/token", code=request.args["code"])
            claims = provider.verified_claims(token["id_token"], pending["nonce"])
        except (JoseError, KeyError, ValueError) as error:
            return _redirect(_with_query(back, error="invalid_request", error_description=type(error).__name__))
        username = self._federated_user(name, claims, details.get("AttributeMapping") or {})
        code = generate_token(48)
        with self._lock:
            self._codes[code] = {**pending, "username": username, "expires": time.time() + CODE_LIFETIME_SECONDS}
        return _redirect(_with_query(back, code=code, state=pending["state"]))

    def _federated_user(self, provider: str, claims: dict[str, Any], mapping: dict[str, str]) -> str:
        """The federated user ``<provider>_<sub>``, made at the first sign-in and its mapped attributes updated
        at every one, as Cognito does."""
        pool = self.pool
        username = f"{provider}_{claims['sub']}"
        attributes = {
            attribute: cognito_value(claims[claim])
            for attribute, claim in mapping.items()
            if attribute != "username" and claim in claims
        }
        user = pool.users.get(username)
        if user is None:
            identities = [
                {
                    "userId": str(claims["sub"]),
                    "providerName": provider,
                    "providerType": "OIDC",
                    "issuer": None,
                    "primary": "true",
                    "dateCreated": str(int(time.time() * 1000)),
                }
            ]
            user = CognitoIdpUser(
                pool.id,
                username,
                None,
                "EXTERNAL_PROVIDER",
                [{"Name": name, "Value": value} for name, value in attributes.items()],
            )
            user.update_attributes([{"Name": "identities", "Value": json.dumps(identities)}])
            pool.users[username] = user
        else:
            user.update_attributes([{"Name": name, "Value": value} for name, value in attributes.items()])
        return username

    def _token(self, request: Request) -> Response:
        form = request.form
        if form.get("grant_type") != "authorization_code":
            return _oauth_error("unsupported_grant_type", "only authorization_code is served here")
        client = self._client(form.get("client_id"))
        if client is None:
            return _oauth_error("invalid_client", "unknown client", 401)
        with self._lock:
            grant = self._codes.pop(str(form.get("code", "")), None)  # single use, whatever follows
        if grant is None or grant["expires"] < time.time() or grant["client_id"] != client.id:
            return _oauth_error("invalid_grant", "unknown, used or expired code")
        if grant["redirect_uri"] != form.get("redirect_uri"):
            return _oauth_error("invalid_grant", "the code was issued for another redirect URI")
        verifier = str(form.get("code_verifier", ""))
        if not CODE_VERIFIER_PATTERN.match(verifier) or not secrets.compare_digest(
            create_s256_code_challenge(verifier), grant["challenge"]
        ):
            return _oauth_error("invalid_grant", "the code verifier does not match the challenge")
        pool = self.pool
        refresh_token, origin_jti = pool.create_refresh_token(client.id, grant["username"])
        access_token, expires_in = pool.create_access_token(client.id, grant["username"], origin_jti)
        id_token, _ = pool.create_id_token(client.id, grant["username"], origin_jti)
        return _json(
            {
                "access_token": access_token,
                "id_token": id_token,
                "refresh_token": refresh_token,
                "expires_in": expires_in,
                "token_type": "Bearer",
            }
        )

    def _logout(self, request: Request) -> Response:
        client = self._client(request.args.get("client_id"))
        logout_uri = str(request.args.get("logout_uri", ""))
        if client is None or logout_uri not in (client.extended_config.get("LogoutURLs") or []):
            return _oauth_error("invalid_request", "unknown client or logout URI")
        return _redirect(logout_uri)


LOCAL_PROVIDER = {"name": "LocalIdP", "type": "oidc", "issuer": "http://127.0.0.1/idp", "clientId": "local-idp",
                  "clientSecretName": "local"}  # fmt: skip
"""The one provider of a local stack whose context declares none: an OpenID provider served here."""
DEMO_USERS: tuple[tuple[str, str, str, str, list[str]], ...] = (
    ("clinician", "Clinician-Passw0rd!", "sso-clinician@example.com", "SSO Clinician", ["rpm-clinicians"]),
    ("patient", "Patient-Passw0rd!", "sso-patient@example.com", "SSO Patient", []),
)
"""``make dev``'s users of the local provider (username, password, email, name, groups)."""


@dataclass
class LocalSingleSignOn:
    """What the local stack makes of the single sign-on declaration (``infra.sso``): each declared provider (or
    ``LOCAL_PROVIDER``) created in moto and stood in for by a local OpenID provider, the single sign-on client,
    and the hosted sign-in serving them."""

    hosted: LocalHostedSignIn
    client_id: str
    config: Any
    providers: dict[str, LocalOidcProvider]

    @property
    def provider(self) -> LocalOidcProvider:
        """The first provider (the only one of a local stack without declared providers)."""
        return next(iter(self.providers.values()))


def create_single_sign_on(
    cognito: Any, *, account: str, region: str, user_pool_id: str, context: dict[str, Any], port: int = 0
) -> LocalSingleSignOn:
    from infra.sso import (
        SSO_CLIENT_READ_ATTRIBUTES,
        SSO_CLIENT_WRITE_ATTRIBUTES,
        SsoConfig,
        attribute_mapping,
        sso_config,
    )
    from rpm_core.services.sso import OAUTH_SCOPES

    def get(key: str) -> Any:
        value = context.get(key)
        if key == "ssoProviders" and not value:
            return [LOCAL_PROVIDER]
        if key == "ssoDomainPrefix" and not value:
            return "rpm-local"
        return value

    config: SsoConfig = sso_config(get)
    hosted = LocalHostedSignIn(account=account, region=region, user_pool_id=user_pool_id).start(port)
    providers: dict[str, LocalOidcProvider] = {}
    for declared in config.providers:
        secret = secrets.token_urlsafe(24)
        provider = hosted.oidc_provider(declared.name, f"{declared.name.lower()}-client", secret)
        provider.group_claim = declared.group_claim
        provider.email_claim, provider.name_claim = declared.email_claim, declared.name_claim
        cognito.create_identity_provider(
            UserPoolId=user_pool_id,
            ProviderName=declared.name,
            ProviderType="OIDC",  # a declared SAML provider is stood in for by an OpenID one
            ProviderDetails={
                "client_id": provider.client_id,
                "client_secret": secret,
                "authorize_scopes": " ".join(declared.scopes),
                "oidc_issuer": provider.issuer,
                "attributes_request_method": "GET",
            },
            AttributeMapping={**attribute_mapping(declared), "username": "sub"},
        )
        providers[declared.name] = provider
    client = cognito.create_user_pool_client(
        UserPoolId=user_pool_id,
        ClientName="rpm-local-sso",
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthFlows=["code"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=list(OAUTH_SCOPES),
        CallbackURLs=list(config.callback_urls),
        LogoutURLs=list(config.logout_urls),
        SupportedIdentityProviders=list(providers),
        # Cognito puts ``identities`` into a federated user's ID token itself; moto only what the client reads
        ReadAttributes=[*SSO_CLIENT_READ_ATTRIBUTES, "identities"],
        WriteAttributes=list(SSO_CLIENT_WRITE_ATTRIBUTES),
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
    )["UserPoolClient"]
    return LocalSingleSignOn(hosted=hosted, client_id=client["ClientId"], config=config, providers=providers)
