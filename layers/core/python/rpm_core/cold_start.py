"""A Lambda's cold start loads its modules with the cyclic garbage collector paused.

Loading boto3, pydantic and Powertools makes hundreds of thousands of objects and almost no garbage, yet the
collector walks the growing heap again and again while they load: about a tenth of an HTTP function's import
(``make bench``: 2.10 → 1.89 × ``import boto3`` for ``patients``). So each function's package pauses it
(``functions/<name>/__init__.py``, which the runtime imports before ``<name>/handler.py``) and the handler module
ends the pause once it is loaded: the collector runs again, and what the import made is frozen (``gc.freeze``),
so no later collection walks it again.

Only in Lambda (``AWS_LAMBDA_RUNTIME_API``, which the runtime sets): a process that imports a function's package
for another reason (a test, the local stack loading every function in one process) keeps its collector as it was.
"""

from __future__ import annotations

import gc
import os

RUNTIME_API = "AWS_LAMBDA_RUNTIME_API"
_paused = False


def begin() -> None:
    """Pauses the collector while a Lambda's function loads (nothing elsewhere)."""
    global _paused
    if os.environ.get(RUNTIME_API) and gc.isenabled():
        gc.disable()
        _paused = True


def end() -> None:
    """The function is loaded: the collector runs again and never walks what the import made."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False
