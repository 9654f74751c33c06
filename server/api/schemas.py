"""The REST API's bodies, as pydantic models: they validate requests and document the API (OpenAPI)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from server.documents import MAX_DOCUMENT_CHARS
from server.interviewer.base import InterviewSetup, InterviewType


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


class StartRequest(_Body):
    candidate_name: str = Field(min_length=1, max_length=200)
    job_title: str = Field(min_length=1, max_length=200)
    job_description: str = Field(default="", max_length=20_000)
    resume_text: str = Field(default="", max_length=MAX_DOCUMENT_CHARS)
    interview_type: InterviewType = InterviewType.MIXED
    num_questions: int | None = Field(
        default=None, ge=1, le=30, description="Planned questions; the server's default when omitted."
    )

    def to_setup(self, default_num_questions: int) -> InterviewSetup:
        return InterviewSetup(
            candidate_name=self.candidate_name,
            job_title=self.job_title,
            job_description=self.job_description,
            resume_text=self.resume_text,
            interview_type=self.interview_type,
            num_questions=self.num_questions or default_num_questions,
        )


class StartResponse(BaseModel):
    interview_id: str
    candidate_token: str = Field(description="The candidate's secret; shown only now.")
    candidate_url: str = Field(description="The candidate's link to the live interview page.")
    observer_token: str = Field(description="The recruiter's secret for results; shown only now.")
    observer_url: str = Field(description="The recruiter's link to the report page.")
