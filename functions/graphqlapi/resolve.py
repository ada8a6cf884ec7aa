"""How resolvers call the services: off the event loop, in the request's context, arguments checked as REST
checks them.

Each service call runs on a small thread pool (``run``), so the queries of sibling fields (a dashboard's
readings, monitoring logs and threads) go to DynamoDB concurrently; the request's context (caller, noted
reads, kept grants) travels with each call. ``grants`` batches the visibility decisions of the patients a
query names into one BatchGetItem before their fields are resolved.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from rpm_core import context
from rpm_core.errors import ValidationFailed
from rpm_core.services import access

T = TypeVar("T")
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
"""The ids REST accepts in a path (``rpm_core.api.docs.ID_PATTERN``)."""
DEFAULT_FIRST, MAX_FIRST = 50, 100
WORKERS = 8
THREAD_PREFIX = "rpm-graphql"
POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix=THREAD_PREFIX)
"""Threads named ``rpm-graphql…``: the tests count their storage calls as the request's."""


async def run(call: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``call(*args, **kwargs)`` on the pool, in a copy of the request's context (the same request)."""
    loop = asyncio.get_running_loop()
    bound = functools.partial(call, *args, **kwargs)
    return await loop.run_in_executor(POOL, contextvars.copy_context().run, bound)


def invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed("The request is not valid.", errors=[{"loc": ["args", name], "msg": message}])


def object_id(value: Any, name: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise invalid(name, "an id of 1 to 128 letters, digits and _.:-")
    return value


def first(value: Any) -> int:
    limit = DEFAULT_FIRST if value is None else value
    if not isinstance(limit, int) or not 1 <= limit <= MAX_FIRST:
        raise invalid("first", f"between 1 and {MAX_FIRST}")
    return limit


def after(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) > 2048):
        raise invalid("after", "an endCursor of this connection")
    return value or None


def checked(adapter: TypeAdapter[T], value: Any, name: str) -> T | None:
    """An optional argument validated by the same pydantic type REST validates it with (422 otherwise)."""
    if value is None:
        return None
    try:
        return adapter.validate_python(value)
    except PydanticValidationError as error:
        raise invalid(name, error.errors()[0].get("msg", "invalid")) from None


def model_input(model: type[BaseModel], value: Any) -> Any:
    """A mutation's input as the REST body model: the same validation, a 422 with the same errors."""
    try:
        return model.model_validate(value)
    except PydanticValidationError as error:
        errors = [
            {"loc": ["input", *(str(p) for p in item.get("loc", ()))], "msg": str(item.get("msg", "invalid"))}
            for item in error.errors()
        ]
        raise ValidationFailed("The request is not valid.", errors=errors) from None


def dump(value: BaseModel) -> dict[str, Any]:
    return value.model_dump(mode="json")


def connection(page: tuple[list[Any], str | None]) -> dict[str, Any]:
    """A Relay connection of a service's page: the REST ``nextCursor`` is the page's ``endCursor`` (and the
    last edge's cursor: the storage's cursors mark page boundaries, not single records)."""
    items, next_cursor = page
    edges: list[dict[str, Any]] = [{"cursor": None, "node": dump(item)} for item in items]
    if edges:
        edges[-1]["cursor"] = next_cursor
    return {"edges": edges, "pageInfo": {"hasNextPage": next_cursor is not None, "endCursor": next_cursor}}


class GrantBatch:
    """Patients whose fields are about to be resolved, collected while sibling resolvers start, then decided
    in one go (``access.decide_grants``): 50 patients' profiles cost one BatchGetItem, not 50 reads."""

    def __init__(self) -> None:
        self.pending: set[str] = set()
        self.done: asyncio.Future[None] | None = None

    async def ready(self, patient_id: str) -> None:
        request = context.current()
        if request is None or request.grants is None:
            return
        principal = context.principal()
        if (principal.user_id, patient_id) in request.grants:
            return
        self.pending.add(patient_id)
        if self.done is None:
            self.done = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().create_task(self._decide(self.done))
        await self.done

    async def _decide(self, done: asyncio.Future[None]) -> None:
        for _ in range(3):  # let the sibling resolvers started in this round name their patients first
            await asyncio.sleep(0)
        wanted, self.pending, self.done = sorted(self.pending), set(), None
        try:
            await run(access.decide_grants, context.principal(), wanted)
        finally:  # had it failed, each service call decides its own grant (and reports its own error)
            done.set_result(None)


def patients_of(items: Iterable[dict[str, Any]]) -> list[str]:
    return [str(item["objectId"]) for item in items]
