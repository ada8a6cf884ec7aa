"""Packaged as deployed: every handler imports from its own code asset and the two layers alone.

The assets and layers are built by the code ``cdk synth`` runs (``infra.assets``, ``infra.layers``); the
dependency layer from the same uv.lock, for this machine's interpreter instead of Lambda's
(``layers.HOST``: the same recipe, another platform) so that it can be imported here. Each handler is
imported in a fresh interpreter (``-I -S``: no site-packages, no PYTHON* variables, no current folder)
whose ``sys.path`` is the standard library plus the asset and the layers' ``python/`` folders, with
no environment: a module found only in the repository or the venv fails here, not in AWS. A cold start
also loads no token library, no X-Ray SDK and nothing of the local stack, the CDK app or the tests.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from infra import catalog, layers
from infra.assets import stage_core_layer, stage_function_asset

NOT_ON_A_COLD_START = ("jwt", "aws_xray_sdk", "cryptography", "moto", "aws_cdk", "werkzeug", "infra", "tests")
"""Token verification is API Gateway's (the JWT authorizer), and the live function's first ``$connect``
with a token (``rpm_core.tokens``, loaded then: ``test_the_live_function_loads_pyjwt_on_its_first_token``);
Lambda's active tracing needs no SDK; the rest belongs to the local stack, the CDK app and the tests."""
TOKEN_LIBRARIES = {"jwt", "cryptography"}

PROBE = """
import importlib, json, sys
stdlib = list(sys.path)
sys.path[:0] = json.loads(sys.argv[1])
module = importlib.import_module(sys.argv[2])
assert callable(module.lambda_handler), "no lambda_handler"
files = {name: getattr(loaded, "__file__", None) for name, loaded in list(sys.modules.items())}
print(json.dumps({"stdlib": stdlib, "path": sys.path, "files": files}))
"""


@dataclass(frozen=True)
class Layers:
    core: Path
    deps: Path

    @property
    def python_dirs(self) -> list[Path]:
        return [self.core / "python", self.deps / "python"]


@pytest.fixture(scope="session")
def built_layers(tmp_path_factory: pytest.TempPathFactory) -> Layers:
    """Both layers, built once per run: the first xdist worker builds, the others wait on the lock."""
    in_worker = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    shared = (tmp_path_factory.getbasetemp().parent if in_worker else tmp_path_factory.getbasetemp()) / "layers"
    shared.mkdir(parents=True, exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            core = stage_core_layer(into=shared)
            deps = layers.build_deps_layer(shared / "deps", target=layers.HOST)  # skipped while its stamp matches
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return Layers(core=core, deps=deps)


@pytest.mark.parametrize("spec", catalog.FUNCTIONS, ids=lambda spec: spec.name)
def test_a_handler_imports_from_its_asset_and_the_layers_alone(
    spec: catalog.FunctionSpec, built_layers: Layers, tmp_path: Path
) -> None:
    asset = stage_function_asset(spec, into=tmp_path)
    assert [entry.name for entry in asset.iterdir()] == [spec.name], "the asset holds the function's folder only"
    allowed = [asset, *built_layers.python_dirs]
    result = subprocess.run(  # noqa: S603 - the test's own interpreter and a fixed probe
        [sys.executable, "-I", "-S", "-c", PROBE, json.dumps([str(path) for path in allowed]), spec.module],
        env={},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.splitlines()[-1])
    stdlib = [Path(entry) for entry in probe["stdlib"]]
    assert all(Path(sys.base_prefix) in path.parents and "site-packages" not in path.parts for path in stdlib), stdlib
    assert [Path(entry) for entry in probe["path"]] == [*allowed, *stdlib]
    outside = {
        name: file
        for name, file in probe["files"].items()
        if file and not any(Path(file).is_relative_to(root) for root in (*allowed, *stdlib))
    }
    assert not outside, outside
    loaded = {name.split(".")[0] for name in probe["files"]}
    assert loaded.isdisjoint(NOT_ON_A_COLD_START), sorted(loaded & set(NOT_ON_A_COLD_START))


def test_the_deps_layer_records_only_the_files_it_holds(built_layers: Layers) -> None:
    """Console scripts (their shebang names the building interpreter's path) are dropped with their RECORD
    lines, so the layer is byte-identical, and its asset hash the same, in every checkout."""
    python_dir = built_layers.deps / "python"
    assert not (python_dir / "bin").exists()
    records = list(python_dir.glob("*.dist-info/RECORD"))
    assert records
    for record in records:
        listed = [line.split(",")[0] for line in record.read_text().splitlines() if line]
        missing = [path for path in listed if "__pycache__" not in path and not (python_dir / path).is_file()]
        assert not missing, (record, missing)


FIRST_TOKEN = """
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
import live.handler
at_import = sorted({name.split(".")[0] for name in sys.modules} & {"jwt", "cryptography"})
from rpm_core import tokens
claims = tokens.AccessTokenVerifier(sys.argv[2], sys.argv[3], (sys.argv[4],)).claims(sys.argv[5])
files = {name: getattr(loaded, "__file__", None) for name, loaded in list(sys.modules.items())}
print(json.dumps({"at_import": at_import, "sub": claims["sub"], "files": files}))
"""


def test_the_live_function_loads_pyjwt_on_its_first_token(built_layers: Layers, tmp_path: Path) -> None:
    """Packaged as deployed, the live function verifies an RS256 token with PyJWT and ``cryptography`` from
    the dependency layer, and loads them on that first verification, not when its handler is imported."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": "k", "use": "sig"}
    body = json.dumps({"keys": [jwk]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    issuer, client, now = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_p", "c", int(time.time())
    claims = {"sub": "u", "iss": issuer, "client_id": client, "token_use": "access", "iat": now, "exp": now + 60}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k"})
    spec = catalog.function("live")
    asset = stage_function_asset(spec, into=tmp_path)
    allowed = [asset, *built_layers.python_dirs]
    try:
        result = subprocess.run(  # noqa: S603 - the test's own interpreter and a fixed probe
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                FIRST_TOKEN,
                json.dumps([str(path) for path in allowed]),
                f"http://127.0.0.1:{server.server_port}/jwks.json",
                issuer,
                client,
                token,
            ],
            env={},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["at_import"] == []
    assert probe["sub"] == "u"
    token_modules = {
        name: file for name, file in probe["files"].items() if name.split(".")[0] in TOKEN_LIBRARIES and file
    }
    assert {name.split(".")[0] for name in token_modules} == TOKEN_LIBRARIES
    layer = built_layers.deps / "python"
    assert all(Path(file).is_relative_to(layer) for file in token_modules.values()), token_modules
