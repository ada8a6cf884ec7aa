"""What the synthesized template ships: each function's code asset holds its own folder alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infra import catalog
from tests.infra.conftest import Synthesis


def staged(synthesis: Synthesis, code: dict[str, Any]) -> Path:
    """The asset folder in the cloud assembly that ``Code``/``Content`` (``<hash>.zip``) was zipped from."""
    return synthesis.outdir / f"asset.{code['S3Key'].removesuffix('.zip')}"


def test_each_function_ships_its_own_folder_and_the_two_layers(synthesis: Synthesis) -> None:
    layers = synthesis.resources("AWS::Lambda::LayerVersion")
    assets: dict[str, Path] = {}
    for resource in synthesis.resources("AWS::Lambda::Function").values():
        properties = resource["Properties"]
        name, _, rest = properties.get("Handler", "").partition(".")
        if rest != "handler.lambda_handler":  # CDK's own helpers, if any
            continue
        asset = staged(synthesis, properties["Code"])
        assert sorted(entry.name for entry in asset.iterdir()) == [name], asset
        assert (asset / name / "handler.py").is_file()
        assert not list(asset.rglob("__pycache__"))
        assert {layer["Ref"] for layer in properties["Layers"]} == set(layers)
        assets[name] = asset
    assert sorted(assets) == sorted(spec.name for spec in catalog.FUNCTIONS)
    assert len(set(assets.values())) == len(assets), "every function has its own asset"
    layer_contents = sorted(
        sorted(entry.name for entry in (staged(synthesis, layer["Properties"]["Content"]) / "python").iterdir())
        for layer in layers.values()
    )
    assert ["rpm_core"] in layer_contents, layer_contents  # the core layer: the package alone, no egg-info
