"""The ``from``/``to`` query of a list: both inclusive, ``to`` not before ``from``.

DynamoDB refuses a ``BETWEEN`` whose lower bound sorts above its upper one (a 500 if it got there;
moto does not check it), so the order is checked here and answered with a 422.
"""

from __future__ import annotations

from datetime import datetime

from rpm_core.clock import iso
from rpm_core.errors import ValidationFailed


def inclusive(start: datetime | None, end: datetime | None) -> tuple[str | None, str | None]:
    """The bounds as stored timestamps (ISO text), or a 422 when ``to`` comes before ``from``."""
    if start and end and end < start:
        raise ValidationFailed(
            "The request is not valid.",
            errors=[{"loc": ["query", "to"], "msg": "to must not be before from", "type": "value_error"}],
        )
    return (iso(start) if start else None), (iso(end) if end else None)
