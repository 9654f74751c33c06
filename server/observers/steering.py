"""Steering: an observer's action travels over the bus to the node holding the candidate's session, which
applies it and records it as an event (so every observer sees it, and the report keeps it).

The observer's node knows at once whether a session received the command (the bus counts subscribers), so
an observer is told plainly when the candidate is not connected instead of waiting for nothing. A session
that cannot apply a command (the interview is closing) answers with a refusal addressed to that command.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Literal

from protocol import messages as m
from server.bus import BusUnavailable, EventBus
from server.observers.wire import (
    LinkRevoked,
    Steering,
    SteeringCommand,
    commands_channel,
    events_channel,
)


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
