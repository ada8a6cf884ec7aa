"""Sign-up, confirmation, login, refresh and logout (``/auth/*``); tickets for the live connect (``/live/tickets``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import route
from rpm_core.models.users import (
    CODE_CHALLENGE,
    REDIRECT_URI,
    ConfirmRequest,
    LiveTicket,
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    SignupRequest,
    SignupResponse,
    SsoProvider,
    SsoProviders,
    SsoTokenRequest,
    TokenResponse,
)
from rpm_core.services import accounts, live_tickets, sessions, sso

router = APIGatewayHttpRouter()
TAGS = ["auth"]


@router.post(
    "/auth/signup",
    **route("Create an account", public=True, status_code=201, problems=(409,), tags=TAGS, operation_id="signUp"),
)
def sign_up(request: SignupRequest) -> SignupResponse:
    return accounts.sign_up(request, context.request_id())


@router.post(
    "/auth/confirm",
    **route("Confirm the email address", public=True, status_code=204, tags=TAGS, operation_id="confirmSignUp"),
)
def confirm(request: ConfirmRequest) -> Response[None]:
    accounts.confirm(str(request.email), request.code, context.request_id())
    return Response(status_code=204)


@router.post("/auth/login", **route("Sign in", public=True, problems=(401, 403), tags=TAGS, operation_id="logIn"))
def log_in(request: LoginRequest) -> TokenResponse:
    return accounts.log_in(str(request.email), request.password, context.request_id(), context.source_ip())


@router.post(
    "/auth/refresh",
    **route("New tokens from a refresh token", public=True, problems=(401,), tags=TAGS, operation_id="refreshTokens"),
)
def refresh(request: RefreshRequest) -> TokenResponse:
    return accounts.refresh(request.refreshToken)


@router.post(
    "/auth/logout",
    **route(
        "End this session",
        status_code=204,
        tags=TAGS,
        description="The session's access and refresh tokens are refused by this API at once. Send the "
        "session's `refreshToken` (optional body) and it is also revoked at Cognito, with every access token "
        "it issued, so that Cognito's own API no longer honours them either; other sessions are not touched.",
        operation_id="logOut",
    ),
)
def log_out(request: LogoutRequest | None = None) -> Response[None]:
    refresh_token = request.refreshToken if request else None
    sessions.log_out(context.principal(), context.request_id(), context.source_ip(), refresh_token=refresh_token)
    return Response(status_code=204)


@router.get(
    "/auth/sso/providers",
    **route("The identity providers of single sign-on", public=True, tags=TAGS, operation_id="listSsoProviders"),
)
def sso_providers() -> SsoProviders:
    return SsoProviders(items=[SsoProvider(name=p.name, type=p.type) for p in sso.providers()])  # type: ignore[arg-type]


@router.get(
    "/auth/sso/<provider>/authorize",
    **route(
        "Sign in with an identity provider",
        public=True,
        status_code=302,
        problems=(404,),
        tags=TAGS,
        description="Redirects (302, `Location`) to the hosted sign-in of the provider, for the authorization code "
        "flow with PKCE: make a code verifier, send its S256 challenge here, and exchange the code the hosted "
        "sign-in sends to `redirectUri` at `POST /auth/sso/token` with the verifier. `redirectUri` must be one of "
        "the deployment's callback URLs (else 422); `state` (optional) comes back with the code.",
        operation_id="authorizeSso",
    ),
)
def sso_authorize(
    provider: Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,32}$", description="A provider's name")],
    redirectUri: Annotated[str, Query(max_length=2048, pattern=REDIRECT_URI)],
    codeChallenge: Annotated[str, Query(pattern=CODE_CHALLENGE, description="BASE64URL(SHA256(code verifier))")],
    state: Annotated[str | None, Query(min_length=8, max_length=512, pattern=r"^[A-Za-z0-9\-._~]+$")] = None,
) -> Response[None]:
    location = sso.authorize_url(provider, redirect_uri=redirectUri, code_challenge=codeChallenge, state=state)
    return Response(status_code=302, headers={"Location": location})


@router.post(
    "/auth/sso/token",
    **route(
        "Tokens for a single sign-on code",
        public=True,
        problems=(401, 404, 503),
        tags=TAGS,
        description="The code the hosted sign-in sent to `redirectUri`, with the PKCE code verifier, for the same "
        "tokens as `POST /auth/login`. A federated user's first sign-in makes their account, with the role the "
        "deployment maps the provider's groups to. A used, expired or foreign code, or a verifier that does not "
        "match, is a 400.",
        operation_id="exchangeSsoCode",
    ),
)
def sso_token(request: SsoTokenRequest) -> TokenResponse:
    return sso.sign_in(
        request.code, request.codeVerifier, request.redirectUri, context.request_id(), context.source_ip()
    )


@router.post(
    "/live/tickets",
    **route(
        "A single-use ticket for the WebSocket connect",
        status_code=201,
        tags=["live"],
        description="Connect to the WebSocket API with `?ticket=<ticket>` within 60 seconds: the ticket is "
        "used once, and the connection belongs to this session (a logout closes it). An access token does "
        "not belong in a URL.",
        operation_id="createLiveTicket",
    ),
)
def live_ticket() -> LiveTicket:
    return live_tickets.issue(context.principal(), context.request_id())


app = http.resolver(router, service="auth")
lambda_handler = http.entrypoint(app, service="auth")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
