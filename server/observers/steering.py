"""Steering: an observer's action travels over the bus to the node holding the candidate's session, which
applies it and records it as an event (so every observer sees it, and the report keeps it).

The observer's node knows at once whether a session received the command (the bus counts subscribers), so
an observer is told plainly when the candidate is not connected instead of waiting for nothing. A session
that cannot apply a command (the interview is closing) answers with a refusal addressed to that command.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from protocol import messages as m
from server.bus import BusStatus, BusUnavailable, EventBus
from server.interviewer import InterviewFinishedError
from server.observers.wire import (
    CommandRefused,
    LinkRevoked,
    Steering,
    SteeringCommand,
    commands_channel,
    commands_message,
    events_channel,
)

if TYPE_CHECKING:
    from server.session import LiveSession

log = logging.getLogger("viva.observers")

OBSERVER_ENDED_MESSAGE = "The interviewer has ended the interview. Thank you for your time."


# ---------------------------------------------------------------------------------------------- observer's node


async def send_steering(bus: EventBus, interview_id: str, action: Steering, by: str) -> m.SteeringRefused | str:
    """Send an action to the interview's session; returns its command id, or why it could not be sent."""
    command = SteeringCommand(command_id=uuid.uuid4().hex, by=by, action=action)
    try:
        receivers = await bus.publish(commands_channel(interview_id), command.model_dump_json())
    except BusUnavailable:
        return _refused(action, m.ErrorCode.LIVE_UNAVAILABLE, "The live link to the interview is down; try again soon.")
    if receivers == 0:
        return _refused(
            action,
            m.ErrorCode.NOT_LIVE,
            "The candidate is not connected to the interview right now; steering works while they are.",
        )
    return command.command_id


def _refused(action: Steering, code: m.ErrorCode, message: str) -> m.SteeringRefused:
    return m.SteeringRefused(request_id=action.request_id, code=code, message=message)


async def link_revoked(bus: EventBus, interview_id: str, link: Literal["candidate", "observer"]) -> None:
    """Close the live connections that hold a link just revoked (best effort: a new connection is refused anyway)."""
    channel = commands_channel(interview_id) if link == "candidate" else events_channel(interview_id)
    with contextlib.suppress(BusUnavailable):
        await bus.publish(channel, LinkRevoked(link=link).model_dump_json())


# ---------------------------------------------------------------------------------------------- session's node


async def follow_steering(session: LiveSession, bus: EventBus) -> None:
    """Apply observers' commands to ``session`` until cancelled; returns when the candidate's link is revoked."""
    interview_id = session.record.id
    async with bus.subscribe(commands_channel(interview_id)) as subscription:
        while True:
            item = await subscription.get()
            if isinstance(item, BusStatus):
                continue
            try:
                message = commands_message.validate_json(item)
            except ValidationError as exc:
                log.warning("ignored an unreadable command for %s: %s", interview_id, exc)
                continue
            if isinstance(message, LinkRevoked):
                if message.link == "candidate":
                    return
                continue
            try:
                refusal = apply(session, message)
            except Exception:  # an observer's command must never take the candidate's session down
                log.exception("applying a steering command to %s failed", interview_id)
                refusal = m.ErrorCode.INTERNAL_ERROR, "The command could not be applied."
            if refusal is not None:
                code, text = refusal
                reply = CommandRefused(
                    command_id=message.command_id, request_id=message.action.request_id, code=code, message=text
                )
                with contextlib.suppress(BusUnavailable):
                    await bus.publish(events_channel(interview_id), reply.model_dump_json())


def apply(session: LiveSession, command: SteeringCommand) -> tuple[m.ErrorCode, str] | None:
    """Carry out one command on the session and record it; returns a refusal (code, message) instead if it cannot."""
    action, by = command.action, command.by
    if isinstance(action, m.AddNote):
        session.journal.record(m.NoteAdded(text=action.text, request_id=action.request_id, by=by))
        return None
    if session.state is m.SessionState.ENDED or session.ending:
        return m.ErrorCode.NOT_LIVE, "The interview is already ending."
    if isinstance(action, m.EndInterview):
        session.journal.record(
            m.SteeringApplied(action=m.SteeringAction.END_INTERVIEW, status="done", request_id=action.request_id, by=by)
        )
        session.end(m.EndReason.OBSERVER_ENDED, OBSERVER_ENDED_MESSAGE)
        return None
    try:
        if isinstance(action, m.AskQuestion):
            session.interviewer.queue_question(action.text)
            steering, text = m.SteeringAction.ASK_QUESTION, action.text
        else:
            session.interviewer.skip_topic()
            steering, text = m.SteeringAction.SKIP_TOPIC, ""
    except InterviewFinishedError:
        return m.ErrorCode.NOT_LIVE, "The interviewer has already said its closing words."
    session.journal.record(
        m.SteeringApplied(action=steering, status="queued", text=text, request_id=action.request_id, by=by)
    )
    return None
