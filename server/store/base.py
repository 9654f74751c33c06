"""The storage interface: one per deployment, SQLite (embedded default) or PostgreSQL (Supabase).

Every finished turn is committed through :meth:`Store.append_turn` before the interview moves on, together
with the interviewer's state snapshot, so a reconnect or a restarted server continues exactly there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, get_args

from server.conversation.setup import InterviewSetup


@dataclass(frozen=True)
class StoredTurn:
    """One finished exchange with its timings."""

    index: int
    kind: str  # protocol UtteranceKind value
    question_number: int
    question: str
    answer: str
    answered_by: str  # "voice" | "text"
    asked_at: datetime
    answer_started_at: datetime | None
    answered_at: datetime
    answer_duration_ms: int
    response_gap_ms: int | None = None
    interrupted: bool = False
    asked_by: str = "interviewer"  # "interviewer" | "observer" (an observer's question, spoken by the interviewer)
    asr_confidence: float | None = None  # how sure the recogniser was of a spoken answer (0..1)


@dataclass(frozen=True)
class PendingQuestion:
    """What the candidate is being asked, worded exactly as it was; turn ``turn_index`` will answer it."""

    turn_index: int
    kind: str
    question_number: int
    text: str
    asked_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn_index": self.turn_index,
            "kind": self.kind,
            "question_number": self.question_number,
            "text": self.text,
            "asked_at": self.asked_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingQuestion:
        return cls(
            turn_index=int(data["turn_index"]),
            kind=str(data["kind"]),
            question_number=int(data["question_number"]),
            text=str(data["text"]),
            asked_at=datetime.fromisoformat(data["asked_at"]),
        )


@dataclass
class InterviewRecord:
    id: str
    setup: InterviewSetup
    status: str  # "created" | "in_progress" | "completed" | "ended"
    created_at: datetime
    started_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    interviewer_state: dict[str, Any] | None = None
    turns: list[StoredTurn] = field(default_factory=list)
    final_score: float | None = None
    report: dict[str, Any] | None = None
    evaluated_at: datetime | None = None
    pending: PendingQuestion | None = None
    usage: dict[str, float] | None = None  # what the interview used, summed over its sessions

    @property
    def current_pending(self) -> PendingQuestion | None:
        """The pending question if it is still the one to answer (no turn was recorded without it since)."""
        if self.pending is not None and self.pending.turn_index == len(self.turns):
            return self.pending
        return None


#: Every status an interview can have; "completed" and "ended" are final.
InterviewStatus = Literal["created", "in_progress", "completed", "ended"]
STATUSES: tuple[str, ...] = get_args(InterviewStatus)
FINAL_STATUSES = ("completed", "ended")


@dataclass(frozen=True)
class QuestionEvaluation:
    """The judgement of one planned question: its answer(s), score and the evidence the score rests on."""

    question_number: int
    question_text: str
    answer: str
    score: float | None
    feedback: str
    rubric_version: str
    evidence: dict[str, Any]
    evaluated_at: datetime


@dataclass(frozen=True)
class InterviewSummary:
    """One row of the interview history."""

    id: str
    candidate_name: str
    job_title: str
    interview_type: str
    num_questions: int
    status: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    turn_count: int
    final_score: float | None


@dataclass(frozen=True)
class InterviewPage:
    items: list[InterviewSummary]
    total: int


@dataclass(frozen=True)
class StoredEvent:
    """One numbered live event of an interview, as observers receive it (``payload`` is a protocol LiveEvent)."""

    seq: int
    kind: str  # the payload's type
    at: datetime
    payload: dict[str, Any]


LinkRole = Literal["candidate", "observer"]


@dataclass(frozen=True)
class TokenMatch:
    """Which of an interview's links a token belongs to, and whether that link still opens."""

    role: LinkRole
    expires_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime) -> Literal["valid", "expired", "revoked"]:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "valid"


class StoreError(Exception):
    """A store operation that cannot be done as asked."""


class InterviewNotFound(StoreError):
    def __init__(self, interview_id: str) -> None:
        super().__init__(f"no interview with id {interview_id!r}")
        self.interview_id = interview_id


class TurnConflict(StoreError):
    """Another writer already recorded this turn (two sessions answered the same question)."""


class InterviewClosed(StoreError):
    """The interview has already ended; nothing more can be recorded in it."""


class EventConflict(StoreError):
    """An event number is already taken (another session of the interview wrote it first)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached now: down, restarting, out of connections, or locked past the wait.

    Nothing is known to have been written (a connection lost during a commit may still have committed), and
    the same call may well succeed later: callers retry, or answer "try again later" (HTTP 503, close 1013).
    """


class Store(Protocol):
    async def open(self) -> None:
        """Connect and apply pending migrations."""
        ...

    async def close(self) -> None: ...

    async def ping(self, timeout_s: float) -> None:
        """Check that the database answers (and, for SQLite, can be written) within ``timeout_s``.

        Raises :class:`StoreUnavailable` otherwise. Concurrent pings share one round trip.
        """
        ...

    async def create_interview(
        self,
        setup: InterviewSetup,
        candidate_token_hash: str,
        observer_token_hash: str | None = None,
        *,
        candidate_expires_at: datetime | None = None,
        observer_expires_at: datetime | None = None,
    ) -> str:
        """Create an interview and return its id. A link without an expiry never expires."""
        ...

    async def get_interview(self, interview_id: str) -> InterviewRecord | None: ...

    async def check_candidate_token(self, interview_id: str, token_hash: str) -> bool:
        """True for the candidate link's token while it is neither expired nor revoked."""
        ...

    async def check_observer_token(self, interview_id: str, token_hash: str) -> bool:
        """True for the observer link's token while it is neither expired nor revoked."""
        ...

    async def match_token(self, interview_id: str, token_hash: str) -> TokenMatch | None:
        """The link the token belongs to (expired and revoked ones too), or ``None`` for a wrong token."""
        ...

    async def revoke_token(self, interview_id: str, role: LinkRole) -> datetime:
        """Revoke one link of the interview for good; returns when (the first revocation's time if repeated).

        Raises :class:`InterviewNotFound`.
        """
        ...

    async def append_events(self, interview_id: str, events: list[StoredEvent]) -> None:
        """Record events in one transaction. Raises :class:`EventConflict` if one of their numbers is taken."""
        ...

    async def get_events(
        self, interview_id: str, after_seq: int = 0, kinds: tuple[str, ...] = (), limit: int | None = None
    ) -> list[StoredEvent]:
        """Events numbered above ``after_seq`` in order, optionally only of some ``kinds``, at most ``limit``."""
        ...

    async def last_event_seq(self, interview_id: str) -> int:
        """The highest event number recorded for the interview (0 when none)."""
        ...

    async def mark_started(
        self, interview_id: str, interviewer_state: dict[str, Any], pending: PendingQuestion | None = None
    ) -> None:
        """Move a created interview to "in_progress" with the interviewer's state (and the question asked).

        On an interview already in progress it replaces the state. Raises :class:`InterviewNotFound` or
        :class:`InterviewClosed`.
        """
        ...

    async def append_turn(
        self,
        interview_id: str,
        turn: StoredTurn,
        interviewer_state: dict[str, Any],
        pending: PendingQuestion | None = None,
    ) -> None:
        """Durably record a finished turn and the interviewer state after it, in one transaction.

        ``pending`` is the next question when the caller already knows its words (a text session).

        Raises :class:`TurnConflict` if a turn with this index exists, :class:`InterviewClosed` if the
        interview has ended, :class:`InterviewNotFound` if there is no such interview.
        """
        ...

    async def finish(self, interview_id: str, status: str, reason: str) -> None:
        """End the interview with a final ``status``; a second call leaves the first ending in place."""
        ...

    async def list_interviews(
        self, *, limit: int, offset: int = 0, job_title: str | None = None, status: str | None = None
    ) -> InterviewPage:
        """Newest first; ``job_title`` matches case-insensitively anywhere in the title."""
        ...

    async def save_evaluation(
        self,
        interview_id: str,
        evaluations: list[QuestionEvaluation],
        final_score: float | None,
        report: dict[str, Any],
        evaluated_at: datetime | None = None,
    ) -> None:
        """Replace the interview's per-question evaluations, final score and report, in one transaction.

        ``evaluated_at`` (default: now) is when the report was built.
        """
        ...

    async def add_usage(self, interview_id: str, usage: dict[str, float]) -> None:
        """Add one session's counts (model tokens, audio seconds, ...) to what the interview has used."""
        ...

    async def save_question_evaluation(self, interview_id: str, evaluation: QuestionEvaluation) -> None:
        """Insert or replace one question's evaluation (as answers are scored during the interview)."""
        ...

    async def get_evaluations(self, interview_id: str) -> list[QuestionEvaluation]: ...
