"""The caller's own account and user administration."""

from __future__ import annotations

from tests.contract.matrix import Case, Request, admin_only, same
from tests.support.cast import sign_up

CASES: dict[str, Case] = {
    "GET /me": Case(lambda api, c: Request("GET", "/me"), same(200)),
    "GET /admin/users": Case(lambda api, c: Request("GET", "/admin/users?role=clinician&limit=5"), admin_only(200)),
    "PUT /admin/users/{userId}/role": Case(
        lambda api, c: Request("PUT", f"/admin/users/{sign_up(api, 'clinician').user_id}/role", {"role": "clinician"}),
        admin_only(200),
    ),
}
