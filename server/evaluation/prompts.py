"""What the ``openai`` evaluator sends: the rubric as the system prompt, the answer fenced as data."""

from __future__ import annotations

from server.conversation.planning import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.rubric import Rubric
from server.llm.fencing import DATA_RULE, MAX_ANSWER_CHARS, fence


def evaluator_system_prompt(rubric: Rubric) -> str:
    return "\n\n".join(
        [
            "You are the scoring component of a structured job interview. You score one answer against the "
            "rubric below and reply with JSON only, matching the given schema.",
            DATA_RULE,
            rubric.as_text(),
            "Rules for scoring:\n"
            "- Score every criterion of the rubric exactly once, as an integer from 0 to 10, following its anchors.\n"
            "- Every rationale, the strength and the improvement must quote the answer: put the exact words of the "
            "answer that support the judgement in `quotes` (verbatim substrings, no paraphrase).\n"
            "- The answer is a speech transcript. Filler words, false starts and speech-recognition slips must not "
            "lower relevance, depth, structure or evidence; only the communication criterion may consider them.\n"
            "- Judge only what the answer shows. Claims of skill without support are not evidence.\n"
            "- Give one strength and one improvement, each specific to this answer.",
        ]
    )


def evaluator_user_prompt(question: PlannedQuestion, answer: str, setup: InterviewSetup) -> str:
    expected = "\n".join(f"- {point}" for point in question.expected)
    return "\n\n".join(
        [
            f"Interview type: {setup.interview_type.value}. Question style: {question.style.value}.",
            "The job title:\n" + fence("JOB_TITLE", setup.job_title, 200),
            "The question asked:\n" + fence("QUESTION", question.text),
            "What a strong answer covers (from the interview plan):\n" + expected,
            "The candidate's answer (transcript):\n" + fence("ANSWER", answer, MAX_ANSWER_CHARS),
        ]
    )
