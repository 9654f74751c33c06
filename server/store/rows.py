"""Values between Python and the store's tables: text made storable, JSON, timestamps, rows to records.

Every text written or looked up passes through :func:`storable`, the one place that makes it safe: PostgreSQL
text and jsonb cannot hold NUL, and neither database can encode an unpaired surrogate. Requests are refused with
a 422 before they get here (``protocol.messages.Text``); this is for what the server produces itself
(transcripts, extracted documents, events), so that no such text can ever fail a write, on either database.
Timestamps are always produced here (:func:`utcnow`), in UTC, so both databases store the same instants.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from server.conversation.setup import InterviewSetup
from server.store.base import (
    InterviewRecord,
    InterviewSummary,
    PendingQuestion,
    QuestionEvaluation,
    StoredEvent,
    StoredTurn,
)
from server.store.driver import Row

TURN_COLUMNS = (
    "interview_id, turn_index, kind, question_number, question, answer, answered_by, asked_at, "
    "answer_started_at, answered_at, answer_duration_ms, response_gap_ms, interrupted, asked_by, asr_confidence"
)
QUESTION_COLUMNS = (
    "interview_id, question_number, question_text, answer, score, feedback, rubric_version, evidence, evaluated_at"
)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _make_storable(match: re.Match[str]) -> str:
    return "" if match.group() == "\x00" else "\ufffd"


def storable(value: Any) -> Any:
    """``value`` made safe for both databases: in every string NUL is removed and an unpaired surrogate becomes
    U+FFFD; a float that is not a number or infinite becomes None (jsonb has no NaN). Lists and dicts (keys too)
    are cleaned throughout; other values are returned as they are."""
    if isinstance(value, str):
        return _UNSTORABLE.sub(_make_storable, value) if _UNSTORABLE.search(value) else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """JSON for a jsonb (PostgreSQL) or text (SQLite) column, with its strings made :func:`storable` (JSON would
    escape a NUL as ``\\u0000``, which jsonb refuses)."""
    return json.dumps(storable(value))


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_time(value: Any) -> datetime | None:
    """SQLite hands back ISO text, PostgreSQL a datetime; both become an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def required_time(value: Any) -> datetime:
    parsed = parse_time(value)
    if parsed is None:
        raise ValueError("a required timestamp is missing")
    return parsed


def parse_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` literally anywhere, lower-cased (escape character ``\\``)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def turn_from_row(row: Row) -> StoredTurn:
    return StoredTurn(
        index=row["turn_index"],
        kind=row["kind"],
        question_number=row["question_number"],
        question=row["question"],
        answer=row["answer"],
        answered_by=row["answered_by"],
        asked_at=required_time(row["asked_at"]),
        answer_started_at=parse_time(row["answer_started_at"]),
        answered_at=required_time(row["answered_at"]),
        answer_duration_ms=row["answer_duration_ms"],
        response_gap_ms=row["response_gap_ms"],
        interrupted=bool(row["interrupted"]),
        asked_by=row["asked_by"],
        asr_confidence=row["asr_confidence"],
    )


def record_from_row(row: Row, turns: list[StoredTurn]) -> InterviewRecord:
    return InterviewRecord(
        id=row["id"],
        setup=InterviewSetup.from_dict(parse_json(row["setup"])),
        status=row["status"],
        created_at=required_time(row["created_at"]),
        started_at=parse_time(row["started_at"]),
        ended_at=parse_time(row["ended_at"]),
        end_reason=row["end_reason"],
        interviewer_state=parse_json(row["interviewer_state"]),
        turns=turns,
        final_score=row["final_score"],
        report=parse_json(row["report"]),
        evaluated_at=parse_time(row["evaluated_at"]),
        pending=PendingQuestion.from_dict(pending) if (pending := parse_json(row["pending_question"])) else None,
        usage=parse_json(row["usage"]),
    )


QUESTION_VALUES = "values (?, ?, ?, ?, ?, ?, ?, ?, ?)"


def question_row(interview_id: str, e: QuestionEvaluation) -> tuple[Any, ...]:
    return (
        interview_id,
        e.question_number,
        e.question_text,
        e.answer,
        e.score,
        e.feedback,
        e.rubric_version,
        to_json(e.evidence),
        e.evaluated_at,
    )


def pending_json(pending: PendingQuestion | None) -> str | None:
    return to_json(pending.to_dict()) if pending is not None else None


def event_from_row(row: Row) -> StoredEvent:
    return StoredEvent(
        seq=row["seq"], kind=row["kind"], at=required_time(row["at"]), payload=parse_json(row["payload"])
    )


def summary_from_row(row: Row) -> InterviewSummary:
    return InterviewSummary(
        id=row["id"],
        candidate_name=row["candidate_name"],
        job_title=row["job_title"],
        interview_type=row["interview_type"],
        num_questions=row["num_questions"],
        status=row["status"],
        created_at=required_time(row["created_at"]),
        started_at=parse_time(row["started_at"]),
        ended_at=parse_time(row["ended_at"]),
        turn_count=row["turn_count"],
        final_score=row["final_score"],
    )


def evaluation_from_row(row: Row) -> QuestionEvaluation:
    return QuestionEvaluation(
        question_number=row["question_number"],
        question_text=row["question_text"],
        answer=row["answer"],
        score=row["score"],
        feedback=row["feedback"],
        rubric_version=row["rubric_version"],
        evidence=parse_json(row["evidence"]),
        evaluated_at=required_time(row["evaluated_at"]),
    )
