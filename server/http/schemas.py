"""The REST API's bodies, as pydantic models: they validate requests and document the API (OpenAPI).

Every text a request carries is :data:`protocol.messages.Text`, as on the sockets: text with a NUL or another
control character (tab and line breaks aside) is refused with 422 ``validation_error`` naming the field.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from protocol.messages import MAX_ANSWER_CHARS, MAX_INT, Text, UtteranceKind
from server.conversation.setup import BankQuestion, InterviewSetup, InterviewType
from server.evaluation.base import Flag
from server.evaluation.report import Report
from server.services.documents import MAX_DOCUMENT_CHARS
from server.store.base import InterviewRecord, InterviewStatus, InterviewSummary, PendingQuestion, StoredTurn

#: Longest text ``/audio/tts`` speaks in one request (a few paragraphs, about a minute of speech).
MAX_TTS_CHARS = 2000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable error code.")
    message: str = Field(description="What went wrong, for people.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class ExtractedDocument(BaseModel):
    text: str
    pages: int = Field(description="Pages read (1 for a text file).")
    chars: int = Field(description="Characters in ``text``.")
    truncated: bool = Field(description=f"True when the text was cut at {MAX_DOCUMENT_CHARS} characters.")


class BankQuestionBody(_Body):
    text: Text = Field(min_length=1, max_length=1000)
    notes: Text = Field(default="", max_length=2000, description="What a strong answer covers.")


class StartRequest(_Body):
    candidate_name: Text = Field(min_length=1, max_length=200)
    job_title: Text = Field(min_length=1, max_length=200)
    job_description: Text = Field(default="", max_length=20_000)
    resume_text: Text = Field(default="", max_length=MAX_DOCUMENT_CHARS)
    interview_type: InterviewType = InterviewType.MIXED
    num_questions: int | None = Field(
        default=None, ge=1, le=30, description="Planned questions; the server's default when omitted."
    )
    question_bank: list[BankQuestionBody] = Field(
        default_factory=list, max_length=30, description="Questions that must be asked, first, in this order."
    )
    time_budget_s: float | None = Field(
        default=None, ge=60, le=4 * 3600, description="Time limit; the interviewer wraps up as it runs out."
    )

    def to_setup(self, default_num_questions: int) -> InterviewSetup:
        return InterviewSetup(
            candidate_name=self.candidate_name,
            job_title=self.job_title,
            job_description=self.job_description,
            resume_text=self.resume_text,
            interview_type=self.interview_type,
            num_questions=self.num_questions or default_num_questions,
            question_bank=tuple(BankQuestion(text=q.text, notes=q.notes) for q in self.question_bank),
            time_budget_s=self.time_budget_s,
        )


class StartResponse(BaseModel):
    interview_id: str
    candidate_token: str = Field(description="The candidate's secret; shown only now.")
    candidate_url: str = Field(description="The candidate's link to the live interview page.")
    candidate_socket_url: str = Field(
        description="The candidate's live interview WebSocket, token included: ws:// or wss:// (when the request "
        "came over https) on the host the request was sent to. For a client of its own (protocol/README.md)."
    )
    observer_token: str = Field(
        description="Opens this interview's report and live room without signing in (for a colleague); shown only now."
    )
    observer_url: str = Field(description="The observer link to the report page (signed in, no token is needed).")
    observer_room_url: str = Field(description="The observer link to the live room: watch and steer the interview.")
    candidate_link_expires_at: datetime = Field(description="The candidate link stops working then.")
    observer_link_expires_at: datetime = Field(description="The observer links stop working then.")


class RevokeRequest(_Body):
    link: Literal["candidate", "observer"] = Field(description="Which of the interview's links to revoke, for good.")


class RevokeResponse(BaseModel):
    interview_id: str
    link: Literal["candidate", "observer"]
    revoked_at: datetime


class CandidateRequest(_Body):
    interview_id: Text = Field(min_length=1, max_length=100)
    candidate_token: Text | None = Field(
        default=None, max_length=200, description="The candidate's token; or send it as a Bearer token."
    )


class QuestionRequest(CandidateRequest):
    pass


class AnswerRequest(CandidateRequest):
    answer: Text = Field(min_length=1, max_length=MAX_ANSWER_CHARS)
    turn_index: int | None = Field(
        default=None,
        ge=0,
        le=MAX_INT,
        description="The `turn_index` of the question being answered. With it, a retried request cannot answer "
        "the next question by mistake: it gets 409 `already_answered` instead.",
    )


class Question(BaseModel):
    question_number: int = Field(description="The planned question this belongs to (a follow-up shares it).")
    question_text: str = Field(description="The interviewer's words, exactly as asked.")
    kind: UtteranceKind
    turn_index: int = Field(description="The index the answer to this question will have.")
    asked_at: datetime

    @classmethod
    def of(cls, pending: PendingQuestion) -> Question:
        return cls(
            question_number=pending.question_number,
            question_text=pending.text,
            kind=UtteranceKind(pending.kind),
            turn_index=pending.turn_index,
            asked_at=pending.asked_at,
        )


class QuestionResponse(BaseModel):
    interview_id: str
    complete: bool = Field(description="True when the interview is over and there is no question to answer.")
    question_number: int | None = None
    question_text: str | None = None
    kind: UtteranceKind | None = None
    turn_index: int | None = None
    asked_at: datetime | None = None


class AnswerResponse(BaseModel):
    interview_id: str
    turn_index: int = Field(description="Index of the turn this answer was saved as.")
    complete: bool
    next_question: Question | None = Field(description="What to answer next; null once complete.")
    closing: str | None = Field(description="The interviewer's closing words, once complete.")


class Turn(BaseModel):
    index: int
    kind: UtteranceKind
    question_number: int
    question: str
    answer: str
    answered_by: Literal["voice", "text"]
    asked_at: datetime
    answer_started_at: datetime | None
    answered_at: datetime
    answer_duration_ms: int
    response_gap_ms: int | None
    interrupted: bool

    @classmethod
    def of(cls, turn: StoredTurn) -> Turn:
        return cls.model_validate(asdict(turn))


class Setup(BaseModel):
    candidate_name: str
    job_title: str
    job_description: str
    resume_text: str
    interview_type: InterviewType
    num_questions: int


class InterviewDetail(BaseModel):
    interview_id: str
    status: InterviewStatus
    setup: Setup
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    final_score: float | None
    turns: list[Turn]
    current_question: Question | None = Field(description="The question a text session is waiting on, if any.")

    @classmethod
    def of(cls, record: InterviewRecord) -> InterviewDetail:
        s = record.setup
        return cls(
            interview_id=record.id,
            status=cast(InterviewStatus, record.status),
            setup=Setup(
                candidate_name=s.candidate_name,
                job_title=s.job_title,
                job_description=s.job_description,
                resume_text=s.resume_text,
                interview_type=s.interview_type,
                num_questions=s.num_questions,
            ),
            created_at=record.created_at,
            started_at=record.started_at,
            ended_at=record.ended_at,
            end_reason=record.end_reason,
            final_score=record.final_score,
            turns=[Turn.of(t) for t in record.turns],
            current_question=Question.of(p) if (p := record.current_pending) else None,
        )


class HistoryQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=MAX_INT)
    job_title: Text | None = Field(default=None, max_length=200, description="Case-insensitive part of the title.")
    status: InterviewStatus | None = None


class HistoryItem(BaseModel):
    interview_id: str
    candidate_name: str
    job_title: str
    interview_type: InterviewType
    num_questions: int
    status: InterviewStatus
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    turn_count: int
    final_score: float | None

    @classmethod
    def of(cls, summary: InterviewSummary) -> HistoryItem:
        data = asdict(summary)
        data["interview_id"] = data.pop("id")
        return cls.model_validate(data)


class HistoryPage(BaseModel):
    items: list[HistoryItem] = Field(description="Newest first.")
    total: int = Field(description="Interviews matching the filters, over all pages.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last one.")


class SpeakRequest(_Body):
    text: Text = Field(min_length=1, max_length=MAX_TTS_CHARS)


class Transcript(BaseModel):
    text: str = Field(description="What was said; empty when nothing was recognised.")
    duration_ms: int = Field(description="Length of the audio that was transcribed.")


class ObserverQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Text | None = Field(default=None, description="The observer token, when not sent as a Bearer token.")


class ResultsQuery(ObserverQuery):
    format: Literal["json", "markdown"] = Field(default="json", description="`markdown` returns the report as text.")


class QuestionGrounding(BaseModel):
    source: str = Field(description="resume, job_description, bank, job_title, or observer (an observer's question)")
    quote: str = Field(description="The (cleaned) words the question was asked about; an observer's own words.")


class QuestionScore(BaseModel):
    question_number: int
    question_text: str
    grounding: QuestionGrounding | None = Field(description="What the planned question is grounded on.")
    answer: str = Field(description="Everything said about the question: the main answer and follow-up answers.")
    score: float | None = Field(description="Overall score of the question, 0-10.")
    feedback: str
    criteria: dict[str, int | None] = Field(
        description="Score per rubric criterion, 0-10; null when the engine could not judge it (see `flags`)."
    )
    evidence: dict[str, list[str]] = Field(
        description="Per criterion, the candidate's words the score rests on; each quote appears once."
    )
    rationale: dict[str, str] = Field(description="Per criterion, why it got its score.")
    flags: list[Flag] = Field(
        default_factory=list,
        description="What a reader must know about the answer: restated job description, resume or question, "
        "an injection attempt, an unreliable transcript, an unscored criterion, accuracy not verified.",
    )
    rubric_version: str
    engine: str = Field(description="The evaluator that scored it: builtin or openai.")
    evaluated_at: datetime


class ResultsResponse(BaseModel):
    interview_id: str
    status: InterviewStatus
    complete: bool = Field(description="True once the interview has ended; before that, results are partial.")
    candidate_name: str
    job_title: str
    interview_type: InterviewType
    final_score: float | None = Field(description="Mean of the question scores, 0-10; null if none was scored.")
    rubric_version: str
    evaluated_at: datetime
    questions: list[QuestionScore]
    report: Report = Field(description="The full report: criteria, recommendation, metrics, transcript.")


class SignInRequest(_Body):
    token: str = Field(min_length=1, max_length=512, description="The admin token (Viva prints it at start-up).")


class SessionState(BaseModel):
    auth: Literal["token", "none"] = Field(description='"none": VIVA_AUTH=none, the recruiter side is open.')
    signed_in: bool = Field(description="Whether this request carries a valid session (always true with auth none).")
    expires_at: datetime | None = Field(default=None, description="When the session ends; sign in again then.")
