"""Where the Lambda code lives, and the import path that makes it importable here.

Lambda puts a layer's ``python/`` folder and the function asset on ``sys.path``; locally the
CDK app, the local stack and the tests do the same with ``use_lambda_paths()``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = ROOT / "functions"
CORE_LAYER_DIR = ROOT / "layers" / "core"
BUILD_DIR = ROOT / "build"


def use_lambda_paths() -> None:
    for path in (CORE_LAYER_DIR / "python", FUNCTIONS_DIR):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
