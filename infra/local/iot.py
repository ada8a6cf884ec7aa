"""IoT Core's message broker, locally: a publish is matched against the topic rules and each
matching rule's action runs with the message the rule's SQL would produce.

No rule is declared yet: the device-ingest work adds ``rpm/devices/+/readings``. A publish
that matches no rule is accepted and dropped, as IoT Core does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RuleAction = Callable[[str, dict[str, Any]], None]


def topic_filter_pattern(topic_filter: str) -> re.Pattern[str]:
    """MQTT wildcards: ``+`` one level, ``#`` the rest."""
    parts = [
        ("[^/]+" if level == "+" else ".*" if level == "#" else re.escape(level)) for level in topic_filter.split("/")
    ]
    return re.compile("^" + "/".join(parts) + "$")


@dataclass(frozen=True)
class LocalTopicRule:
    topic_filter: str
    action: RuleAction

    def matches(self, topic: str) -> bool:
        return bool(topic_filter_pattern(self.topic_filter).match(topic))


class LocalBroker:
    def __init__(self) -> None:
        self.rules: list[LocalTopicRule] = []

    def add_rule(self, rule: LocalTopicRule) -> None:
        self.rules.append(rule)

    def publish(self, topic: str, payload: bytes) -> None:
        matching = [rule for rule in self.rules if rule.matches(topic)]
        if not matching:
            return
        message = json.loads(payload or b"{}")
        for rule in matching:
            rule.action(topic, message)
