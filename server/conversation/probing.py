"""Deciding what an answer is missing, in the order a good interviewer would probe it.

Behavioral answers are probed for the STAR parts (situation, the candidate's own action, result) and a
measurable outcome; technical and design answers for depth (reasoning, trade-offs) and specifics. A claim
from the resume that the answer contradicts is probed first.
"""

from __future__ import annotations

from enum import StrEnum

from server.conversation.planning import GroundingSource, PlannedQuestion, QuestionStyle
from server.text.signals import AnswerSignals, denies_skill, read_signals


class Gap(StrEnum):
    CONTRADICTION = "contradiction"
    TOO_SHORT = "too_short"
    SITUATION = "situation"
    OWN_ACTION = "own_action"
    ACTION = "action"
    RESULT = "result"
    MEASURABLE = "measurable"
    DEPTH = "depth"
    VAGUE = "vague"


#: Fewer words than this is a thin answer whatever else it contains.
MIN_WORDS: dict[QuestionStyle, int] = {
    QuestionStyle.BEHAVIORAL: 40,
    QuestionStyle.TECHNICAL: 35,
    QuestionStyle.SYSTEM_DESIGN: 50,
}


def find_gaps(question: PlannedQuestion, answer: str) -> list[Gap]:
    """Everything the answer to ``question`` is missing, most important first (empty: the topic is covered)."""
    signals = read_signals(answer)
    gaps: list[Gap] = []
    if question.grounding.source is GroundingSource.RESUME and any(
        denies_skill(answer, skill) for skill in question.skills
    ):
        gaps.append(Gap.CONTRADICTION)
    if signals.word_count < MIN_WORDS[question.style]:
        gaps.append(Gap.TOO_SHORT)
    if question.style is QuestionStyle.BEHAVIORAL:
        gaps.extend(_behavioral_gaps(signals))
    else:
        gaps.extend(_technical_gaps(signals))
    return gaps


def contradicted_skill(question: PlannedQuestion, answer: str) -> str | None:
    """The resume skill the answer denies, for the wording of the follow-up."""
    return next((skill for skill in question.skills if denies_skill(answer, skill)), None)


def _behavioral_gaps(signals: AnswerSignals) -> list[Gap]:
    gaps: list[Gap] = []
    if not signals.situation.present:
        gaps.append(Gap.SITUATION)
    if not signals.own_action.present:
        gaps.append(Gap.OWN_ACTION if signals.team_action.present else Gap.ACTION)
    if not signals.result.present:
        gaps.append(Gap.RESULT)
    if not signals.measurable.present:
        gaps.append(Gap.MEASURABLE)
    if signals.hedge_count >= 2 and not signals.named_skills and not signals.measurable.present:
        gaps.append(Gap.VAGUE)
    return gaps


def _technical_gaps(signals: AnswerSignals) -> list[Gap]:
    gaps: list[Gap] = []
    if not signals.reasoning.present:
        gaps.append(Gap.DEPTH)
    if not signals.named_skills and not signals.measurable.present:
        gaps.append(Gap.VAGUE)
    return gaps
