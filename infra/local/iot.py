"""IoT Core's message broker, locally: a publish is matched against the declared topic rules
(``rpm_core.data.resources.TOPIC_RULES``) and each matching rule's SQL output is sent to its queue,
as the deployed rule's SQS action does. The SQL is the declared one, evaluated here for the subset
the rules use: payload members by name, ``topic(n) AS name``, ``timestamp() AS name`` (or ``*`` alone);
anything else is refused when the rule is added, so a rule never behaves differently here without anyone noticing.
A publish that matches no rule is accepted and dropped, as IoT Core does; a payload that is not a
JSON object goes to the rule's error action (the queue's dead letter), as the rule engine's does.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rpm_core import clock
from rpm_core.data.resources import TopicRuleSpec

Send = Callable[[str, str], None]
"""(queue URL, message body)."""
_SELECT = re.compile(r"^\s*SELECT\s+(?P<items>.+?)\s+FROM\s+'(?P<filter>[^']+)'\s*$", re.IGNORECASE | re.DOTALL)
_TOPIC = re.compile(r"^topic\((\d+)\)\s+AS\s+(\w+)$", re.IGNORECASE)
_TIMESTAMP = re.compile(r"^timestamp\(\)\s+AS\s+(\w+)$", re.IGNORECASE)
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def topic_filter_pattern(topic_filter: str) -> re.Pattern[str]:
    """MQTT wildcards: ``+`` one level, ``#`` the rest."""
    parts = [
        ("[^/]+" if level == "+" else ".*" if level == "#" else re.escape(level)) for level in topic_filter.split("/")
    ]
    return re.compile("^" + "/".join(parts) + "$")


Projection = Callable[[str, dict[str, Any], int], dict[str, Any]]


def compile_sql(sql: str) -> tuple[str, Projection]:
    """The topic filter and the projection of ``SELECT ... FROM '<filter>'`` (the supported subset).

    Items: a payload member by name (absent from the output when the payload lacks it, as IoT Core
    drops undefined values), ``topic(n) AS name``, ``timestamp() AS name``; or ``*`` alone. ``*`` beside
    anything else is refused: IoT Core does not document which wins when a payload member has an
    alias's name, and a rule must not depend on it. So is an output name given twice.
    """
    found = _SELECT.match(sql)
    if not found:
        raise ValueError(f"unsupported topic rule SQL: {sql!r}")
    items = [part.strip() for part in found.group("items").split(",")]
    if "*" in items and len(items) > 1:
        raise ValueError(f"unsupported topic rule SQL: '*' beside other items (undocumented collisions): {sql!r}")
    steps: list[Callable[[str, dict[str, Any], int, dict[str, Any]], None]] = []
    names: list[str] = []
    for item in items:
        if item == "*":
            steps.append(lambda topic, message, now, out: out.update(message))
            continue
        if _FIELD.match(item):
            name = item
            steps.append(
                lambda topic, message, now, out, name=name: (  # type: ignore[misc]
                    out.__setitem__(name, message[name]) if name in message else None
                )
            )
        elif match := _TOPIC.match(item):
            level, name = int(match.group(1)), match.group(2)
            steps.append(
                lambda topic, message, now, out, level=level, name=name: out.__setitem__(  # type: ignore[misc]
                    name, topic.split("/")[level - 1] if level <= len(topic.split("/")) else None
                )
            )
        elif match := _TIMESTAMP.match(item):
            name = match.group(1)
            steps.append(lambda topic, message, now, out, name=name: out.__setitem__(name, now))  # type: ignore[misc]
        else:
            raise ValueError(f"unsupported topic rule SQL item: {item!r}")
        if name in names:
            raise ValueError(f"unsupported topic rule SQL: {name!r} selected twice: {sql!r}")
        names.append(name)

    def project(topic: str, message: dict[str, Any], now_ms: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for step in steps:
            step(topic, message, now_ms, out)
        return out

    return found.group("filter"), project


@dataclass(frozen=True)
class LocalTopicRule:
    spec: TopicRuleSpec
    queue_url: str
    error_queue_url: str

    def __post_init__(self) -> None:
        topic_filter, project = compile_sql(self.spec.sql)
        object.__setattr__(self, "_pattern", topic_filter_pattern(topic_filter))
        object.__setattr__(self, "_project", project)

    def matches(self, topic: str) -> bool:
        return bool(self._pattern.match(topic))  # type: ignore[attr-defined]

    def project(self, topic: str, message: dict[str, Any], now_ms: int) -> dict[str, Any]:
        result: dict[str, Any] = self._project(topic, message, now_ms)  # type: ignore[attr-defined]
        return result


class LocalBroker:
    def __init__(self, send: Send | None = None) -> None:
        self.rules: list[LocalTopicRule] = []
        self.send: Send = send or (lambda url, body: None)

    def add_rule(self, rule: LocalTopicRule) -> None:
        self.rules.append(rule)

    def publish(self, topic: str, payload: bytes) -> None:
        matching = [rule for rule in self.rules if rule.matches(topic)]
        if not matching:
            return
        now_ms = int(clock.now().timestamp() * 1000)
        try:
            message = json.loads(payload or b"{}")
        except ValueError:
            message = None
        for rule in matching:
            if not isinstance(message, dict):
                error = {
                    "ruleName": rule.spec.name,
                    "topic": topic,
                    "base64OriginalPayload": base64.b64encode(payload).decode(),
                    "failures": [{"failedAction": "SqsAction", "errorMessage": "the payload is not a JSON object"}],
                }
                self.send(rule.error_queue_url, json.dumps(error))
                continue
            self.send(rule.queue_url, json.dumps(rule.project(topic, message, now_ms)))
