"""FHIR search parameters: what a search may name, parsed into what the services ask (or a 400)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rpm_core.errors import BadRequest

DEFAULT_COUNT = 50
MAX_COUNT = 100
PAGING = ("_count", "_cursor")
"""Accepted by every search: the page size and the position (the ``next`` link's tamper-checked cursor)."""
IGNORED = ("_format",)
"""Accepted and ignored: ``_format=json`` (the only format served)."""


def count(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_COUNT
    if not re.fullmatch(r"[0-9]{1,3}", value) or not 1 <= int(value) <= MAX_COUNT:
        raise BadRequest(f"_count must be a whole number from 1 to {MAX_COUNT}.")
    return int(value)


def check_names(given: dict[str, str], allowed: tuple[str, ...]) -> None:
    """A search names only the parameters its resource supports (strict handling: an unknown one is a 400, not
    silently dropped, which would widen the result)."""
    unknown = sorted(set(given) - set(allowed) - set(PAGING) - set(IGNORED))
    if unknown:
        raise BadRequest(
            f"Unsupported search parameter(s): {', '.join(unknown)}. Supported: {', '.join(sorted(allowed + PAGING))}."
        )


def reference_id(value: str, resource_type: str, name: str) -> str:
    """``abc``, ``Patient/abc`` or an absolute ``…/Patient/abc`` → ``abc``."""
    text = value.strip()
    if "/" in text:
        head, _, tail = text.rpartition("/")
        if not (head == resource_type or head.endswith("/" + resource_type)):
            raise BadRequest(f"{name} must reference a {resource_type}.")
        text = tail
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,128}", text):
        raise BadRequest(f"{name} is not a valid {resource_type} reference.")
    return text


def values(value: str) -> list[str]:
    """A parameter's comma-separated values (OR); repeated parameters arrive joined the same way (AND for
    ``date``, the only one whose repetition this API reads)."""
    found = [part.strip() for part in value.split(",")]
    if not all(found):
        raise BadRequest("A search parameter has an empty value.")
    return found


def token(value: str, name: str) -> tuple[str | None, str]:
    """``system|code``, ``|code`` (no system) or ``code`` (any system) → (system or None, code)."""
    if "|" in value:
        system, _, code = value.partition("|")
        if not code:
            raise BadRequest(f"{name}: a token needs a code after '|'.")
        return system, code
    return None, value


# --- dates ---------------------------------------------------------------------------------------------------

DATE = re.compile(
    r"^(?P<prefix>eq|ne|gt|lt|ge|le|sa|eb|ap)?"
    r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?P<fraction>\.[0-9]{1,6})?)?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2}))?)?)?$"
)
SUPPORTED_PREFIXES = ("eq", "gt", "lt", "ge", "le")


@dataclass(frozen=True)
class Range:
    """Inclusive bounds on a timestamp; None: unbounded."""

    start: datetime | None = None
    end: datetime | None = None

    def narrowed(self, other: Range) -> Range:
        start = max((b for b in (self.start, other.start) if b is not None), default=None)
        end = min((b for b in (self.end, other.end) if b is not None), default=None)
        return Range(start, end)

    @property
    def empty(self) -> bool:
        return self.start is not None and self.end is not None and self.end < self.start

    def holds(self, moment: datetime) -> bool:
        return (self.start is None or moment >= self.start) and (self.end is None or moment <= self.end)


def _interval(match: re.Match[str]) -> tuple[datetime, datetime]:
    """The value's implicit interval [low, high) at its precision (FHIR: a date means the whole day)."""
    year, month, day = int(match["year"]), int(match["month"] or 1), int(match["day"] or 1)
    if match["hour"] is not None and match["zone"] is None:
        raise BadRequest("A date search with a time needs an offset (Z or ±hh:mm).")
    if match["hour"] is None:
        low = datetime(year, month, day, tzinfo=UTC)
        if match["day"]:
            return low, low + timedelta(days=1)
        if match["month"]:
            return low, datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        return low, datetime(year + 1, 1, 1, tzinfo=UTC)
    stamp = f"{match['year']}-{match['month']}-{match['day']}T{match['hour']}:{match['minute']}"
    stamp += f":{match['second'] or '00'}{match['fraction'] or ''}{match['zone'].replace('Z', '+00:00')}"
    low = datetime.fromisoformat(stamp).astimezone(UTC)
    if match["fraction"]:
        step = timedelta(microseconds=10 ** (6 - len(match["fraction"][1:])))
    else:
        step = timedelta(seconds=1) if match["second"] else timedelta(minutes=1)
    return low, low + step


TICK = timedelta(milliseconds=1)
"""Stored timestamps have milliseconds: an exclusive bound is the inclusive one a millisecond inside."""


def date_range(value: str | None) -> Range:
    """``date=ge2026-01-01&date=lt2026-02-01`` (joined by commas) → the inclusive range all of them allow."""
    if value is None:
        return Range()
    found = Range()
    for part in values(value):
        match = DATE.match(part)
        if not match:
            raise BadRequest("date must be a FHIR date or dateTime, optionally prefixed by eq, gt, lt, ge or le.")
        prefix = match["prefix"] or "eq"
        if prefix not in SUPPORTED_PREFIXES:
            raise BadRequest(f"date: the prefix {prefix} is not supported (eq, gt, lt, ge, le are).")
        try:
            low, high = _interval(match)
        except ValueError as error:
            raise BadRequest("date is not a valid date.") from error
        bound = {
            "eq": Range(low, high - TICK),
            "ge": Range(low, None),
            "gt": Range(high, None),
            "le": Range(None, high - TICK),
            "lt": Range(None, low - TICK),
        }[prefix]
        found = found.narrowed(bound)
    return found


RESOURCE_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
"""FHIR's id: what a read's path may name (anything else is no resource of this server: 404)."""
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"


def categories(value: str, supported: tuple[str, ...]) -> frozenset[str]:
    """``category=vital-signs,laboratory`` (each optionally ``<observation-category system>|code``)."""
    found = set()
    for part in values(value):
        system, code = token(part, "category")
        if system not in (None, CATEGORY_SYSTEM) or code not in supported:
            raise BadRequest(f"category must be one of: {', '.join(supported)}.")
        found.add(code)
    return frozenset(found)
