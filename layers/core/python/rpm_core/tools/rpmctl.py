"""``rpmctl``: operator tools. ``rpmctl simulate`` plays a home device against a stack.

    rpmctl simulate --patient ID --device-type blood_pressure --rate 2/s --duration 60s

It provisions a device for the patient (or takes ``--device-id`` with its ``--cert``/``--key``)
and publishes realistic readings, with occasional out-of-range values and duplicate deliveries,
to ``rpm/devices/<deviceId>/readings``: against the local stack through IoT Core's HTTPS
data-plane API (boto3 ``iot-data`` with ``endpoint_url``), against a deployed stack over MQTT/TLS
with the device certificate (``paho-mqtt``: ``pip install 'rpm-backend[mqtt]'``). A status line
counts published, stored and rejected readings as they happen. The private key is written only
to a 0600 file in a temporary folder for the MQTT connection, and removed at exit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from rpm_core.ingest_topic import topic_for
from rpm_core.tools import listen

DEVICE_TYPES = ("blood_pressure", "pulse_oximeter", "heart_rate", "glucometer", "weight_scale", "thermometer")
Publisher = Callable[[str, bytes], None]


def parse_rate(text: str) -> float:
    """``2/s``, ``30/min``, ``0.5`` → messages per second."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(?:/\s*(s|sec|second|m|min|minute))?\s*", text)
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a rate: {text!r} (e.g. 2/s or 30/min)")
    per_minute = match.group(2) in ("m", "min", "minute")
    return float(match.group(1)) / (60 if per_minute else 1)


def parse_duration(text: str) -> float:
    """``60s``, ``5m``, ``1h``, ``90`` → seconds."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(s|m|h)?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 60s, 5m)")
    return float(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2) or "s"]


def reading(device_type: str, rng: random.Random, *, out_of_range: bool = False) -> dict[str, Any]:
    """A plausible payload; ``out_of_range`` gives one the backend must reject (beyond physiology)."""
    if device_type == "blood_pressure":
        systolic = round(rng.gauss(125, 12))
        payload: dict[str, Any] = {
            "systolic": systolic,
            "diastolic": round(systolic * 0.65),
            "pulse": round(rng.gauss(72, 8)),
        }
        if out_of_range:
            payload["systolic"] = 400
    elif device_type == "pulse_oximeter":
        payload = {"spo2": min(100, round(rng.gauss(97, 1.5))), "pulse": round(rng.gauss(72, 8))}
        if out_of_range:
            payload["spo2"] = 130
    elif device_type == "heart_rate":
        payload = {"bpm": 500 if out_of_range else round(rng.gauss(72, 10))}
    elif device_type == "glucometer":
        unit = rng.choice(["mg/dL", "mmol/L"])
        value = rng.gauss(120, 30)
        payload = {"glucose": round(value if unit == "mg/dL" else value / 18.0, 1), "unit": unit}
        if out_of_range:
            payload["glucose"] = 5000
    elif device_type == "weight_scale":
        payload = {"weight": 2000.0 if out_of_range else round(rng.gauss(78, 0.6), 1), "unit": "kg"}
    else:
        payload = {"temperature": 60.0 if out_of_range else round(rng.gauss(36.8, 0.3), 1), "unit": "Cel"}
    return payload


def message(device_type: str, rng: random.Random, *, out_of_range: bool = False) -> dict[str, Any]:
    return {
        "messageId": uuid.uuid4().hex,
        "deviceType": device_type,
        "recordedAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "dataPayload": reading(device_type, rng, out_of_range=out_of_range),
    }


@dataclass
class Api:
    base_url: str
    token: str

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the operator's own API URL
            self.base_url.rstrip("/") + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def count_items(api: Api, path: str, keep: Callable[[dict[str, Any]], bool]) -> int | None:
    """Items of a list (every page) that ``keep`` accepts; None when the caller may not list them."""
    total, cursor = 0, ""
    while True:
        separator = "&" if "?" in path else "?"
        status, body = api.call("GET", f"{path}{separator}limit=100{cursor}")
        if status != 200:
            return None
        total += sum(1 for item in body["items"] if keep(item))
        if not body.get("nextCursor"):
            return total
        cursor = "&cursor=" + urllib.parse.quote(body["nextCursor"])


def local_publisher(endpoint: str) -> Publisher:
    import boto3

    client = boto3.client(
        "iot-data",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
    )
    return lambda topic, payload: client.publish(topic=topic, qos=1, payload=payload)


@contextmanager
def mqtt_publisher(endpoint: str, client_id: str, certificate_pem: str, private_key: str) -> Iterator[Publisher]:
    try:
        import paho.mqtt.client as mqtt
    except ImportError as error:  # pragma: no cover - an optional dependency
        raise SystemExit("MQTT needs paho-mqtt: pip install 'rpm-backend[mqtt]'") from error
    with tempfile.TemporaryDirectory(prefix="rpmctl-") as folder:
        cert_file, key_file = os.path.join(folder, "device.pem"), os.path.join(folder, "device.key")
        for path, text in ((cert_file, certificate_pem), (key_file, private_key)):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
                handle.write(text)
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        client.tls_set(certfile=cert_file, keyfile=key_file)
        client.connect(endpoint, 8883)
        client.loop_start()
        try:
            yield lambda topic, payload: client.publish(topic, payload, qos=1).wait_for_publish(10)
        finally:
            client.loop_stop()
            client.disconnect()


@contextmanager
def device_publisher(endpoint: str, device_id: str, credentials: dict[str, Any]) -> Iterator[Publisher]:
    """Publishes as the device ``device_id``: through IoT Core's HTTPS data-plane API when ``endpoint`` is a
    URL (the local stack's base URL), else over MQTT/TLS to that IoT endpoint with the device's certificate
    (``credentials``: ``certificatePem`` and ``privateKey``, as provisioning returns them)."""
    if endpoint.startswith(("http://", "https://")):
        yield local_publisher(endpoint)
        return
    with mqtt_publisher(endpoint, device_id, credentials["certificatePem"], credentials["privateKey"]) as publish:
        yield publish


@dataclass
class Counts:
    published: int = 0
    duplicates: int = 0
    out_of_range: int = 0
    stored: int | None = 0
    rejected: int | None = 0
    """None: not counted, as only an admin may list rejected readings."""
    alerts: int | None = 0
    """Alerts the readings raised (the patient's alert logs since the start)."""

    def line(self) -> str:
        def show(value: int | None) -> str:
            return "?" if value is None else str(value)

        rejected = "rejected not counted (an admin's token counts them)" if self.rejected is None else (
            f"rejected {self.rejected}"
        )  # fmt: skip
        return (
            f"published {self.published} (duplicates {self.duplicates}, out of range {self.out_of_range}) · "
            f"stored {show(self.stored)} · {rejected} · alerts raised {show(self.alerts)}"
        )


def simulate(options: argparse.Namespace, out: TextIO = sys.stdout) -> Counts:
    api = Api(options.api, options.token or os.environ.get("RPM_TOKEN", ""))
    if not api.token:
        raise SystemExit("an access token is needed: --token or RPM_TOKEN")
    rng = random.Random(options.seed)  # noqa: S311 - simulated readings, not secrets
    started = datetime.now(UTC) - timedelta(seconds=1)
    credentials: dict[str, Any] = {}
    if options.device_id:
        device_id, endpoint = options.device_id, options.endpoint or options.api
        if options.cert and options.key:
            credentials = {
                "certificatePem": Path(options.cert).read_text(),
                "privateKey": Path(options.key).read_text(),
            }
    else:
        status, device = api.call("POST", f"/patients/{options.patient}/devices", {"deviceType": options.device_type})
        if status != 201:
            raise SystemExit(f"provisioning failed: {status} {device}")
        device_id, endpoint, credentials = device["objectId"], options.endpoint or device["iotEndpoint"], device
        print(f"provisioned device {device_id} ({options.device_type}) for patient {options.patient}", file=out)
    topic = topic_for(device_id)
    with device_publisher(endpoint, device_id, credentials) as publish:
        counts = _run(options, api, publish, topic, device_id, rng, started, out)
    if out.isatty():  # end the redrawn line
        print(file=out)
    return counts


def _run(
    options: argparse.Namespace,
    api: Api,
    publish: Publisher,
    topic: str,
    device_id: str,
    rng: random.Random,
    started: datetime,
    out: TextIO,
) -> Counts:
    counts, sent = Counts(), list[bytes]()
    live_line = out.isatty()
    status_every = 1.0 if live_line else 10.0
    interval, deadline = 1 / options.rate, time.monotonic() + options.duration
    next_at, next_status = time.monotonic(), 0.0
    since = urllib.parse.quote(started.isoformat(timespec="milliseconds").replace("+00:00", "Z"))

    def refresh() -> None:
        counts.stored = count_items(
            api,
            f"/patients/{options.patient}/device-data?deviceType={options.device_type}&from={since}",
            lambda item: item.get("device") == device_id,
        )
        counts.rejected = count_items(api, f"/admin/rejected-readings?deviceId={device_id}", lambda item: True)
        counts.alerts = count_items(
            api, f"/patients/{options.patient}/monitoring-logs?kind=alert&from={since}", lambda item: True
        )
        if live_line:  # a terminal: one line, redrawn
            print("\r" + counts.line(), end="", file=out, flush=True)
        else:  # a captured log: a line each time, every 10 s
            print(counts.line(), file=out, flush=True)

    while time.monotonic() < deadline:
        if sent and rng.random() < options.duplicates:
            payload = rng.choice(sent)
            counts.duplicates += 1
        else:
            bad = rng.random() < options.out_of_range
            payload = json.dumps(message(options.device_type, rng, out_of_range=bad)).encode()
            counts.out_of_range += bad
            sent.append(payload)
        publish(topic, payload)
        counts.published += 1
        if time.monotonic() >= next_status:
            refresh()
            next_status = time.monotonic() + status_every
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    settle = time.monotonic() + options.settle
    while time.monotonic() < settle:  # let the last readings arrive
        time.sleep(0.2)
    refresh()
    return counts


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="rpmctl", description="Remote patient monitoring operator tools.")
    commands = root.add_subparsers(dest="command", required=True)
    sim = commands.add_parser("simulate", help="play a home device: provision it and publish readings")
    sim.add_argument("--patient", required=True, help="the patient's id")
    sim.add_argument("--device-type", choices=DEVICE_TYPES, default="blood_pressure")
    sim.add_argument("--rate", type=parse_rate, default=parse_rate("1/s"), help="e.g. 2/s, 30/min")
    sim.add_argument("--duration", type=parse_duration, default=parse_duration("60s"), help="e.g. 60s, 5m")
    sim.add_argument("--api", default=os.environ.get("RPM_API", "http://127.0.0.1:3000"), help="the API's base URL")
    sim.add_argument("--token", help="a care-team or admin access token (default: $RPM_TOKEN)")
    sim.add_argument("--device-id", help="publish as this existing device instead of provisioning one")
    sim.add_argument("--cert", help="the existing device's certificate PEM file (MQTT)")
    sim.add_argument("--key", help="the existing device's private key file (MQTT)")
    sim.add_argument("--endpoint", help="the IoT data endpoint (default: the provisioning answer's iotEndpoint)")
    sim.add_argument("--out-of-range", type=float, default=0.05, help="share of readings beyond physiology")
    sim.add_argument("--duplicates", type=float, default=0.05, help="share of publishes that repeat a message")
    sim.add_argument("--settle", type=float, default=2.0, help="seconds to wait for the last readings")
    sim.add_argument("--seed", type=int, default=None)
    listen.add_parser(commands)
    tick = commands.add_parser("tick", help="run one tick of a scheduled function now (watch, auditdigest)")
    tick.add_argument("function", help="the scheduled function's name, e.g. watch")
    tick.add_argument("--api", default=os.environ.get("RPM_API", "http://127.0.0.1:3000"), help="the local stack")
    billing = commands.add_parser("billing", help="the RPM billing report of a month as CSV, every page")
    billing.add_argument("--month", required=True, help="YYYY-MM")
    billing.add_argument("--out", required=True, help="the CSV file to write ('-' for standard output)")
    billing.add_argument("--patient", help="one patient only")
    billing.add_argument("--api", default=os.environ.get("RPM_API", "http://127.0.0.1:3000"), help="the API's base URL")
    billing.add_argument("--token", help="an admin's or clinician's access token (default: $RPM_TOKEN)")
    billing.add_argument("--limit", type=int, default=100, help="patients per page (1..100)")
    return root


def tick(options: argparse.Namespace, out: TextIO = sys.stdout) -> dict[str, Any]:
    """Lambda's Invoke API on the local stack's gateway (``aws lambda invoke`` does the same deployed)."""
    import boto3

    client = boto3.client(
        "lambda",
        endpoint_url=options.api,
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
    )
    response = client.invoke(FunctionName=f"rpm-{options.function}", Payload=b"")
    result: dict[str, Any] = json.loads(response["Payload"].read() or b"null")
    print(json.dumps(result), file=out)
    return result


def billing_csv(options: argparse.Namespace) -> tuple[str, int]:
    """Every page of the month's report as one CSV (the header once); returns it and the pages read."""
    token = options.token or os.environ.get("RPM_TOKEN", "")
    base = options.api.rstrip("/") + "/reports/rpm-billing?"
    query = {
        "month": options.month,
        "limit": str(options.limit),
        **({"patientId": options.patient} if options.patient else {}),
    }
    text, pages = "", 0
    while True:
        request = urllib.request.Request(  # noqa: S310 - the operator's own API URL
            base + urllib.parse.urlencode(query), headers={"Authorization": f"Bearer {token}", "Accept": "text/csv"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                page, cursor = response.read().decode(), response.headers.get("X-Next-Cursor")
        except urllib.error.HTTPError as error:
            raise SystemExit(f"rpmctl billing: {error.code} {error.read().decode()[:300]}") from error
        pages += 1
        text += page if not text else page.split("\r\n", 1)[1]
        if not cursor:
            return text, pages
        query["cursor"] = cursor


def billing(options: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    text, pages = billing_csv(options)
    if options.out == "-":
        out.write(text)
    else:
        with open(options.out, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        print(f"{options.out}: {max(text.count(chr(10)) - 1, 0)} rows from {pages} page(s)", file=out)
    return 0


def main(arguments: list[str] | None = None) -> int:
    options = parser().parse_args(arguments)
    if options.command == "simulate":
        simulate(options)
    elif options.command == "listen":
        return listen.run(options)
    elif options.command == "tick":
        tick(options)
    elif options.command == "billing":
        return billing(options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
