"""Steering on the candidate's node: observers' commands arrive over the bus and are applied to the session.

Each command is applied and recorded as an event (so every observer sees it, and the report keeps it), or
answered with a refusal addressed to that command when the session cannot take it (the interview is closing).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from pydantic import ValidationError

from protocol import messages as m
from server.bus import BusStatus, BusUnavailable, EventBus
from server.conversation.machine import InterviewFinishedError
from server.observers.wire import (
    CommandRefused,
    LinkRevoked,
    SteeringCommand,
    commands_channel,
    commands_message,
    events_channel,
)

if TYPE_CHECKING:
    from server.live.shell.session import LiveSession

log = logging.getLogger("viva.observers")

OBSERVER_ENDED_MESSAGE = "The interviewer has ended the interview. Thank you for your time."


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
