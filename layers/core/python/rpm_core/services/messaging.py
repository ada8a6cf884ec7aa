"""Threads between a patient and their care team, and their messages.

Who takes part is decided at read time by ``access.patient_grant`` on the thread's patient: the
patient and the clinicians on the care team *now* (a clinician taken off the team loses the thread at
once). Admins see that threads exist (legal hold) but are not participants. The member rows that order
``GET /threads`` follow the care team through the ``threadsync`` stream function; each page is checked
against the care team again, so a stale row never shows a thread.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from rpm_core.auth import Principal
from rpm_core.data import attachments as attachment_store
from rpm_core.data import care_teams as team_store
from rpm_core.data import messages as message_store
from rpm_core.data import threads as thread_store
from rpm_core.data.pagination import decode_cursor
from rpm_core.errors import Forbidden, NotFound, ValidationFailed
from rpm_core.ids import uuid7
from rpm_core.models.messaging import LegalHold, MessageCreate, Thread, ThreadCreate, UserMessage
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import reads, retention
from rpm_core.services.access import PatientGrant, Relation, patient_grant, require_admin

NOT_A_PARTICIPANT = "Only the patient and their care team take part in a thread."


def thread_view(item: dict[str, Any]) -> Thread:
    return Thread(
        objectId=item["threadId"],
        threadId=item["threadId"],
        patient=item["patientId"],
        participants=sorted(item.get("participants") or ()),
        subject=item.get("subject"),
        legalHold=bool(item.get("legalHold")),
        createdAt=item["createdAt"],
        updatedAt=item["updatedAt"],
        lastMessageAt=item.get("lastMessageAt"),
    )


def message_view(item: dict[str, Any]) -> UserMessage:
    expiry = item.get("expiresAt")
    return UserMessage(
        objectId=item["messageId"],
        threadId=item["threadId"],
        sender=item["sender"],
        recipient=item["recipient"],
        body=item["body"],
        attachments=list(item.get("attachments") or ()),
        status=item["status"],
        sentAt=item["sentAt"],
        deliveredAt=item.get("deliveredAt"),
        readAt=item.get("readAt"),
        expiresAt=datetime.fromtimestamp(int(expiry), UTC) if expiry is not None else None,
        createdAt=item["createdAt"],
        updatedAt=item["updatedAt"],
    )


def _thread_not_found(thread_id: str) -> NotFound:
    return NotFound(f"Thread {thread_id} was not found.")


def _participant(principal: Principal, patient_id: str) -> PatientGrant:
    grant = patient_grant(principal, patient_id)
    if grant.relation is Relation.ADMIN:
        raise Forbidden(NOT_A_PARTICIPANT)
    if grant.relation is Relation.BREAK_GLASS:
        raise Forbidden("Break-glass access reads the patient's records; it takes part in no conversation.")
    return grant


def _thread_of_participant(principal: Principal, thread_id: str) -> tuple[dict[str, Any], PatientGrant]:
    """The thread, if the caller takes part in it now: 404 when they may not see it, 403 for admins."""
    thread = thread_store.get_thread(thread_id)
    if thread is None:
        raise _thread_not_found(thread_id)
    try:
        return thread, _participant(principal, thread["patientId"])
    except NotFound:
        raise _thread_not_found(thread_id) from None


def get_thread(principal: Principal, thread_id: str) -> Thread:
    """One thread the caller takes part in (GraphQL's ``thread(id)``): 404 when they may not see it, 403 for
    admins, as for its messages."""
    thread, grant = _thread_of_participant(principal, thread_id)
    reads.of_patient(grant, "Thread", [thread_id])
    return thread_view(thread)


def create_thread(principal: Principal, request: ThreadCreate, request_id: str) -> Thread:
    grant = _participant(principal, request.patientId)
    participants = set(team_store.member_ids(request.patientId))
    if grant.patient.get("userId"):
        participants.add(str(grant.patient["userId"]))
    participants.add(principal.user_id)
    item: dict[str, Any] = {
        "threadId": str(uuid.uuid4()),
        "patientId": request.patientId,
        "participants": participants,
        "legalHold": False,
        **created(Actor(principal.user_id, request_id)),
    }
    if request.subject:
        item["subject"] = request.subject
    thread_store.create_thread(item)
    return thread_view(item)


def list_threads(principal: Principal, *, limit: int, cursor: str | None) -> tuple[list[Thread], str | None]:
    scope = f"threads|{principal.user_id}"
    if not (principal.is_patient or principal.is_clinician):  # admins and pending users take part in none
        decode_cursor(cursor, scope)
        return [], None
    page = thread_store.list_member_threads(principal.user_id, limit=limit, cursor=cursor, scope=scope)
    rows = page.items
    found = thread_store.get_threads_with_seats(
        [row["threadId"] for row in rows],
        seats_of=principal.user_id if principal.is_clinician else None,
        patient_ids=[row["patientId"] for row in rows],
    )

    def takes_part(patient_id: str) -> bool:
        if principal.is_patient:
            return principal.patient_id == patient_id
        return patient_id in found.seated_patients

    threads = [
        thread_view(found.threads[row["threadId"]])
        for row in rows
        if row["threadId"] in found.threads and takes_part(row["patientId"])
    ]
    reads.across_patients(principal, "Thread", ((thread.patient, thread.objectId) for thread in threads))
    return threads, page.next_cursor


def _recipient_takes_part(grant: PatientGrant, recipient: str) -> bool:
    if recipient == grant.patient.get("userId"):
        return True
    return team_store.is_member(str(grant.patient["patientId"]), recipient)


def _invalid(loc: list[str | int], msg: str) -> dict[str, Any]:
    return {"loc": ["body", *loc], "msg": msg, "type": "value_error"}


def _check_attachments(principal: Principal, thread: dict[str, Any], attachment_ids: list[str]) -> None:
    found = attachment_store.get_attachments(attachment_ids)
    errors = []
    for index, attachment_id in enumerate(attachment_ids):
        item = found.get(attachment_id)
        if item is None or item.get("uploadedBy") != principal.user_id:
            errors.append(_invalid(["attachments", index], "not an attachment you uploaded"))
        elif item.get("patientId") != thread["patientId"]:
            errors.append(_invalid(["attachments", index], "the attachment belongs to another patient"))
        elif item.get("status") != "available":
            errors.append(_invalid(["attachments", index], f"the attachment is {item.get('status')}, not available"))
    if len(set(attachment_ids)) != len(attachment_ids):
        errors.append(_invalid(["attachments"], "an attachment is listed twice"))
    if errors:
        raise ValidationFailed("The message cannot be sent.", errors=errors)


def post_message(principal: Principal, thread_id: str, request: MessageCreate, request_id: str) -> UserMessage:
    thread, grant = _thread_of_participant(principal, thread_id)
    if request.recipient == principal.user_id:
        raise ValidationFailed(
            "The message cannot be sent.", errors=[_invalid(["recipient"], "you cannot write to yourself")]
        )
    if not _recipient_takes_part(grant, request.recipient):
        raise ValidationFailed(
            "The message cannot be sent.", errors=[_invalid(["recipient"], "the recipient does not take part")]
        )
    _check_attachments(principal, thread, request.attachments)
    stamp = created(Actor(principal.user_id, request_id))
    message: dict[str, Any] = {
        "threadId": thread_id,
        "messageId": uuid7(),
        "patientId": thread["patientId"],
        "sender": principal.user_id,
        "recipient": request.recipient,
        "body": request.body,
        "attachments": request.attachments,
        "status": "sent",
        "sentAt": stamp["createdAt"],
        **stamp,
    }
    # the members' lists move first: the message's own write is the create's last, so a refusal after it cannot
    # answer 429 for a message that was stored (a retry moves them again, never back)
    thread_store.touch_members(thread_id, thread_store.member_ids(thread_id), message["sentAt"])
    for attempt in range(2):
        held = bool(thread.get("legalHold"))
        if held:
            message.pop("expiresAt", None)
        else:
            message["expiresAt"] = retention.expires_at(stamp["createdAt"])
        try:
            thread_store.record_message(message, held=held)
            break
        except thread_store.HoldChanged:
            fresh = thread_store.get_thread(thread_id)
            if fresh is None or attempt:
                raise _thread_not_found(thread_id) from None
            thread = fresh
    for attachment_id in request.attachments if held else ():
        retention.hold_attachment(attachment_id, thread_id, held=True)
    return message_view(message)


def list_messages(
    principal: Principal, thread_id: str, *, limit: int, cursor: str | None, request_id: str
) -> tuple[list[UserMessage], str | None]:
    _, grant = _thread_of_participant(principal, thread_id)
    page = message_store.list_messages(
        thread_id, limit=limit, cursor=cursor, scope=f"messages|{principal.user_id}|{thread_id}"
    )
    received = [m for m in page.items if m.get("recipient") == principal.user_id and m.get("status") == "sent"]
    if received:
        stamp = updated(Actor(principal.user_id, request_id))  # the recipient, who listed them
        marked = message_store.mark_delivered(received, stamp)
        for item in page.items:
            if item["messageId"] in marked:
                item.update(status="delivered", deliveredAt=stamp["updatedAt"], **stamp)
    messages = [message_view(item) for item in page.items]
    reads.of_patient(grant, "Message", (message.objectId for message in messages))  # the thread's patient
    return messages, page.next_cursor


def read_message(principal: Principal, thread_id: str, message_id: str, request_id: str) -> UserMessage:
    _, grant = _thread_of_participant(principal, thread_id)
    try:
        stamp = updated(Actor(principal.user_id, request_id))
        item = message_store.mark_read(thread_id, message_id, principal.user_id, stamp)
    except message_store.MessageMissing:
        raise NotFound(f"Message {message_id} was not found.") from None
    except message_store.NotTheRecipient:
        raise Forbidden("Only the recipient marks a message read.") from None
    reads.of_patient(grant, "Message", [message_id])  # the answer carries the body
    return message_view(item)


def set_legal_hold(principal: Principal, thread_id: str, request: LegalHold, request_id: str) -> Thread:
    """Sets the hold; the thread's messages and attachments follow it through the ``threadsync`` stream
    function (``retention.apply_thread_hold``), however many there are."""
    require_admin(principal)
    try:
        item = thread_store.set_legal_hold(
            thread_id, {"legalHold": request.hold, **updated(Actor(principal.user_id, request_id))}
        )
    except thread_store.ThreadMissing:
        raise _thread_not_found(thread_id) from None
    return thread_view(item)
