"""What an interview is about, as given at its start: the candidate, the job, the resume and the plan's limits.

Every text field is untrusted data. This is the domain model shared by the conversation engine, the
evaluation, the store and the routes; it has no behaviour beyond (de)serialisation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any


class InterviewType(StrEnum):
    BEHAVIORAL = "behavioral"
    TECHNICAL = "technical"
    MIXED = "mixed"
    SYSTEM_DESIGN = "system_design"


@dataclass(frozen=True)
class BankQuestion:
    """A question the interview must ask, with optional notes on what a strong answer covers."""

    text: str
    notes: str = ""


@dataclass(frozen=True)
class InterviewSetup:
    """What the interview is about, given at start. Every text field is untrusted data.

    ``time_budget_s``, when set, bounds the interview by time as well as by ``num_questions``: the
    interviewer stops following up, then closes, as the budget runs out.
    """

    candidate_name: str
    job_title: str
    job_description: str = ""
    resume_text: str = ""
    interview_type: InterviewType = InterviewType.MIXED
    num_questions: int = 5
    language: str = "en"
    question_bank: tuple[BankQuestion, ...] = ()
    time_budget_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form, for storage."""
        data = asdict(self)
        data["interview_type"] = self.interview_type.value
        data["question_bank"] = [asdict(q) for q in self.question_bank]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewSetup:
        """Inverse of :meth:`to_dict`; unknown keys are ignored so older rows stay readable."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["interview_type"] = InterviewType(values.get("interview_type", InterviewType.MIXED))
        values["question_bank"] = tuple(
            BankQuestion(text=str(q["text"]), notes=str(q.get("notes", ""))) for q in values.get("question_bank") or ()
        )
        return cls(**values)
