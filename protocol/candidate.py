"""The candidate's socket: what the candidate's page sends, and what the server sends it back."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from protocol.common import (
    MAX_ANSWER_CHARS,
    MAX_INT,
    EndReason,
    ErrorMessage,
    Message,
    SessionState,
    Text,
    TurnRecord,
    UtteranceKind,
)

# --------------------------------------------------------------------------- client -> server


class Hello(Message):
    """First message after the socket opens: who is talking and in what audio format."""

    type: Literal["hello"] = "hello"
    client: Text = Field(default="unknown", max_length=100, description="Free-form client name and version.")
    sample_rate: Literal[16000] = 16000
    frame_ms: Literal[20] = 20


class Start(Message):
    """Begin the interview (or resume it after a reconnect)."""

    type: Literal["start"] = "start"


class TextAnswer(Message):
    """A typed answer, an equal alternative to speaking. Ends the candidate's turn."""

    type: Literal["text_answer"] = "text_answer"
    text: Text = Field(min_length=1, max_length=MAX_ANSWER_CHARS)


class EndTurn(Message):
    """The candidate says they are done speaking (button or key), so the turn ends at once."""

    type: Literal["end_turn"] = "end_turn"


class Playback(Message):
    """Progress of the client's playback of one interviewer utterance."""

    type: Literal["playback"] = "playback"
    utterance_id: int = Field(ge=0, le=MAX_INT)
    played_ms: int = Field(ge=0, le=MAX_INT, description="Milliseconds of this utterance played so far.")
    done: bool = Field(default=False, description="True once the whole utterance has been played.")


class End(Message):
    """The candidate ends the interview."""

    type: Literal["end"] = "end"


ClientMessage = Annotated[
    Hello | Start | TextAnswer | EndTurn | Playback | End,
    Field(discriminator="type"),
]


# --------------------------------------------------------------------------- server -> client


class Ready(Message):
    """Answer to ``hello``: the session's parameters, and the history when resuming."""

    type: Literal["ready"] = "ready"
    interview_id: str
    candidate_name: str
    job_title: str
    num_questions: int
    output_sample_rate: int = Field(description="Sample rate of the downstream audio frames, in Hz.")
    started: bool = Field(description="True when the interview was already under way (a reconnect).")
    history: list[TurnRecord] = Field(default_factory=list)


class StateChanged(Message):
    type: Literal["state"] = "state"
    state: SessionState


class SpeechActivity(Message):
    """Voice activity as the server hears it: confirmed speech started or stopped."""

    type: Literal["speech"] = "speech"
    active: bool
    at_ms: int = Field(ge=0, description="Position in the upstream audio, in milliseconds.")


class PartialTranscript(Message):
    """A caption of the turn so far; replaced by the next partial or the final transcript."""

    type: Literal["partial_transcript"] = "partial_transcript"
    turn: int = Field(ge=0)
    text: str


class FinalTranscript(Message):
    """The transcript of a finished turn, exactly as it was saved."""

    type: Literal["final_transcript"] = "final_transcript"
    turn: int = Field(ge=0)
    text: str
    answered_by: Literal["voice", "text"]


class UtteranceStart(Message):
    """The interviewer begins to speak; audio frames with this ``utterance_id`` follow."""

    type: Literal["utterance_start"] = "utterance_start"
    utterance_id: int = Field(ge=0)
    kind: UtteranceKind
    question_number: int = Field(ge=0)


class UtteranceText(Message):
    """One sentence of the interviewer's words, sent just before its audio (a caption)."""

    type: Literal["utterance_text"] = "utterance_text"
    utterance_id: int = Field(ge=0)
    sentence: int = Field(ge=0)
    text: str


class UtteranceEnd(Message):
    """All audio of the utterance has been sent (it may still be playing)."""

    type: Literal["utterance_end"] = "utterance_end"
    utterance_id: int = Field(ge=0)
    text: str
    duration_ms: int = Field(ge=0)


class Interrupted(Message):
    """The candidate barged in: drop every frame of ``utterance_id`` not yet played."""

    type: Literal["interrupted"] = "interrupted"
    utterance_id: int = Field(ge=0)
    played_ms: int = Field(ge=0)
    played_text: str = Field(description="The words the candidate heard; the transcript keeps only these.")


class Ended(Message):
    """The interview is over; the server closes the socket with 1000 right after."""

    type: Literal["ended"] = "ended"
    reason: EndReason
    message: str
    summary: list[TurnRecord]


ServerMessage = Annotated[
    Ready
    | StateChanged
    | SpeechActivity
    | PartialTranscript
    | FinalTranscript
    | UtteranceStart
    | UtteranceText
    | UtteranceEnd
    | Interrupted
    | ErrorMessage
    | Ended,
    Field(discriminator="type"),
]

CLIENT_TYPES = frozenset(t.model_fields["type"].default for t in (Hello, Start, TextAnswer, EndTurn, Playback, End))
