"""One synthesis of the app per test session, shared by pytest-xdist workers through a file lock."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
REGION = "us-east-1"
STACK_NAME = "RpmBackend"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infra.app import use_bundled_node  # noqa: E402  (imports no aws_cdk before it runs)
from infra.paths import use_lambda_paths  # noqa: E402

use_bundled_node()
use_lambda_paths()


@dataclass(frozen=True)
class Synthesis:
    """What one ``build_app(...).synth()`` produced."""

    outdir: Path
    error: str | None
    template: dict[str, Any]
    validation_report: dict[str, Any]
    metadata: dict[str, Any]
    nested: dict[str, dict[str, Any]]
    """The nested stacks' templates, by the construct id of the nested stack (``Operations``)."""

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {key: r for key, r in self.template["Resources"].items() if r["Type"] == resource_type}

    def http_api(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The HTTP API's own API Gateway v2 resources (not the WebSocket APIs')."""
        apis = {
            key
            for key, r in self.resources("AWS::ApiGatewayV2::Api").items()
            if r["Properties"].get("ProtocolType") == "HTTP"
        }
        return {
            key: r
            for key, r in self.resources(resource_type).items()
            if key in apis or r["Properties"].get("ApiId", {}).get("Ref") in apis
        }

    def websocket_api(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The WebSocket APIs' API Gateway v2 resources."""
        apis = {
            key
            for key, r in self.resources("AWS::ApiGatewayV2::Api").items()
            if r["Properties"].get("ProtocolType") == "WEBSOCKET"
        }
        return {
            key: r
            for key, r in self.resources(resource_type).items()
            if key in apis or r["Properties"].get("ApiId", {}).get("Ref") in apis
        }

    def findings(self) -> list[str]:
        """Unacknowledged cdk-nag findings, as ``pack: rule at construct path``."""
        return [
            f"{report['pluginName']}: {violation['ruleName']} at {construct['constructPath']}"
            for report in self.validation_report.get("pluginReports", [])
            for violation in report["violations"]
            for construct in violation["violatingConstructs"]
        ]

    def acknowledgements(self) -> list[tuple[str, str, str]]:
        """(construct path, acknowledged id, reason) of every ``Validations.acknowledge`` in the stack."""
        return sorted(
            (path.lstrip("/"), rule, reason)
            for path, entries in self.metadata.items()
            for entry in entries
            if entry["type"] == "aws:cdk:acknowledged-rules"
            for rule, reason in entry["data"].items()
        )

    def unused_acknowledgements(self) -> list[tuple[str, str]]:
        """Acknowledgements that matched no finding: stale ones must go, not linger silently."""
        suppressed = {
            (violation["acknowledgedAt"], violation["acknowledgedId"])
            for report in self.validation_report.get("pluginReports", [])
            for violation in report.get("suppressedViolations", [])
        }
        return [(path, rule) for path, rule, _ in self.acknowledgements() if (path, rule) not in suppressed]


def build_web_app() -> None:
    """The app's stack deploys web/dist: built here when a bare ``pytest`` runs before any ``make web``."""
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        subprocess.run(["make", "web"], cwd=ROOT, check=True)  # noqa: S607 - the repository's own Makefile


def synthesize(outdir: Path, context: dict[str, Any] | None = None) -> None:
    """Synthesize into ``outdir``; a failed validation is recorded in ``error.txt`` (the assembly stays)."""
    from infra.app import build_app

    build_web_app()
    deps_layer = outdir.parent / "deps-layer"
    (deps_layer / "python").mkdir(parents=True, exist_ok=True)
    (deps_layer / "python" / "README.txt").write_text("empty deps layer for infrastructure tests\n")
    app = build_app(
        {"account": ACCOUNT, "region": REGION, "depsLayerPath": str(deps_layer), **(context or {})},
        outdir=str(outdir),
    )
    try:
        app.synth()
    except RuntimeError as error:  # cdk-nag findings: "ValidationFailed: ..."
        (outdir / "error.txt").write_text(str(error))
    (outdir / "done").write_text("ok")


def load(outdir: Path, stack_name: str = STACK_NAME) -> Synthesis:
    error_file = outdir / "error.txt"
    report_file = outdir / "validation-report.json"
    return Synthesis(
        outdir=outdir,
        error=error_file.read_text() if error_file.exists() else None,
        template=json.loads((outdir / f"{stack_name}.template.json").read_text()),
        validation_report=json.loads(report_file.read_text()) if report_file.exists() else {},
        metadata=json.loads((outdir / f"{stack_name}.metadata.json").read_text()),
        nested=nested_templates(outdir, stack_name),
    )


def nested_templates(outdir: Path, stack_name: str = STACK_NAME) -> dict[str, dict[str, Any]]:
    """``<Stack><Id><hash>.nested.template.json`` files by ``<Id>`` (the hash is CDK's, 8 hex digits)."""
    templates = {}
    for path in sorted(outdir.glob(f"{stack_name}*.nested.template.json")):
        construct_id = path.name.removeprefix(stack_name).removesuffix(".nested.template.json")[:-8]
        templates[construct_id] = json.loads(path.read_text())
    return templates


@pytest.fixture(scope="session")
def synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    """Synthesized once: the first xdist worker builds, the others wait on the lock and read the result."""
    in_worker = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    shared = tmp_path_factory.getbasetemp().parent if in_worker else tmp_path_factory.getbasetemp()
    outdir = shared / "infra-synth" / "cdk.out"
    outdir.parent.mkdir(parents=True, exist_ok=True)
    with (outdir.parent / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (outdir / "done").exists():
                synthesize(outdir)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return load(outdir)


@pytest.fixture(scope="session")
def template(synthesis: Synthesis) -> Any:
    from aws_cdk.assertions import Template

    return Template.from_json(synthesis.template)
