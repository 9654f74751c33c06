"""The ``openai`` evaluator: rubric scoring by a GPT-4-class model, with structured output at temperature 0.

The model's reply must validate against :class:`ModelEvaluation` (the JSON schema sent as the response
format), score each rubric criterion exactly once (communication may be left unscored only when the
transcript is unreliable), and quote the answer verbatim; quotes that are not in the answer are dropped,
and each quote is kept once. The result is then built as the same :class:`~server.evaluation.base.AnswerEvaluation`
the builtin engine returns, with the same :class:`~server.evaluation.base.Flag` s: the model's own flags
(restated job description, resume or question; no substance) and the builtin engine's deterministic ones
(an injection attempt, restatements it measured, an unreliable transcript). Where the builtin engine found
the answer restated or empty of substance, the model's evidence, depth and relevance cannot exceed the
builtin scores by more than :data:`MODEL_MARGIN`: a model fooled by a pasted job description is held to
what the words show. The overall score is computed here from the rubric weights, never taken from the
model. Two failures (error, timeout or invalid reply) and the builtin evaluator scores instead, with the
reason stored on the evaluation.
"""

from __future__ import annotations

import re
from typing import Literal

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params.response_format_json_schema import JSONSchema, ResponseFormatJSONSchema
from pydantic import BaseModel, ConfigDict, Field

from server.config import Settings
from server.conversation.questions import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.base import (
    AnswerEvaluation,
    CriterionScore,
    Flag,
    FlagKind,
    Judgement,
    as_planned,
    distinct_quotes,
)
from server.evaluation.prompts import evaluator_system_prompt, evaluator_user_prompt
from server.evaluation.rubric import Rubric, rubric_for
from server.evaluation.scoring import UNRELIABLE_ASR, evaluate_answer, strip_instructions
from server.llm.client import InvalidOutput, ModelFailed, call_with_retry, chat_messages, make_client
from server.llm.usage import record

ENGINE = "openai"
#: Where the builtin engine found the answer restated or without substance, how far above its scores the
#: model's evidence, depth and relevance may go.
MODEL_MARGIN = 2
#: Flags the builtin engine measures and the model's verdict does not replace.
DETERMINISTIC = (
    FlagKind.INJECTION_ATTEMPT,
    FlagKind.RESTATED_JOB_DESCRIPTION,
    FlagKind.RESTATED_RESUME,
    FlagKind.RESTATED_QUESTION,
    FlagKind.NO_SUBSTANCE,
    FlagKind.UNRELIABLE_TRANSCRIPT,
    FlagKind.UNSCORED_CRITERION,
)
#: The builtin flags that hold the model's content scores near the builtin ones.
_HOLDING = (
    FlagKind.RESTATED_JOB_DESCRIPTION,
    FlagKind.RESTATED_RESUME,
    FlagKind.RESTATED_QUESTION,
    FlagKind.NO_SUBSTANCE,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelCriterion(_Strict):
    criterion: str
    score: int | None = Field(ge=0, le=10, description="null only for communication on an unreliable transcript.")
    rationale: str
    quotes: list[str]


class ModelJudgement(_Strict):
    text: str
    quotes: list[str]


class ModelFlag(_Strict):
    kind: Literal["restated_job_description", "restated_resume", "restated_question", "no_substance"]
    detail: str
    quotes: list[str]


class ModelEvaluation(_Strict):
    """What the model must return; its JSON schema is the response format."""

    criteria: list[ModelCriterion]
    strength: ModelJudgement
    improvement: ModelJudgement
    flags: list[ModelFlag]


def response_format() -> ResponseFormatJSONSchema:
    return ResponseFormatJSONSchema(
        type="json_schema",
        json_schema=JSONSchema(name="answer_evaluation", strict=True, schema=ModelEvaluation.model_json_schema()),
    )


class OpenAIEvaluator:
    name = ENGINE

    def __init__(self, settings: Settings, client: openai.AsyncOpenAI | None = None) -> None:
        self.settings = settings
        self.client = client or make_client(settings)

    async def evaluate(
        self,
        question: PlannedQuestion | str,
        answer: str,
        setup: InterviewSetup,
        *,
        asr_confidence: float | None = None,
    ) -> AnswerEvaluation:
        planned = as_planned(question, setup)
        kept = strip_instructions(answer)
        baseline = evaluate_answer(planned, answer, setup, asr_confidence=asr_confidence)
        if not kept.strip():
            return baseline  # nothing to score: the builtin verdict (zero) needs no model
        rubric = rubric_for(setup.interview_type)
        unreliable = asr_confidence is not None and asr_confidence < UNRELIABLE_ASR
        user = evaluator_user_prompt(planned, kept, setup, transcript_unreliable=unreliable)
        messages = chat_messages(evaluator_system_prompt(rubric), user)
        try:
            parsed = await call_with_retry(
                lambda: self._ask(messages, rubric, unreliable), self.settings.openai_retry_delay_s
            )
        except ModelFailed as failure:
            record(fallbacks=1)
            return baseline.model_copy(update={"fallback_reason": f"openai evaluator failed twice: {failure}"})
        return _to_evaluation(parsed, planned, answer, kept, rubric, baseline, unreliable)

    async def _ask(
        self, messages: list[ChatCompletionMessageParam], rubric: Rubric, unreliable: bool
    ) -> ModelEvaluation:
        response = await self.client.chat.completions.create(
            model=self.settings.openai_model,
            messages=messages,
            temperature=0,
            response_format=response_format(),
        )
        if response.usage:
            record(
                model_requests=1,
                prompt_tokens=response.usage.prompt_tokens,
                completion_tokens=response.usage.completion_tokens,
            )
        content = response.choices[0].message.content if response.choices else None
        if not content:
            raise InvalidOutput("empty reply")
        parsed = ModelEvaluation.model_validate_json(content)
        ids = [c.criterion for c in parsed.criteria]
        expected = [c.id for c in rubric.criteria]
        if sorted(ids) != sorted(expected):
            raise InvalidOutput(f"criteria {ids} do not match the rubric's {expected}")
        unscored = [c.criterion for c in parsed.criteria if c.score is None]
        if unscored and (not unreliable or unscored != ["communication"]):
            raise InvalidOutput(f"criteria {unscored} were not scored")
        return parsed


def _to_evaluation(
    parsed: ModelEvaluation,
    question: PlannedQuestion,
    answer: str,
    kept: str,
    rubric: Rubric,
    baseline: AnswerEvaluation,
    unreliable: bool,
) -> AnswerEvaluation:
    """The model's verdict as an evaluation, under the same rules as the builtin one."""
    by_id = {c.criterion: c for c in parsed.criteria}
    holding = [f for f in baseline.flags if f.kind in _HOLDING]
    criteria: list[CriterionScore] = []
    for c in rubric.criteria:
        given = by_id[c.id]
        score, rationale = given.score, given.rationale
        if c.id == "communication" and unreliable:
            score, rationale = None, "Not judged: the transcript is unreliable."
        limit = baseline.score_of(c.id)
        held = holding and c.id in ("evidence", "depth", "relevance") and limit is not None
        if held and score is not None and limit is not None and score > limit + MODEL_MARGIN:
            score = limit + MODEL_MARGIN
            rationale += f" (Held to {score}: {holding[0].detail})"
        criteria.append(
            CriterionScore(criterion=c.id, score=score, rationale=rationale, quotes=verbatim_quotes(given.quotes, kept))
        )
    strength = Judgement(text=parsed.strength.text, quotes=verbatim_quotes(parsed.strength.quotes, kept))
    improvement = Judgement(text=parsed.improvement.text, quotes=verbatim_quotes(parsed.improvement.quotes, kept))
    criteria, strength, improvement = distinct_quotes(criteria, strength, improvement)
    return AnswerEvaluation(
        question_number=question.number,
        question=question.text,
        answer=answer,
        rubric=rubric.key,
        criteria=criteria,
        overall=rubric.weighted({c.criterion: None if c.score is None else float(c.score) for c in criteria}),
        strength=strength,
        improvement=improvement,
        engine=ENGINE,
        flags=_flags(parsed, baseline, kept),
    )


def _flags(parsed: ModelEvaluation, baseline: AnswerEvaluation, kept: str) -> list[Flag]:
    """The builtin engine's deterministic flags, then the model's of other kinds (each kind once). The
    builtin ``not_verified`` flag is dropped: the model is the reviewer of technical accuracy here."""
    flags = [f for f in baseline.flags if f.kind in DETERMINISTIC]
    seen = {f.kind for f in flags}
    for given in parsed.flags:
        kind = FlagKind(given.kind)
        if kind not in seen:
            seen.add(kind)
            flags.append(Flag(kind=kind, detail=given.detail, quotes=verbatim_quotes(given.quotes, kept)))
    return flags


def verbatim_quotes(quotes: list[str], answer: str) -> list[str]:
    """Only the quotes that really are in the answer (ignoring case, spacing and surrounding quote marks)."""
    haystack = _normal(answer)
    return [q.strip() for q in quotes if _normal(q) and _normal(q) in haystack]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip("\"'“”‘’").lower())
