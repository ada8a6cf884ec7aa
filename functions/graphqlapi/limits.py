"""What a document may ask for, decided on the parsed document before anything is read or validated.

A document of at most 16 KiB (and 4,096 tokens, so the parser stops early on a flood), depth at most 10,
at most 20 aliases, a cost of at most 5,000: each field costs 1, and a connection's ``first`` (default 50)
multiplies the cost of what is below it. Fragments are measured once each (memoized) and a fragment that
spreads into itself, directly or through others, is refused here, before graphql-core's validation (whose
rule for overlapping fields is quadratic in the fields of one selection). ``ofType`` does not deepen an
introspection query: it follows one type reference, it does not fan out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

MAX_DOCUMENT_BYTES = 16 * 1024
MAX_TOKENS = 4096
MAX_DEPTH = 10
MAX_ALIASES = 20
MAX_COST = 5000
DEFAULT_FIRST, MAX_FIRST = 50, 100
LINEAR_FIELDS = frozenset({"ofType"})


class TooComplex(Exception):
    """The document asks for more than the limits allow (``QUERY_TOO_COMPLEX``, HTTP 400)."""


@dataclass(frozen=True)
class Measure:
    depth: int
    aliases: int
    cost: int


def check_size(query: str) -> None:
    size = len(query.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise TooComplex(f"The document is {size} bytes; at most {MAX_DOCUMENT_BYTES} are allowed.")


class _Walker:
    def __init__(self, document: DocumentNode, variables: dict[str, Any], connections: frozenset[str]) -> None:
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.variables = variables
        self.connections = connections
        self.measured: dict[str, Measure] = {}
        self.visiting: set[str] = set()

    def _first(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                number: Any = int(value.value)
            elif isinstance(value, VariableNode):
                number = self.variables.get(value.name.value, DEFAULT_FIRST)
            else:
                number = MAX_FIRST
            return number if isinstance(number, int) and 0 <= number <= MAX_FIRST else MAX_FIRST
        return DEFAULT_FIRST

    def fragment(self, name: str) -> Measure:
        if name in self.measured:
            return self.measured[name]
        if name in self.visiting:
            raise TooComplex(f"Fragment {name} spreads into itself.")
        definition = self.fragments.get(name)
        if definition is None:  # an unknown fragment: validation names it
            return Measure(0, 0, 0)
        self.visiting.add(name)
        found = self.selections(definition.selection_set)
        self.visiting.discard(name)
        self.measured[name] = found
        return found

    def selections(self, selection_set: SelectionSetNode | None) -> Measure:
        depth = aliases = cost = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                below = self.selections(selection.selection_set)
                multiplier = self._first(selection) if selection.name.value in self.connections else 1
                own_depth = below.depth + (0 if selection.name.value in LINEAR_FIELDS else 1)
                depth = max(depth, own_depth)
                aliases += below.aliases + (1 if selection.alias else 0)
                cost += 1 + multiplier * below.cost
            elif isinstance(selection, FragmentSpreadNode):
                spread = self.fragment(selection.name.value)
                depth, aliases, cost = max(depth, spread.depth), aliases + spread.aliases, cost + spread.cost
            elif isinstance(selection, InlineFragmentNode):
                inline = self.selections(selection.selection_set)
                depth, aliases, cost = max(depth, inline.depth), aliases + inline.aliases, cost + inline.cost
            if aliases > MAX_ALIASES or cost > MAX_COST:  # stop early: a flood is refused, never counted out
                return Measure(depth, aliases, cost)
        return Measure(depth, aliases, cost)


def check(document: DocumentNode, variables: dict[str, Any], connections: frozenset[str]) -> None:
    """Raises ``TooComplex`` for an operation (or fragment) beyond the limits."""
    walker = _Walker(document, variables, connections)
    for name in walker.fragments:
        walker.fragment(name)  # every fragment, spread or not: a cycle is refused wherever it is
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        found = walker.selections(definition.selection_set)
        if found.depth > MAX_DEPTH:
            raise TooComplex(f"The query is {found.depth} fields deep; at most {MAX_DEPTH} are allowed.")
        if found.aliases > MAX_ALIASES:
            raise TooComplex(f"The query has more than {MAX_ALIASES} aliases.")
        if found.cost > MAX_COST:
            raise TooComplex(f"The query costs more than {MAX_COST} (each field 1, times the first of a connection).")
    for name, measure in walker.measured.items():
        if measure.depth > MAX_DEPTH or measure.aliases > MAX_ALIASES or measure.cost > MAX_COST:
            raise TooComplex(f"Fragment {name} is beyond the limits.")
