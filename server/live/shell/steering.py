"""Steering on the candidate's node: observers' commands arrive over the bus and go into the session as inputs.

The core decides what each one does (:mod:`server.live.core.steering`); this only listens, and stops when the
candidate's link is revoked (the session then closes with 4012).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pydantic import ValidationError

from server.bus import BusStatus, EventBus
from server.observers.wire import LinkRevoked, commands_channel, commands_message

if TYPE_CHECKING:
    from server.live.shell.session import LiveSession

log = logging.getLogger("viva.observers")


async def follow_steering(session: LiveSession, bus: EventBus) -> None:
    """Hand observers' commands to ``session`` until cancelled; returns when the candidate's link is revoked."""
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
            await session.steer(message.command_id, message.by, message.action.model_dump_json())
