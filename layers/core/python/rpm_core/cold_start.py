"""A Lambda's cold start runs with the cyclic garbage collector paused, until its first invocation returns.

Loading boto3, pydantic and Powertools, then building the first request's clients and validators, makes
hundreds of thousands of objects and almost no garbage, yet the collector walks the growing heap again and again
meanwhile: about a tenth of an HTTP function's cold start (``users``' import and first request, timed as
``bench/cold.py`` does: 306 ms with the collector running, 274 ms paused until the first answer).

So each function's package pauses it (``functions/<name>/__init__.py``, which the runtime imports before
``<name>/handler.py``) and its handler module ends the pause with its last line:

- an HTTP function's wraps its entry point (``ends_with_first_invocation``), so that the pause lasts until its
  first answer, which API Gateway bounds to 30 s and which makes a handful of AWS calls;
- any other function's calls ``end()`` once it is loaded: a schedule's, a queue's or a stream's first run may be
  long (an export, a day's verification), and should not grow with nothing collected.

Ending the pause freezes what the cold start made (``gc.freeze``), so that no later collection walks it again,
then lets the collector run. The few cycles a first request leaves (about three small objects per AWS call) are
frozen with the rest. If a handler fails to import, the runtime reports the init error and Lambda discards the
environment.

Only in Lambda (``AWS_LAMBDA_RUNTIME_API``, which the runtime sets): a process that imports a function's package
for another reason (a test, the local stack loading every function in one process) keeps its collector as it was,
and its entry point unwrapped.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from typing import Any, TypeVar

RUNTIME_API = "AWS_LAMBDA_RUNTIME_API"
Handler = TypeVar("Handler", bound=Callable[..., Any])
_paused = False


def begin() -> None:
    """Pauses the collector while a Lambda's function loads (nothing elsewhere)."""
    global _paused
    if os.environ.get(RUNTIME_API) and gc.isenabled():
        gc.disable()
        _paused = True


def end() -> None:
    """The cold start is over: the collector runs again and never walks what it made."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def ends_with_first_invocation(handler: Handler) -> Handler:
    """``handler``, ending the pause when its first invocation returns or raises (unchanged when nothing is paused)."""
    if not _paused:
        return handler

    @functools.wraps(handler)
    def entry(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        finally:
            end()

    entry.ends_cold_start = True  # type: ignore[attr-defined]
    return entry  # type: ignore[return-value]
