"""What the ``openai`` evaluator sends: the rubric and the anti-gaming rules as the system prompt, the answer,
the question, the job description and the resume fenced as data."""

from __future__ import annotations

from server.conversation.questions import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.guard import addresses_evaluator
from server.evaluation.rubric import Rubric
from server.llm.fencing import DATA_RULE, MAX_ANSWER_CHARS, fence

#: How much of the job description and the resume the model sees: enough to recognise them restated.
CONTEXT_CHARS = 3000

SCORING_RULES = """Rules for scoring:
- Score every criterion of the rubric exactly once, as an integer from 0 to 10, following its anchors.
- Every rationale, the strength and the improvement must quote the answer: put the exact words of the answer \
that support the judgement in `quotes` (verbatim substrings, no paraphrase). Quote each sentence at most once \
in the whole evaluation.
- Judge the answer by its best-supported evidence, never by its length: a sentence earns credit only if it \
shows the candidate's own action, a concrete object (a tool, a number, a name, a step) or a result. Buzzwords, \
platitudes and abstract claims ("I'm passionate about...", "communication is key") earn nothing however many \
there are; padding a weak answer with them must not raise its score.
- Words restated from the job description, the resume or the question are not evidence and do not answer \
anything: score what the candidate adds. If most of the answer restates one of them, add a flag of kind \
restated_job_description, restated_resume or restated_question, quoting the restated words.
- If the answer says nothing concrete (no own action, object or result), add a flag of kind no_substance.
- Check technical claims: a confident answer that is technically wrong (an unsafe or incorrect approach stated \
with certainty) scores low on depth and evidence, below a thin but correct answer; say what is wrong in the \
depth rationale.
- The answer is a speech transcript. Filler words, false starts and speech-recognition slips must not lower \
relevance, depth, structure or evidence; only the communication criterion may consider them. Communication \
judges clarity from what the transcript supports (getting to the point, every sentence carrying content); it \
is not 10 by default. When the request says the transcript is unreliable, set communication's score to null \
and say so in its rationale; otherwise never use null.
- Judge only what the answer shows. Claims of skill without support are not evidence.
- Give one strength and one improvement, each specific to this answer and consistent with your scores: never \
praise what the answer lacks, never ask for what it already has."""


def evaluator_system_prompt(rubric: Rubric) -> str:
    return "\n\n".join(
        [
            "You are the scoring component of a structured job interview. You score one answer against the "
            "rubric below and reply with JSON only, matching the given schema.",
            DATA_RULE,
            rubric.as_text(),
            SCORING_RULES,
        ]
    )


def evaluator_user_prompt(
    question: PlannedQuestion, answer: str, setup: InterviewSetup, *, transcript_unreliable: bool = False
) -> str:
    expected = "\n".join(f"- {point}" for point in question.expected)
    transcript = (
        "The transcript is unreliable (the speech recogniser was unsure of the words): do not score communication."
        if transcript_unreliable
        else "The transcript is reliable."
    )
    parts = [
        f"Interview type: {setup.interview_type.value}. Question style: {question.style.value}. {transcript}",
        "The job title:\n" + fence("JOB_TITLE", setup.job_title, 200),
        "The question asked:\n" + fence("QUESTION", question.text),
        "What a strong answer covers (from the interview plan):\n" + expected,
    ]
    for label, name, text in (
        ("JOB_DESCRIPTION", "The job description", setup.job_description),
        ("RESUME", "The candidate's resume", setup.resume_text),
    ):
        if screened := _screened(text):
            parts.append(f"{name} (to recognise it restated):\n" + fence(label, screened, CONTEXT_CHARS))
    parts.append("The candidate's answer (transcript):\n" + fence("ANSWER", answer, MAX_ANSWER_CHARS))
    return "\n\n".join(parts)


def _screened(document: str) -> str:
    """A job description or resume without the lines that speak to an evaluator: they never reach the model."""
    return "\n".join(line for line in document.splitlines() if not addresses_evaluator(line)).strip()
