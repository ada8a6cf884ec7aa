"""``python -m bench.live_connect``: the live function's cold ``$connect`` cost, in fresh processes.

Each run is a new interpreter that times ``import live.handler`` and then the first verification of an
access token (``rpm_core.tokens.access_token_verifier`` built for a JWKS this process serves over HTTP on
127.0.0.1: the key fetch is a real request, as on a cold start). Runs alternate with a fresh ``import
boto3`` (the baseline of ``make bench``'s cold imports), so that a busy moment of a shared machine hurts
both alike; the medians are printed as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.paths import CORE_LAYER_DIR, FUNCTIONS_DIR, ROOT

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench"
CLIENT_ID = "bench-client"
PROBE = """
import json, sys, time
started = time.perf_counter()
import live.handler
imported = time.perf_counter()
from rpm_core import tokens
verifier = tokens.AccessTokenVerifier(sys.argv[1], sys.argv[2], (sys.argv[3],))
claims = verifier.claims(sys.argv[4])
verified = time.perf_counter()
assert claims["sub"] == "bench-user"
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"jwt", "cryptography"})
print(json.dumps({"import": imported - started, "first_verification": verified - imported, "loaded": heavy}))
"""


def _jwks_server(document: dict[str, Any]) -> ThreadingHTTPServer:
    body = json.dumps(document).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(runs: int = 9) -> dict[str, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": "bench", "use": "sig"}
    server = _jwks_server({"keys": [jwk]})
    url = f"http://127.0.0.1:{server.server_port}/jwks.json"
    now = int(time.time())
    claims = {"sub": "bench-user", "iss": ISSUER, "client_id": CLIENT_ID, "token_use": "access",
              "origin_jti": "bench-session", "iat": now, "exp": now + 3600}  # fmt: skip
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"})
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(map(str, (ROOT, CORE_LAYER_DIR / "python", FUNCTIONS_DIR))),
    }
    timings: dict[str, list[float]] = {"boto3": [], "import": [], "first_verification": [], "total": []}
    loaded: list[str] = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import boto3"], env=environment, check=True)
        timings["boto3"].append(time.perf_counter() - started)
        result = subprocess.run(  # noqa: S603 - this interpreter and a fixed probe
            [sys.executable, "-c", PROBE, url, ISSUER, CLIENT_ID, token],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        probe = json.loads(result.stdout.splitlines()[-1])
        timings["import"].append(probe["import"])
        timings["first_verification"].append(probe["first_verification"])
        timings["total"].append(probe["import"] + probe["first_verification"])
        loaded = probe["loaded"]
    server.shutdown()
    report: dict[str, Any] = {f"{name}_ms": round(statistics.median(v) * 1000, 1) for name, v in timings.items()}
    report["runs"] = runs
    report["loaded_after_first_verification"] = loaded
    return report


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)))
