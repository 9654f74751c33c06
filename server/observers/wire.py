"""What travels between nodes on the bus, per interview: numbered events to observers, steering to the session.

Two channels per interview. ``events`` carries batches of :class:`~protocol.messages.ObserverEvent` (and the
session's refusals of steering, addressed by command id); ``commands`` carries steering to the session.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from protocol import messages as m


def events_channel(interview_id: str) -> str:
    return f"viva:interview:{interview_id}:events"


def commands_channel(interview_id: str) -> str:
    return f"viva:interview:{interview_id}:commands"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventBatch(_Wire):
    type: Literal["events"] = "events"
    events: list[m.ObserverEvent]


class CommandRefused(_Wire):
    """The session could not apply a command; only the observer who sent it is told."""

    type: Literal["refused"] = "refused"
    command_id: str
    request_id: str
    code: m.ErrorCode
    message: str


Steering = Annotated[m.AskQuestion | m.SkipTopic | m.AddNote | m.EndInterview, Field(discriminator="type")]


class SteeringCommand(_Wire):
    type: Literal["steer"] = "steer"
    command_id: str
    by: str
    action: Steering


class LinkRevoked(_Wire):
    """A link of the interview was revoked: connections holding it close."""

    type: Literal["link_revoked"] = "link_revoked"
    link: Literal["candidate", "observer"]


#: To observers: the candidate's link revoked goes to the session (commands), the observers' to observers.
EventsMessage = Annotated[EventBatch | CommandRefused | LinkRevoked, Field(discriminator="type")]
CommandsMessage = Annotated[SteeringCommand | LinkRevoked, Field(discriminator="type")]

events_message: TypeAdapter[EventsMessage] = TypeAdapter(EventsMessage)
commands_message: TypeAdapter[CommandsMessage] = TypeAdapter(CommandsMessage)
