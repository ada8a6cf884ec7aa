"""Secure messaging and attachments (``/threads``, ``/attachments``)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.common import ListResponse
from rpm_core.models.messaging import (
    Attachment,
    AttachmentCreate,
    AttachmentUpload,
    LegalHold,
    MessageCreate,
    Thread,
    ThreadCreate,
    UserMessage,
)
from rpm_core.services import attachments, messaging

router = APIGatewayHttpRouter()
TAGS = ["messaging"]


@router.post(
    "/threads",
    **route(
        "Open a thread between a patient and their care team",
        status_code=201,
        problems=(404,),
        tags=TAGS,
        operation_id="createThread",
    ),
)
def create_thread(request: ThreadCreate) -> Thread:
    return messaging.create_thread(context.principal(), request, context.request_id())


@router.get(
    "/threads",
    **route(
        "Threads the caller takes part in, last activity first", tags=TAGS, reads="Thread", operation_id="listThreads"
    ),
)
def list_threads(limit: Limit = 50, cursor: Cursor = None) -> ListResponse[Thread]:
    items, next_cursor = messaging.list_threads(context.principal(), limit=limit, cursor=cursor)
    return ListResponse[Thread](items=items, nextCursor=next_cursor)


@router.post(
    "/threads/<threadId>/messages",
    **route(
        "Send a message to another participant", status_code=201, problems=(404,), tags=TAGS, operation_id="sendMessage"
    ),
)
def post_message(threadId: PathId, request: MessageCreate) -> UserMessage:
    return messaging.post_message(context.principal(), threadId, request, context.request_id())


@router.get(
    "/threads/<threadId>/messages",
    **route(
        "A thread's messages, newest first",
        problems=(404,),
        tags=TAGS,
        description="Listing marks the caller's received messages delivered.",
        reads="Message",
        operation_id="listMessages",
    ),
)
def list_messages(threadId: PathId, limit: Limit = 50, cursor: Cursor = None) -> ListResponse[UserMessage]:
    items, next_cursor = messaging.list_messages(
        context.principal(), threadId, limit=limit, cursor=cursor, request_id=context.request_id()
    )
    return ListResponse[UserMessage](items=items, nextCursor=next_cursor)


@router.post(
    "/threads/<threadId>/messages/<messageId>/read",
    **route(
        "Mark a message read (its recipient)",
        problems=(404,),
        tags=TAGS,
        reads="Message",
        operation_id="markMessageRead",
    ),
)
def read_message(threadId: PathId, messageId: PathId) -> UserMessage:
    return messaging.read_message(context.principal(), threadId, messageId, context.request_id())


@router.put(
    "/threads/<threadId>/legal-hold",
    **route(
        "Put a thread on legal hold, or release it (admin)", problems=(404,), tags=TAGS, operation_id="setLegalHold"
    ),
)
def legal_hold(threadId: PathId, request: LegalHold) -> Thread:
    return messaging.set_legal_hold(context.principal(), threadId, request, context.request_id())


@router.post(
    "/attachments",
    **route(
        "Declare an attachment and get its presigned upload URL",
        status_code=201,
        problems=(404, 413, 415),
        tags=TAGS,
        description="PUT the bytes to uploadUrl with exactly uploadHeaders; the upload is checked afterwards.",
        operation_id="createAttachment",
    ),
)
def create_attachment(request: AttachmentCreate) -> AttachmentUpload:
    return attachments.create_attachment(context.principal(), request, context.request_id())


@router.get(
    "/attachments/<attachmentId>",
    **route(
        "An attachment, with a 5-minute download URL once available",
        problems=(404,),
        tags=TAGS,
        reads="Attachment",
        operation_id="getAttachment",
    ),
)
def get_attachment(attachmentId: PathId) -> Attachment:
    return attachments.get_attachment(context.principal(), attachmentId)


app = http.resolver(router, service="messaging")
lambda_handler = http.entrypoint(app, service="messaging")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
