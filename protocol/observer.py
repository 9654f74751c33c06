"""The observer socket: the numbered events an observer watches, and the steering and notes they send back.

An observer (the interviewer's human colleague) watches one interview live on its own socket and may steer it.
Everything the candidate's session does reaches observers as numbered events: the candidate-facing messages of
:mod:`protocol.candidate` plus observer-only ones (scores, steering, notes). The numbers are gapless per
interview, so a late or reconnecting observer gets the history up to some number, then live events after it,
with neither gap nor duplicate.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from protocol.candidate import (
    Ended,
    FinalTranscript,
    Interrupted,
    PartialTranscript,
    SpeechActivity,
    StateChanged,
    UtteranceEnd,
    UtteranceStart,
    UtteranceText,
)
from protocol.common import MAX_INT, ErrorCode, ErrorMessage, Message, Text

#: Longest question an observer may have the interviewer ask, in characters.
MAX_OBSERVER_QUESTION_CHARS = 1000
#: Longest private note, in characters.
MAX_NOTE_CHARS = 4000


class SteeringAction(StrEnum):
    ASK_QUESTION = "ask_question"
    SKIP_TOPIC = "skip_topic"
    END_INTERVIEW = "end_interview"


class LiveStatus(StrEnum):
    LIVE = "live"
    DEGRADED = "degraded"


class CandidateConnection(Message):
    """The candidate's page connected to, or left, the live session (observer-only event)."""

    type: Literal["candidate_connection"] = "candidate_connection"
    connected: bool


class ScoreLanded(Message):
    """An answer was scored, beside the conversation (observer-only event). A later score of the same
    question (after its follow-ups) replaces this one."""

    type: Literal["score"] = "score"
    question_number: int = Field(ge=0)
    question: str
    answer: str
    overall: float = Field(ge=0, le=10)
    rubric: str
    scores: dict[str, int] = Field(description="Criterion id to 0-10 score.")
    evidence: dict[str, list[str]] = Field(description="Criterion id to the candidate's words quoted for it.")
    strength: str
    improvement: str
    engine: str


class SteeringApplied(Message):
    """An observer's steering action, as the session took it (observer-only event).

    ``queued`` means it waits for the next turn boundary (a question, a skip); ``done`` that it happened (the
    question is being spoken, the interviewer moved on, the interview is ending).
    """

    type: Literal["steering"] = "steering"
    action: SteeringAction
    status: Literal["queued", "done"]
    text: str = ""
    request_id: str = ""
    by: str = Field(default="", description="The observer's display name, as they gave it (untrusted text).")


class NoteAdded(Message):
    """A private note of an observer, kept for the report; never sent to the candidate (observer-only event)."""

    type: Literal["note"] = "note"
    text: str
    request_id: str = ""
    by: str = ""


LiveEvent = Annotated[
    StateChanged
    | SpeechActivity
    | PartialTranscript
    | FinalTranscript
    | UtteranceStart
    | UtteranceText
    | UtteranceEnd
    | Interrupted
    | Ended
    | CandidateConnection
    | ScoreLanded
    | SteeringApplied
    | NoteAdded,
    Field(discriminator="type"),
]


class ObserverEvent(Message):
    """One event of the interview, numbered: ``seq`` is 1, 2, 3... per interview, without gaps."""

    type: Literal["event"] = "event"
    seq: int = Field(ge=1)
    at: str = Field(description="When the session recorded it, ISO 8601 with offset.")
    event: LiveEvent


# observer -> server


class Observe(Message):
    """First message of an observer: start watching after event ``after_seq`` (0: from the beginning)."""

    type: Literal["observe"] = "observe"
    after_seq: int = Field(default=0, ge=0, le=MAX_INT)
    name: Text = Field(default="", max_length=60, description="Shown with this observer's steering and notes.")


class _Steering(Message):
    request_id: Text = Field(default="", max_length=64, description="Echoed in the resulting event or refusal.")


class AskQuestion(_Steering):
    """Have the interviewer ask this question next, in its own voice, at the next turn boundary."""

    type: Literal["ask_question"] = "ask_question"
    text: Text = Field(min_length=1, max_length=MAX_OBSERVER_QUESTION_CHARS)


class SkipTopic(_Steering):
    """Move on to the next planned question after the current answer."""

    type: Literal["skip_topic"] = "skip_topic"


class AddNote(_Steering):
    """A private note for the report."""

    type: Literal["add_note"] = "add_note"
    text: Text = Field(min_length=1, max_length=MAX_NOTE_CHARS)


class EndInterview(_Steering):
    """End the interview now (the answer in progress is still saved)."""

    type: Literal["end_interview"] = "end_interview"


ObserverClientMessage = Annotated[
    Observe | AskQuestion | SkipTopic | AddNote | EndInterview,
    Field(discriminator="type"),
]


# server -> observer


class ObserverReady(Message):
    """Answer to ``observe``: the interview being watched. The ``history`` message follows."""

    type: Literal["observer_ready"] = "observer_ready"
    interview_id: str
    candidate_name: str
    job_title: str
    interview_type: str
    num_questions: int
    status: str = Field(description="created, in_progress, completed or ended.")
    live: LiveStatus


class History(Message):
    """The events after the requested ``after_seq``, up to ``last_seq``, in parts of at most 500; live events
    continue after the part marked ``complete``."""

    type: Literal["history"] = "history"
    events: list[ObserverEvent]
    last_seq: int = Field(ge=0)
    complete: bool = Field(default=True, description="False when another part of the history follows.")


class LiveStatusChanged(Message):
    """The live link between the servers was lost (events then arrive late, read from the database) or is back."""

    type: Literal["live_status"] = "live_status"
    status: LiveStatus
    message: str


class SteeringRefused(Message):
    """A steering action or note could not be delivered; nothing was changed."""

    type: Literal["steering_refused"] = "steering_refused"
    request_id: str
    code: ErrorCode
    message: str


ObserverServerMessage = Annotated[
    ObserverReady | History | ObserverEvent | LiveStatusChanged | SteeringRefused | ErrorMessage,
    Field(discriminator="type"),
]


OBSERVER_CLIENT_TYPES = frozenset(
    t.model_fields["type"].default for t in (Observe, AskQuestion, SkipTopic, AddNote, EndInterview)
)
#: The candidate-facing messages observers see too, as events.
OBSERVED_SERVER_TYPES: tuple[type[Message], ...] = (
    StateChanged,
    SpeechActivity,
    PartialTranscript,
    FinalTranscript,
    UtteranceStart,
    UtteranceText,
    UtteranceEnd,
    Interrupted,
    Ended,
)
