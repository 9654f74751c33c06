"""The storage interface: one per deployment, SQLite (embedded default) or PostgreSQL (Supabase).

Every finished turn is committed through :meth:`Store.append_turn` before the interview moves on, together
with the interviewer's state snapshot, so a reconnect or a restarted server continues exactly there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from server.interviewer.base import InterviewSetup


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


class Store(Protocol):
    async def open(self) -> None:
        """Connect and apply pending migrations."""
        ...

    async def close(self) -> None: ...

    async def create_interview(self, setup: InterviewSetup, candidate_token_hash: str) -> str:
        """Create an interview and return its id."""
        ...

    async def get_interview(self, interview_id: str) -> InterviewRecord | None: ...

    async def check_candidate_token(self, interview_id: str, token_hash: str) -> bool: ...

    async def mark_started(self, interview_id: str, interviewer_state: dict[str, Any]) -> None: ...

    async def append_turn(self, interview_id: str, turn: StoredTurn, interviewer_state: dict[str, Any]) -> None:
        """Durably record a finished turn and the interviewer state after it, in one transaction."""
        ...

    async def finish(self, interview_id: str, status: str, reason: str) -> None: ...
