"""The ``openai`` evaluator: rubric scoring by a GPT-4-class model, with structured output at temperature 0.

The model's reply must validate against :class:`ModelEvaluation` (the JSON schema sent as the response
format), score each rubric criterion exactly once, and quote the answer verbatim; quotes that are not in
the answer are dropped. The overall score is computed here from the rubric weights, never taken from the
model. Two failures (error, timeout or invalid reply) and the builtin evaluator scores instead, with the
reason stored on the evaluation.
"""

from __future__ import annotations

import re

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params.response_format_json_schema import JSONSchema, ResponseFormatJSONSchema
from pydantic import BaseModel, ConfigDict, Field

from server.config import Settings
from server.conversation.planning import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, CriterionScore, Judgement, as_planned
from server.evaluation.prompts import evaluator_system_prompt, evaluator_user_prompt
from server.evaluation.rubric import Rubric, rubric_for
from server.evaluation.scoring import evaluate_answer, strip_instructions
from server.llm.client import InvalidOutput, ModelFailed, call_with_retry, chat_messages, make_client
from server.llm.usage import record

ENGINE = "openai"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelCriterion(_Strict):
    criterion: str
    score: int = Field(ge=0, le=10)
    rationale: str
    quotes: list[str]


class ModelJudgement(_Strict):
    text: str
    quotes: list[str]


class ModelEvaluation(_Strict):
    """What the model must return; its JSON schema is the response format."""

    criteria: list[ModelCriterion]
    strength: ModelJudgement
    improvement: ModelJudgement


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

    async def evaluate(self, question: PlannedQuestion | str, answer: str, setup: InterviewSetup) -> AnswerEvaluation:
        planned = as_planned(question, setup)
        kept = strip_instructions(answer)
        baseline = evaluate_answer(planned, answer, setup)
        if not kept.strip():
            return baseline  # nothing to score: the builtin verdict (zero) needs no model
        rubric = rubric_for(setup.interview_type)
        messages = chat_messages(evaluator_system_prompt(rubric), evaluator_user_prompt(planned, kept, setup))
        try:
            parsed = await call_with_retry(lambda: self._ask(messages, rubric), self.settings.openai_retry_delay_s)
        except ModelFailed as failure:
            record(fallbacks=1)
            return baseline.model_copy(update={"fallback_reason": f"openai evaluator failed twice: {failure}"})
        return _to_evaluation(parsed, planned, answer, kept, rubric, baseline.flags)

    async def _ask(self, messages: list[ChatCompletionMessageParam], rubric: Rubric) -> ModelEvaluation:
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
        return parsed


def _to_evaluation(
    parsed: ModelEvaluation, question: PlannedQuestion, answer: str, kept: str, rubric: Rubric, flags: list[str]
) -> AnswerEvaluation:
    by_id = {c.criterion: c for c in parsed.criteria}
    criteria = [
        CriterionScore(
            criterion=c.id,
            score=by_id[c.id].score,
            rationale=by_id[c.id].rationale,
            quotes=verbatim_quotes(by_id[c.id].quotes, kept),
        )
        for c in rubric.criteria
    ]
    return AnswerEvaluation(
        question_number=question.number,
        question=question.text,
        answer=answer,
        rubric=rubric.key,
        criteria=criteria,
        overall=rubric.weighted({c.criterion: float(c.score) for c in criteria}),
        strength=Judgement(text=parsed.strength.text, quotes=verbatim_quotes(parsed.strength.quotes, kept)),
        improvement=Judgement(text=parsed.improvement.text, quotes=verbatim_quotes(parsed.improvement.quotes, kept)),
        engine=ENGINE,
        flags=flags,
    )


def verbatim_quotes(quotes: list[str], answer: str) -> list[str]:
    """Only the quotes that really are in the answer (ignoring case, spacing and surrounding quote marks)."""
    haystack = _normal(answer)
    return [q.strip() for q in quotes if _normal(q) and _normal(q) in haystack]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip("\"'“”‘’").lower())
