"""What a planned question is: its style, its wording, its grounding, what a good answer holds; and questions
given as text (a bank entry, an observer's question) made into one.

The planner (:mod:`server.conversation.planning`) writes these, the machine asks them, the evaluation scores
answers against them, and the snapshot keeps them as JSON (:meth:`PlannedQuestion.to_dict`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from server.conversation.setup import InterviewType
from server.text.skills import find_skills
from server.text.words import content_words


class QuestionStyle(StrEnum):
    BEHAVIORAL = "behavioral"
    TECHNICAL = "technical"
    SYSTEM_DESIGN = "system_design"


class GroundingSource(StrEnum):
    JOB_DESCRIPTION = "job_description"
    RESUME = "resume"
    BANK = "bank"
    JOB_TITLE = "job_title"
    OBSERVER = "observer"


@dataclass(frozen=True)
class Grounding:
    """Why a question is asked: the (cleaned) words of the resume, job description, bank or title it comes
    from, or the observer's own question."""

    source: GroundingSource
    quote: str


@dataclass(frozen=True)
class PlannedQuestion:
    number: int
    style: QuestionStyle
    topic: str
    text: str
    rephrased: str
    grounding: Grounding
    skills: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    #: The template the wording comes from (no two questions of a plan share one); empty for bank questions.
    template: str = ""
    #: An easier angle on the same topic, offered once when the candidate cannot answer.
    easier: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skills"] = list(self.skills)
        data["expected"] = list(self.expected)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedQuestion:
        """Inverse of :meth:`to_dict`; fields added later (``template``, ``easier``) default when absent."""
        grounding = data["grounding"]
        return cls(
            number=int(data["number"]),
            style=QuestionStyle(data["style"]),
            topic=str(data["topic"]),
            text=str(data["text"]),
            rephrased=str(data["rephrased"]),
            grounding=Grounding(GroundingSource(grounding["source"]), str(grounding["quote"])),
            skills=tuple(data.get("skills", ())),
            expected=tuple(data.get("expected", ())),
            template=str(data.get("template", "")),
            easier=str(data.get("easier", "")),
        )


#: What a good answer holds, by style, when the bank's notes say nothing more.
EXPECTED_BY_STYLE: dict[QuestionStyle, tuple[str, ...]] = {
    QuestionStyle.BEHAVIORAL: (
        "a specific situation and its context",
        "the candidate's own actions",
        "a concrete, ideally measurable result",
    ),
    QuestionStyle.TECHNICAL: (
        "a concrete approach with named tools or techniques",
        "the trade-offs and alternatives considered",
        "an example from real experience",
    ),
    QuestionStyle.SYSTEM_DESIGN: (
        "clarified requirements and scale",
        "main components and data flow",
        "data storage and scaling strategy",
        "trade-offs, failure handling and how to verify it works",
    ),
}


def has_custom_expectations(question: PlannedQuestion) -> bool:
    """Whether ``expected`` came from bank notes rather than the style's generic expectations."""
    return question.expected != EXPECTED_BY_STYLE[question.style]


def default_question(text: str, interview_type: InterviewType, notes: str = "", number: int = 0) -> PlannedQuestion:
    """A question given as text (a bank entry, or a question asked outside the plan), grounded on itself."""
    style = _bank_style(text, interview_type)
    return PlannedQuestion(
        number=number,
        style=style,
        topic=" ".join(content_words(text)[:4]) or f"question {number}",
        text=text.strip(),
        rephrased=f"In other words: {text.strip()}",
        grounding=Grounding(GroundingSource.BANK, text.strip()),
        skills=tuple(find_skills(text)),
        expected=tuple(_split_notes(notes)) or EXPECTED_BY_STYLE[style],
    )


def observer_question(text: str, interview_type: InterviewType, number: int) -> PlannedQuestion:
    """An observer's question, asked outside the plan under its own number and scored like any other."""
    question = default_question(text, interview_type, number=number)
    return PlannedQuestion(
        number=number,
        style=question.style,
        topic=question.topic,
        text=question.text,
        rephrased=question.text,
        grounding=Grounding(GroundingSource.OBSERVER, question.text),
        skills=question.skills,
        expected=question.expected,
    )


def _bank_style(text: str, interview_type: InterviewType) -> QuestionStyle:
    if interview_type is InterviewType.BEHAVIORAL:
        return QuestionStyle.BEHAVIORAL
    if interview_type is InterviewType.TECHNICAL:
        return QuestionStyle.TECHNICAL
    if interview_type is InterviewType.SYSTEM_DESIGN or re.search(r"\bdesign\b", text, re.IGNORECASE):
        return QuestionStyle.SYSTEM_DESIGN
    if re.search(r"\b(?:tell me about a time|describe a (?:time|situation)|give an example)\b", text, re.I):
        return QuestionStyle.BEHAVIORAL
    return QuestionStyle.TECHNICAL


def _split_notes(notes: str) -> list[str]:
    parts = re.split(r"[\n;]|(?<=\.)\s+", notes)
    return [p.strip(" -•*.") for p in parts if p.strip(" -•*.")]
