"""``make load`` keeps working: a few seconds of it on the suite's stack, and its counts hold (no timing)."""

from __future__ import annotations

from bench.load import Plan, counts_hold, run
from infra.local.stack import LocalStack


def test_a_short_load_run_stores_and_audits_every_reading_and_message_once(stack: LocalStack) -> None:
    plan = Plan(devices=4, clinicians=1, patients=2, duration_s=2.0, publish_interval_s=0.5, message_interval_s=0.5)
    report = run(plan, stack)
    assert report["readings"]["published"] > 0
    assert report["messages"]["sent"] > 0
    assert counts_hold(report), report
    assert not [error for error in report["errors"] if " 5" in error], report["errors"]
