"""Observers' steering as the candidate's session takes it, and the events that say so.

Every action follows one sequence, recorded as ``steering`` events with the request's ``text``,
``request_id`` and ``by``: ``queued`` when the session takes it, then ``done`` when it happens — a question
when the interviewer starts asking it, a skip when it moves on, an end at once. A note is one ``note`` event.
An action the session cannot take (the interview is ending, the closing words were said) is refused to its
sender only, and changes nothing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from protocol import messages as m
from server.live.core import io
from server.live.core.speaking import ReplyInfo

if TYPE_CHECKING:
    from server.live.core.session import LiveCore

OBSERVER_ENDED = "The interviewer has ended the interview. Thank you for your time."


@dataclass(frozen=True)
class _Request:
    text: str
    request_id: str
    by: str


class SteeringDesk:
    """The observers' requests that wait for the next turn boundary, in the order they came."""

    def __init__(self) -> None:
        self._waiting: dict[m.SteeringAction, deque[_Request]] = {
            m.SteeringAction.ASK_QUESTION: deque(),
            m.SteeringAction.SKIP_TOPIC: deque(),
        }

    def apply(self, steer: io.Steer, core: LiveCore) -> list[io.Command]:
        try:
            action = m.parse_observer_message(steer.action)
        except m.ProtocolError as exc:
            return [io.RefuseSteering(steer.command_id, "", m.ErrorCode.INVALID_MESSAGE, exc.message)]
        request_id = getattr(action, "request_id", "")
        if isinstance(action, m.AddNote):
            return [io.Record(m.NoteAdded(text=action.text, request_id=request_id, by=steer.by))]
        if isinstance(action, m.Observe):
            return [io.RefuseSteering(steer.command_id, "", m.ErrorCode.INVALID_MESSAGE, "not a steering action")]
        refusal = self._refusal(action, core)
        if refusal is not None:
            return [io.RefuseSteering(steer.command_id, request_id, m.ErrorCode.NOT_LIVE, refusal)]
        text = action.text if isinstance(action, m.AskQuestion) else ""
        request = _Request(text, request_id, steer.by)
        kind = _ACTIONS[type(action)]
        commands: list[io.Command] = [io.Record(_event(kind, "queued", request))]
        if kind is m.SteeringAction.END_INTERVIEW:
            commands.append(io.Record(_event(kind, "done", request)))
            core.end(m.EndReason.OBSERVER_ENDED, OBSERVER_ENDED)
            return commands
        self._waiting[kind].append(request)
        told = io.TellInterviewer("queue_question", text) if kind is m.SteeringAction.ASK_QUESTION else None
        commands.insert(0, told or io.TellInterviewer("skip_topic"))
        return commands

    def reply_started(self, reply: ReplyInfo) -> list[io.Command]:
        """The interviewer starts saying a reply: the observer's request it carries out is done."""
        if reply.observer_action is None:
            return []
        waiting = self._waiting.get(m.SteeringAction(reply.observer_action))
        if not waiting:
            return []
        return [io.Record(_event(m.SteeringAction(reply.observer_action), "done", waiting.popleft()))]

    @staticmethod
    def _refusal(action: object, core: LiveCore) -> str | None:
        if core.ending is not None or core.closed or core.phase == "ended":
            return "The interview is already ending."
        if not isinstance(action, m.EndInterview) and core.interviewer_finished:
            return "The interviewer has already said its closing words."
        return None


_ACTIONS = {
    m.AskQuestion: m.SteeringAction.ASK_QUESTION,
    m.SkipTopic: m.SteeringAction.SKIP_TOPIC,
    m.EndInterview: m.SteeringAction.END_INTERVIEW,
}


def _event(action: m.SteeringAction, status: str, request: _Request) -> m.SteeringApplied:
    return m.SteeringApplied(
        action=action,
        status=status,  # type: ignore[arg-type]
        text=request.text,
        request_id=request.request_id,
        by=request.by,
    )
