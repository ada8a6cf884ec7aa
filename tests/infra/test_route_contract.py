"""Routes served by the handlers = routes wired in the CDK app = the contract's routes in scope."""

from __future__ import annotations

from tests.contract.test_routes import in_scope_routes, served_routes
from tests.infra.conftest import Synthesis


def wired_routes(synthesis: Synthesis) -> set[str]:
    routes = synthesis.http_api("AWS::ApiGatewayV2::Route").values()
    return {route["Properties"]["RouteKey"] for route in routes} - {"$default"}


def test_served_wired_and_contract_routes_are_the_same(synthesis: Synthesis) -> None:
    served, wired, contract = served_routes(), wired_routes(synthesis), in_scope_routes()
    assert served == wired, {"served, not wired": served - wired, "wired, not served": wired - served}
    assert served == contract, {
        "served, not in contract": served - contract,
        "in contract, not served": contract - served,
    }
