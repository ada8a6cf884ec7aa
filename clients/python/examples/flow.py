"""The seed's flow, as the README shows it: a patient signs in, reads their latest device data and monitoring logs,
writes to their care team and listens for events. Prints one JSON line per step. RPM_API, RPM_WS, RPM_EMAIL and
RPM_PASSWORD say where and who."""

import json
import os
import uuid

from rpm_api.api.devices import list_device_data
from rpm_api.api.messaging import create_thread, send_message
from rpm_api.api.monitoring import list_monitoring_logs
from rpm_api.api.users import get_me
from rpm_api.models import MessageCreate, ThreadCreate
from rpm_client import RpmClient, unwrap

client = RpmClient(os.environ["RPM_API"], os.environ["RPM_WS"])
client.sign_in(os.environ["RPM_EMAIL"], os.environ["RPM_PASSWORD"])
me = unwrap(get_me.sync(client=client.api))
patient_id = str(me.patient_id)
readings = unwrap(list_device_data.sync(patient_id, client=client.api, limit=5))
logs = unwrap(list_monitoring_logs.sync(patient_id, client=client.api, limit=5))
print(json.dumps({"step": "latest", "deviceData": len(readings.items), "monitoringLogs": len(logs.items)}), flush=True)

thread = unwrap(create_thread.sync(client=client.api, body=ThreadCreate(patient_id=patient_id, subject="My readings")))
clinician = next(user for user in thread.participants if user != me.user_id)
message = MessageCreate(recipient=clinician, body="My pressure was high this morning.")
sent = unwrap(send_message.sync(thread.thread_id, client=client.api, body=message, idempotency_key=str(uuid.uuid4())))
print(json.dumps({"step": "sent", "messageId": sent.object_id, "threadId": thread.thread_id}), flush=True)
print(json.dumps({"step": "paged", "threads": sum(1 for _ in client.pages("/threads"))}), flush=True)


def on_event(event: dict) -> bool:
    print(json.dumps({"step": "event", "event": event}), flush=True)
    return event["type"] == "message.created"  # True: stop listening


client.listen(on_event, on_open=lambda: print(json.dumps({"step": "listening"}), flush=True))
