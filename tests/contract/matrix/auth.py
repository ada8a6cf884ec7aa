"""Sign-up, login, single sign-on, refresh and logout; tickets for the live connect."""

from __future__ import annotations

from tests.contract.matrix import Case, Request, fresh_account, same
from tests.support.cast import Cast, unique_email
from tests.support.sso import REDIRECT_URI, pkce_pair


def _authorize(_: object, __: Cast) -> Request:
    _verifier, challenge = pkce_pair()
    return Request("GET", f"/auth/sso/LocalIdP/authorize?redirectUri={REDIRECT_URI}&codeChallenge={challenge}")


def _token(_: object, cast: Cast) -> Request:
    assert cast.sso_token_request is not None
    return Request("POST", "/auth/sso/token", cast.sso_token_request())


CASES: dict[str, Case] = {
    "POST /auth/signup": Case(
        lambda api, c: Request(
            "POST",
            "/auth/signup",
            {"email": unique_email("matrix"), "password": "Matrix-Passw0rd!", "displayName": "Matrix"},
        ),
        public_status=201,
    ),
    "POST /auth/confirm": Case(
        lambda api, c: Request("POST", "/auth/confirm", {"email": c.patient.email, "code": "123456"}), public_status=204
    ),
    "POST /auth/login": Case(
        lambda api, c: Request("POST", "/auth/login", {"email": c.patient.email, "password": c.patient.password}),
        public_status=200,
    ),
    "POST /auth/refresh": Case(
        lambda api, c: Request("POST", "/auth/refresh", {"refreshToken": fresh_account(api, c).refresh_token}),
        public_status=200,
    ),
    "GET /auth/sso/providers": Case(lambda api, c: Request("GET", "/auth/sso/providers"), public_status=200),
    "GET /auth/sso/{provider}/authorize": Case(_authorize, public_status=302),
    "POST /auth/sso/token": Case(_token, public_status=200),
    "POST /auth/logout": Case(lambda api, c: Request("POST", "/auth/logout"), same(204), fresh_session=True),
    "POST /live/tickets": Case(lambda api, c: Request("POST", "/live/tickets"), same(201)),
}
