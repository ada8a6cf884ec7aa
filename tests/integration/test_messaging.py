"""Secure messaging and attachments through the local stack: conversations with receipts, uploads
through presigned URLs checked by the verifier (S3 → SQS → function), downloads, outsiders, care-team
changes and legal hold."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from infra.local.stack import LocalStack
from rpm_core import config
from rpm_core.data.resources import ATTACHMENTS_BUCKET, LEGAL_HOLD_TAG, RETENTION_TAG
from tests.support.api import Api, assert_problem
from tests.support.cast import Account, Cast, Team, assign, new_clinician

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def open_thread(api: Api, team: Team, subject: str = "Ankle") -> dict[str, Any]:
    response = api.post(
        "/threads", token=team.patient.access_token, json={"patientId": team.patient_id, "subject": subject}
    )
    assert response.status == 201, response
    thread: dict[str, Any] = response.json()
    return thread


def send(api: Api, sender: Account, thread_id: str, recipient: Account, body: str, **extra: Any) -> dict[str, Any]:
    response = api.post(
        f"/threads/{thread_id}/messages",
        token=sender.access_token,
        json={"recipient": recipient.user_id, "body": body, **extra},
    )
    assert response.status == 201, response
    message: dict[str, Any] = response.json()
    return message


def messages(api: Api, caller: Account, thread_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/threads/{thread_id}/messages", token=caller.access_token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def http(method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    assert url.startswith("http://127.0.0.1:"), url  # the local moto endpoint, nothing else
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        body: bytes = response.read()
        return body


def declare(api: Api, uploader: Account, patient_id: str, data: bytes, content_type: str) -> dict[str, Any]:
    response = api.post(
        "/attachments",
        token=uploader.access_token,
        json={
            "patientId": patient_id,
            "fileName": "ankle photo.png",
            "contentType": content_type,
            "sizeBytes": len(data),
        },
    )
    assert response.status == 201, response
    upload: dict[str, Any] = response.json()
    assert upload["status"] == "pending"
    return upload


def upload(
    api: Api, stack: LocalStack, uploader: Account, patient_id: str, data: bytes, content_type: str
) -> dict[str, Any]:
    """Declares, PUTs with exactly ``uploadHeaders``, lets the verifier run; returns the attachment."""
    declared = declare(api, uploader, patient_id, data, content_type)
    http("PUT", declared["uploadUrl"], data, declared["uploadHeaders"])
    stack.drain()
    return attachment(api, uploader, declared["attachmentId"])


def attachment(api: Api, caller: Account, attachment_id: str) -> dict[str, Any]:
    response = api.get(f"/attachments/{attachment_id}", token=caller.access_token)
    assert response.status == 200, response
    found: dict[str, Any] = response.json()
    return found


# --- conversations -----------------------------------------------------------------------------


def test_a_full_conversation_with_receipts(api: Api, stack: LocalStack, team: Team) -> None:
    thread = open_thread(api, team)
    assert thread["patient"] == team.patient_id
    assert set(thread["participants"]) == {team.patient.user_id, team.clinician.user_id}
    assert thread["lastMessageAt"] is None
    thread_id = thread["threadId"]

    question = send(api, team.clinician, thread_id, team.patient, "How is the swelling today?")
    assert question["status"] == "sent"
    assert question["sender"] == team.clinician.user_id
    assert question["expiresAt"] > question["sentAt"]

    # the sender listing does not deliver; the recipient listing does
    assert [m["status"] for m in messages(api, team.clinician, thread_id)] == ["sent"]
    (received,) = messages(api, team.patient, thread_id)
    assert received["status"] == "delivered"
    assert received["deliveredAt"]
    assert messages(api, team.clinician, thread_id)[0]["status"] == "delivered"

    read_path = f"/threads/{thread_id}/messages/{question['objectId']}/read"
    assert_problem(api.post(read_path, token=team.clinician.access_token), 403)  # only the recipient
    read = api.post(read_path, token=team.patient.access_token)
    assert read.status == 200, read
    assert read.json()["status"] == "read"
    read_at = read.json()["readAt"]
    assert api.post(read_path, token=team.patient.access_token).json()["readAt"] == read_at  # first read kept

    answer = send(api, team.patient, thread_id, team.clinician, "Better, thanks.\nStill a little sore.")
    listed = messages(api, team.clinician, thread_id)
    assert [m["objectId"] for m in listed] == [answer["objectId"], question["objectId"]]  # newest first
    assert [m["status"] for m in listed] == ["delivered", "read"]
    assert listed[0]["body"] == "Better, thanks.\nStill a little sore."


def test_messages_page_newest_first(api: Api, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    sent = [send(api, team.patient, thread_id, team.clinician, f"note {i}")["objectId"] for i in range(5)]
    first = api.get(f"/threads/{thread_id}/messages?limit=2", token=team.clinician.access_token).json()
    second = api.get(
        f"/threads/{thread_id}/messages?limit=3&cursor={first['nextCursor']}", token=team.clinician.access_token
    ).json()
    assert [m["objectId"] for m in first["items"] + second["items"]] == sent[::-1]
    foreign = api.get(f"/threads/{thread_id}/messages?cursor={first['nextCursor']}", token=team.patient.access_token)
    assert_problem(foreign, 400)


def test_threads_are_listed_by_last_activity(api: Api, team: Team) -> None:
    older = open_thread(api, team, "first")["threadId"]
    newer = open_thread(api, team, "second")["threadId"]
    for caller in (team.patient, team.clinician):
        ids = [t["threadId"] for t in api.get("/threads", token=caller.access_token).json()["items"]]
        assert ids.index(newer) < ids.index(older)
    send(api, team.clinician, older, team.patient, "news")
    for caller in (team.patient, team.clinician):
        listed = api.get("/threads?limit=1", token=caller.access_token).json()
        assert [t["threadId"] for t in listed["items"]] == [older]
        assert listed["items"][0]["lastMessageAt"]
        assert listed["nextCursor"]


def test_bad_messages_are_refused_with_problems(api: Api, cast: Cast, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    path = f"/threads/{thread_id}/messages"
    token = team.patient.access_token
    to = team.clinician.user_id
    assert_problem(api.post(path, token=token, json={"recipient": to, "body": "x" * 10_001}), 422)
    assert_problem(api.post(path, token=token, json={"recipient": to, "body": "   "}), 422)
    assert_problem(api.post(path, token=token, json={"recipient": to, "body": "a\x00b"}), 422)
    assert api.post(path, token=token, json={"recipient": to, "body": "x" * 10_000}).status == 201
    assert_problem(api.post(path, token=token, json={"recipient": team.patient.user_id, "body": "me"}), 422)
    outsider = cast.unassigned_clinician.user_id
    problem = assert_problem(api.post(path, token=token, json={"recipient": outsider, "body": "hi"}), 422)
    assert problem["errors"][0]["loc"] == ["body", "recipient"]
    assert_problem(api.post(path, token=token, json={"recipient": to, "body": "hi", "attachments": ["nope"]}), 422)
    assert_problem(api.post(path, token=token, json={"recipient": to}), 422)
    assert_problem(api.post("/threads/no-such-thread/messages", token=token, json={"recipient": to, "body": "x"}), 404)
    assert_problem(api.post("/threads", token=token, json={"patientId": cast.other_patient.patient_id}), 404)
    assert_problem(api.post("/threads", token=cast.admin.access_token, json={"patientId": team.patient_id}), 403)
    assert_problem(api.post(f"/threads/{thread_id}/messages/nope/read", token=token), 404)


# --- attachments -------------------------------------------------------------------------------


def test_upload_url_is_signed_for_type_and_size(api: Api, team: Team) -> None:
    declared = declare(api, team.patient, team.patient_id, PNG, "image/png")
    assert declared["uploadHeaders"] == {"Content-Type": "image/png", "Content-Length": str(len(PNG))}
    url = urlsplit(declared["uploadUrl"])
    query = parse_qs(url.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert set(query["X-Amz-SignedHeaders"][0].split(";")) == {"content-length", "content-type", "host"}
    assert int(query["X-Amz-Expires"][0]) == 300  # a replayable URL lives five minutes
    expires = datetime.fromisoformat(declared["expiresAt"].replace("Z", "+00:00"))
    assert timedelta(minutes=4) < expires - datetime.now(UTC) <= timedelta(minutes=5)
    assert url.path.endswith(f"/uploads/{declared['attachmentId']}")  # no file name, no patient id in the key
    assert team.patient_id not in declared["uploadUrl"]
    assert "ankle" not in declared["uploadUrl"]


def test_upload_then_download_intact(api: Api, stack: LocalStack, team: Team) -> None:
    found = upload(api, stack, team.patient, team.patient_id, PNG, "image/png")
    assert found["status"] == "available"
    assert found["fileName"] == "ankle photo.png"
    query = parse_qs(urlsplit(found["downloadUrl"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert http("GET", found["downloadUrl"]) == PNG
    # the care team sees it too, and can download it
    seen = attachment(api, team.clinician, found["attachmentId"])
    assert http("GET", seen["downloadUrl"]) == PNG

    thread_id = open_thread(api, team)["threadId"]
    message = send(api, team.patient, thread_id, team.clinician, "photo", attachments=[found["attachmentId"]])
    assert message["attachments"] == [found["attachmentId"]]
    # only the uploader may attach it
    refused = api.post(
        f"/threads/{thread_id}/messages",
        token=team.clinician.access_token,
        json={"recipient": team.patient.user_id, "body": "fwd", "attachments": [found["attachmentId"]]},
    )
    assert_problem(refused, 422)


@pytest.mark.parametrize("content_type", ["application/pdf", "text/plain", "image/jpeg"])
def test_each_allowed_type_is_accepted(api: Api, stack: LocalStack, team: Team, content_type: str) -> None:
    data = {
        "application/pdf": PDF,
        "text/plain": "Blood pressure log: 120/80 ✓\n".encode(),
        "image/jpeg": b"\xff\xd8\xff\xe0" + bytes(40),
    }[content_type]
    assert upload(api, stack, team.patient, team.patient_id, data, content_type)["status"] == "available"


def _object_versions(stack: LocalStack, attachment_id: str) -> list[dict[str, Any]]:
    s3 = stack.client("s3")
    listed = s3.list_object_versions(
        Bucket=stack.resource_names[ATTACHMENTS_BUCKET.name], Prefix=f"uploads/{attachment_id}"
    )
    versions: list[dict[str, Any]] = listed.get("Versions", [])
    return versions


def test_a_wrong_type_upload_is_rejected_and_never_served(api: Api, stack: LocalStack, team: Team) -> None:
    declared = declare(api, team.patient, team.patient_id, PDF, "image/png")  # says PNG, sends a PDF
    http("PUT", declared["uploadUrl"], PDF, declared["uploadHeaders"])
    stack.drain()
    found = attachment(api, team.patient, declared["attachmentId"])
    assert found["status"] == "rejected"
    assert found.get("downloadUrl") is None
    assert _object_versions(stack, declared["attachmentId"]) == []  # the bytes are gone, every version


def test_an_oversize_upload_is_rejected_and_never_served(api: Api, stack: LocalStack, team: Team) -> None:
    declared = declare(api, team.patient, team.patient_id, PNG, "image/png")
    bigger = PNG + bytes(1000)  # moto does not enforce the signed Content-Length: the verifier does
    http("PUT", declared["uploadUrl"], bigger, {**declared["uploadHeaders"], "Content-Length": str(len(bigger))})
    stack.drain()
    found = attachment(api, team.patient, declared["attachmentId"])
    assert found["status"] == "rejected"
    assert found.get("downloadUrl") is None
    assert _object_versions(stack, declared["attachmentId"]) == []
    thread_id = open_thread(api, team)["threadId"]
    refused = api.post(
        f"/threads/{thread_id}/messages",
        token=team.patient.access_token,
        json={"recipient": team.clinician.user_id, "body": "x", "attachments": [found["attachmentId"]]},
    )
    assert_problem(refused, 422)


def test_a_type_other_than_declared_is_rejected(api: Api, stack: LocalStack, team: Team) -> None:
    declared = declare(api, team.patient, team.patient_id, PNG, "image/png")
    http("PUT", declared["uploadUrl"], PNG, {**declared["uploadHeaders"], "Content-Type": "text/html"})
    stack.drain()
    assert attachment(api, team.patient, declared["attachmentId"])["status"] == "rejected"


def test_pending_attachments_are_not_served_or_attached(api: Api, team: Team) -> None:
    declared = declare(api, team.patient, team.patient_id, PNG, "image/png")
    found = attachment(api, team.patient, declared["attachmentId"])
    assert found["status"] == "pending"
    assert found.get("downloadUrl") is None
    thread_id = open_thread(api, team)["threadId"]
    refused = api.post(
        f"/threads/{thread_id}/messages",
        token=team.patient.access_token,
        json={"recipient": team.clinician.user_id, "body": "x", "attachments": [declared["attachmentId"]]},
    )
    assert_problem(refused, 422)


def test_an_overwrite_after_acceptance_is_discarded(api: Api, stack: LocalStack, team: Team) -> None:
    declared = declare(api, team.patient, team.patient_id, PNG, "image/png")
    http("PUT", declared["uploadUrl"], PNG, declared["uploadHeaders"])
    stack.drain()
    other = b"\x89PNG\r\n\x1a\n" + bytes(len(PNG) - 8)
    http("PUT", declared["uploadUrl"], other, declared["uploadHeaders"])  # the URL still works for a while
    stack.drain()
    found = attachment(api, team.patient, declared["attachmentId"])
    assert found["status"] == "available"
    assert http("GET", found["downloadUrl"]) == PNG
    assert len(_object_versions(stack, declared["attachmentId"])) == 1


def test_bad_declarations_are_refused(api: Api, cast: Cast, team: Team) -> None:
    token = team.patient.access_token
    base = {"patientId": team.patient_id, "fileName": "scan.pdf", "contentType": "application/pdf", "sizeBytes": 10}
    assert_problem(api.post("/attachments", token=token, json={**base, "contentType": "application/zip"}), 415)
    assert_problem(api.post("/attachments", token=token, json={**base, "sizeBytes": 25 * 1024 * 1024 + 1}), 413)
    assert api.post("/attachments", token=token, json={**base, "sizeBytes": 25 * 1024 * 1024}).status == 201
    assert_problem(api.post("/attachments", token=token, json={**base, "sizeBytes": 0}), 422)
    assert_problem(api.post("/attachments", token=token, json={**base, "fileName": "../etc/passwd"}), 422)
    assert_problem(api.post("/attachments", token=token, json={**base, "contentType": "not a type"}), 422)
    assert_problem(
        api.post("/attachments", token=token, json={**base, "patientId": cast.other_patient.patient_id}), 404
    )
    assert_problem(api.get("/attachments/no-such-attachment", token=token), 404)


# --- outsiders and care-team changes -----------------------------------------------------------


def test_outsiders_get_404_on_threads_messages_and_attachments(
    api: Api, stack: LocalStack, cast: Cast, team: Team
) -> None:
    thread_id = open_thread(api, team)["threadId"]
    message = send(api, team.clinician, thread_id, team.patient, "private")
    found = upload(api, stack, team.patient, team.patient_id, PNG, "image/png")
    leaving = new_clinician(api, cast.admin)
    assign(api, cast.admin, team.patient_id, leaving)
    assert len(messages(api, leaving, thread_id)) == 1  # a new team member joins at once
    assert attachment(api, leaving, found["attachmentId"])["status"] == "available"
    removed = api.delete(f"/patients/{team.patient_id}/care-team/{leaving.user_id}", token=cast.admin.access_token)
    assert removed.status == 204

    for outsider in (cast.other_patient, cast.unassigned_clinician, cast.pending_clinician, leaving):
        token = outsider.access_token
        assert_problem(api.get(f"/threads/{thread_id}/messages", token=token), 404)
        post = api.post(
            f"/threads/{thread_id}/messages", token=token, json={"recipient": team.patient.user_id, "body": "hi"}
        )
        assert_problem(post, 404)
        assert_problem(api.post(f"/threads/{thread_id}/messages/{message['objectId']}/read", token=token), 404)
        assert_problem(api.get(f"/attachments/{found['attachmentId']}", token=token), 404)
        assert_problem(api.put(f"/threads/{thread_id}/legal-hold", token=token, json={"hold": True}), 403)
        listed = api.get("/threads", token=token).json()["items"]  # even before the member rows follow
        assert thread_id not in [t["threadId"] for t in listed]
    # admins are not participants: they see that the thread exists, not what it says
    assert_problem(api.get(f"/threads/{thread_id}/messages", token=cast.admin.access_token), 403)


def test_participants_follow_the_care_team(api: Api, stack: LocalStack, cast: Cast, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    joining = new_clinician(api, cast.admin)
    assign(api, cast.admin, team.patient_id, joining)
    stack.drain()
    (listed,) = [
        t for t in api.get("/threads", token=joining.access_token).json()["items"] if t["threadId"] == thread_id
    ]
    assert joining.user_id in listed["participants"]
    send(api, joining, thread_id, team.patient, "I joined the team")
    assert (
        api.delete(f"/patients/{team.patient_id}/care-team/{joining.user_id}", token=cast.admin.access_token).status
        == 204
    )
    stack.drain()
    assert api.get("/threads", token=joining.access_token).json()["items"] == []
    (mine,) = [
        t for t in api.get("/threads", token=team.patient.access_token).json()["items"] if t["threadId"] == thread_id
    ]
    assert set(mine["participants"]) == {team.patient.user_id, team.clinician.user_id}


# --- retention and legal hold ------------------------------------------------------------------


def _tags(stack: LocalStack, attachment_id: str) -> dict[str, str]:
    s3 = stack.client("s3")
    tag_set = s3.get_object_tagging(
        Bucket=stack.resource_names[ATTACHMENTS_BUCKET.name], Key=f"uploads/{attachment_id}"
    )
    return {tag["Key"]: tag["Value"] for tag in tag_set["TagSet"]}


def _stored(stack: LocalStack, table: str, key: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = stack.client("dynamodb").get_item(
        TableName=stack.resource_names[table], Key={k: {"S": v} for k, v in key.items()}
    )["Item"]
    return item


def test_the_lifecycle_rule_expires_only_objects_tagged_for_retention(stack: LocalStack) -> None:
    s3 = stack.client("s3")
    (rule,) = s3.get_bucket_lifecycle_configuration(Bucket=stack.resource_names[ATTACHMENTS_BUCKET.name])["Rules"]
    assert rule["Status"] == "Enabled"
    assert rule["Expiration"]["Days"] == 2557
    assert rule["Filter"] == {"Tag": {"Key": RETENTION_TAG[0], "Value": RETENTION_TAG[1]}}
    assert LEGAL_HOLD_TAG != RETENTION_TAG


def test_legal_hold_stops_and_release_restores_the_purge(api: Api, stack: LocalStack, cast: Cast, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    found = upload(api, stack, team.patient, team.patient_id, PNG, "image/png")
    attachment_id = found["attachmentId"]
    assert _tags(stack, attachment_id) == dict([RETENTION_TAG])
    before = send(api, team.patient, thread_id, team.clinician, "with photo", attachments=[attachment_id])
    assert "expiresAt" in _stored(stack, "Messages", {"threadId": thread_id, "messageId": before["objectId"]})

    held = api.put(f"/threads/{thread_id}/legal-hold", token=cast.admin.access_token, json={"hold": True})
    assert held.status == 200, held
    assert held.json()["legalHold"] is True
    stack.drain()
    assert "expiresAt" not in _stored(stack, "Messages", {"threadId": thread_id, "messageId": before["objectId"]})
    assert "expiresAt" not in _stored(stack, "Attachments", {"attachmentId": attachment_id})
    assert _tags(stack, attachment_id) == dict([LEGAL_HOLD_TAG])
    during = send(api, team.clinician, thread_id, team.patient, "sent while held")
    assert during["expiresAt"] is None
    assert messages(api, team.patient, thread_id)[1]["expiresAt"] is None

    released = api.put(f"/threads/{thread_id}/legal-hold", token=cast.admin.access_token, json={"hold": False})
    assert released.json()["legalHold"] is False
    stack.drain()
    for message in messages(api, team.patient, thread_id):
        assert message["expiresAt"], message
    assert "expiresAt" in _stored(stack, "Attachments", {"attachmentId": attachment_id})
    assert _tags(stack, attachment_id) == dict([RETENTION_TAG])
    assert_problem(
        api.put("/threads/no-such-thread/legal-hold", token=cast.admin.access_token, json={"hold": True}), 404
    )
    assert_problem(
        api.put(f"/threads/{thread_id}/legal-hold", token=cast.admin.access_token, json={"hold": "yes"}), 422
    )


@pytest.fixture
def malware_protection(stack: LocalStack) -> Iterator[None]:
    """The verifier as deployed with context malwareProtection on (GuardDuty tags each upload with its verdict)."""
    verifier = stack.runtime.sandbox("uploadverifier")
    assert verifier is not None
    verifier.environment["MALWARE_SCAN_REQUIRED"] = "true"
    config.reset_process_caches()
    try:
        yield
    finally:
        del verifier.environment["MALWARE_SCAN_REQUIRED"]
        config.reset_process_caches()


def scanned_upload(api: Api, stack: LocalStack, team: Team, verdict: str | None) -> dict[str, Any]:
    """Declares and PUTs a PNG; GuardDuty's verdict tag (None: no verdict yet) is on it before the verifier runs."""
    declared = declare(api, team.patient, team.patient_id, PNG, "image/png")
    with stack.poller.paused():
        http("PUT", declared["uploadUrl"], PNG, declared["uploadHeaders"])
        if verdict:
            stack.client("s3").put_object_tagging(
                Bucket=stack.resource_names["AttachmentFiles"],
                Key=f"uploads/{declared['attachmentId']}",
                Tagging={"TagSet": [{"Key": "GuardDutyMalwareScanStatus", "Value": verdict}]},
            )
    stack.drain()
    return attachment(api, team.patient, declared["attachmentId"])


@pytest.mark.usefixtures("malware_protection")
def test_with_malware_protection_only_a_clean_verdict_serves_the_file(api: Api, stack: LocalStack, team: Team) -> None:
    clean = scanned_upload(api, stack, team, "NO_THREATS_FOUND")
    assert clean["status"] == "available"
    assert http("GET", clean["downloadUrl"]) == PNG
    assert scanned_upload(api, stack, team, "THREATS_FOUND")["status"] == "rejected"
    assert scanned_upload(api, stack, team, "UNSUPPORTED")["status"] == "rejected"
    waiting = scanned_upload(api, stack, team, None)  # no verdict yet: not served, the notification is retried
    assert waiting["status"] == "pending"
    assert "downloadUrl" not in waiting or waiting["downloadUrl"] is None
