"""What the interview machine remembers, and its JSON snapshot (taken after every turn, restored on a resume).

The whole state of an interview is :class:`InterviewState`: the plan, where the conversation is, and its
history of :class:`Line`. :func:`to_snapshot` and :func:`from_snapshot` turn it into JSON and back; an older
snapshot version is migrated, an unknown one refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from protocol.messages import UtteranceKind
from server.conversation.questions import PlannedQuestion, observer_question
from server.conversation.setup import InterviewType

#: Version 2: observers' questions have their own question numbers (``observer_asked``), planned questions an
#: easier angle and a template id, and acknowledgements a counter. Version 1 snapshots are migrated.
SNAPSHOT_VERSION = 2
SUPPORTED_SNAPSHOT_VERSIONS = (1, 2)


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"


@dataclass
class Line:
    """One entry of the conversation as it happened (interviewer lines as heard)."""

    role: Role
    text: str
    question_number: int
    kind: UtteranceKind | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role.value,
            "text": self.text,
            "question_number": self.question_number,
            "kind": self.kind.value if self.kind else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Line:
        kind = data.get("kind")
        return cls(
            Role(data["role"]), str(data["text"]), int(data["question_number"]), UtteranceKind(kind) if kind else None
        )


@dataclass
class InterviewState:
    """Everything the machine knows of one interview; nothing else is needed to continue it."""

    plan: list[PlannedQuestion]
    started: bool = False
    finished: bool = False
    current: int = 0  # index into plan of the question under discussion
    follow_ups: int = 0
    gaps_asked: list[str] = field(default_factory=list)
    nudges: int = 0
    asked_text: str = ""  # the full wording of what the candidate is answering, for "please repeat"
    asked_kind: UtteranceKind = UtteranceKind.QUESTION
    elapsed_ms: int = 0
    end_reason: str | None = None
    history: list[Line] = field(default_factory=list)
    observer_questions: list[str] = field(default_factory=list)  # to ask at the next turn boundary, in order
    skip_requested: bool = False  # an observer asked to move on after the current answer
    asked_by_observer: bool = False  # what the candidate is answering is an observer's question
    question_asked: bool = True  # plan[current] was put to the candidate (False between greeting and question 1)
    question_unheard: bool = False  # a barge-in cut the question off before the candidate could hear it
    observer_asked: list[PlannedQuestion] = field(default_factory=list)  # observers' questions, as asked
    acknowledgements: int = 0  # acknowledgements said so far, to vary their wording


def from_snapshot(snapshot: dict[str, Any], interview_type: InterviewType) -> InterviewState:
    """The state saved by :func:`to_snapshot`; an older version is migrated, an unknown one refused."""
    version = snapshot.get("version")
    if version not in SUPPORTED_SNAPSHOT_VERSIONS:
        raise ValueError(
            f"interviewer snapshot version {version!r} is not supported (expected one of "
            f"{', '.join(map(str, SUPPORTED_SNAPSHOT_VERSIONS))})"
        )
    plan = [PlannedQuestion.from_dict(q) for q in snapshot["plan"]]
    observer_asked = [PlannedQuestion.from_dict(q) for q in snapshot.get("observer_asked", [])]
    asked_by_observer = bool(snapshot.get("asked_by_observer", False))
    if version == 1 and asked_by_observer:
        # Version 1 numbered an observer's question 0 and never scored its answer: give the question being
        # answered a number of its own, so its answer is scored from now on.
        number = len(plan) + 1
        observer_asked.append(observer_question(str(snapshot["asked_text"]), interview_type, number))
    return InterviewState(
        plan=plan,
        started=bool(snapshot["started"]),
        finished=bool(snapshot["finished"]),
        current=int(snapshot["current"]),
        follow_ups=int(snapshot["follow_ups"]),
        gaps_asked=list(snapshot["gaps_asked"]),
        nudges=int(snapshot["nudges"]),
        asked_text=str(snapshot["asked_text"]),
        asked_kind=UtteranceKind(snapshot["asked_kind"]),
        elapsed_ms=int(snapshot["elapsed_ms"]),
        end_reason=snapshot.get("end_reason"),
        history=[Line.from_dict(line) for line in snapshot["history"]],
        observer_questions=[str(q) for q in snapshot.get("observer_questions", [])],
        skip_requested=bool(snapshot.get("skip_requested", False)),
        asked_by_observer=asked_by_observer,
        question_asked=bool(snapshot.get("question_asked", True)),
        question_unheard=bool(snapshot.get("question_unheard", False)),
        observer_asked=observer_asked,
        acknowledgements=int(snapshot.get("acknowledgements", 0)),
    )


def to_snapshot(s: InterviewState) -> dict[str, Any]:
    """The state as JSON, at the current :data:`SNAPSHOT_VERSION`."""
    return {
        "version": SNAPSHOT_VERSION,
        "plan": [q.to_dict() for q in s.plan],
        "started": s.started,
        "finished": s.finished,
        "current": s.current,
        "follow_ups": s.follow_ups,
        "gaps_asked": list(s.gaps_asked),
        "nudges": s.nudges,
        "asked_text": s.asked_text,
        "asked_kind": s.asked_kind.value,
        "elapsed_ms": s.elapsed_ms,
        "end_reason": s.end_reason,
        "history": [line.to_dict() for line in s.history],
        "observer_questions": list(s.observer_questions),
        "skip_requested": s.skip_requested,
        "asked_by_observer": s.asked_by_observer,
        "question_asked": s.question_asked,
        "question_unheard": s.question_unheard,
        "observer_asked": [q.to_dict() for q in s.observer_asked],
        "acknowledgements": s.acknowledgements,
    }
