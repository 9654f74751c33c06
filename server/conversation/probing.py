"""Deciding what an answer is missing, and only that, in the order a good interviewer would probe it.

First what the answer *is*: "I don't know" (or "I can't think of one") gets an easier angle once, then the
interview moves on kindly; an answer that talks around the question is brought back to it once. Then what
it lacks: a resume claim the candidate explicitly denies ("I haven't used Kafka") is clarified first; a
behavioral answer is probed for the parts of a story it leaves out (situation, the candidate's own action,
the result; the numbers only when the result stayed vague), never for a part it already gave; a technical
answer that names a method and stops ("I just add printf statements") is asked how they would go deeper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from server.conversation.questions import GroundingSource, PlannedQuestion, QuestionStyle
from server.text.documents import ACTION_VERBS, topic_terms
from server.text.signals import AnswerSignals, denies_skill
from server.text.signals import read_signals as _read_signals
from server.text.verbs import gerund_phrase
from server.text.words import count_words, strip_disfluencies, words


class Gap(StrEnum):
    CONTRADICTION = "contradiction"
    NO_ANSWER = "no_answer"
    EVASIVE = "evasive"
    TOO_SHORT = "too_short"
    SITUATION = "situation"
    OWN_ACTION = "own_action"
    ACTION = "action"
    RESULT = "result"
    MEASURABLE = "measurable"
    DEPTH = "depth"
    VAGUE = "vague"


class AnswerKind(StrEnum):
    """What a turn is, before what it contains."""

    ANSWER = "answer"
    NO_ANSWER = "no_answer"  # "I don't know", "I can't think of an example"
    EVASIVE = "evasive"  # talks around the question


@dataclass(frozen=True)
class Probe:
    """A follow-up to ask: the gap, and what to name in it (the method to go beyond, the skill denied)."""

    gap: Gap
    detail: str = ""


#: Fewer words than this is a thin answer whatever else it contains.
MIN_WORDS: dict[QuestionStyle, int] = {
    QuestionStyle.BEHAVIORAL: 25,
    QuestionStyle.TECHNICAL: 15,
    QuestionStyle.SYSTEM_DESIGN: 25,
}
#: Words besides the "I don't know" itself that still leave a turn without an answer.
_NO_ANSWER_REST = 8

_NO_ANSWER = re.compile(
    r"\b(?:i (?:really |honestly )?(?:don'?t|do not) (?:really )?know|no idea|not sure|i'?m not sure|i am not sure|"
    r"no clue|i have no (?:idea|clue)|i (?:can'?t|cannot|couldn'?t) (?:really )?(?:remember|recall|think of|say)|"
    r"i (?:don'?t|do not) (?:really )?(?:remember|recall)|"
    r"(?:nothing|none) (?:comes|springs) to mind|i don'?t have (?:an|any|a good) (?:example|answer)|"
    r"i (?:haven'?t|have not|have never|'ve never) (?:done|had|faced|been in) (?:that|this|anything like (?:that|this)|"
    r"a situation like (?:that|this))|pass\b|(?:can|could) we skip|let'?s skip|i'?d rather not answer)",
    re.IGNORECASE,
)
_DEFLECTION = re.compile(
    r"\b(?:(?:great|good|interesting|tough|hard) question|i'?d rather not (?:say|get into|talk about|discuss)|"
    r"that'?s confidential|i can'?t (?:share|talk about|discuss) (?:that|this|it)|(?:can|could) we (?:talk about|"
    r"move on)|i'?m (?:a|really a) (?:hard worker|team player|people person|perfectionist|fast learner)|"
    r"i always give (?:a hundred|one hundred|110|100)|it depends on (?:a lot of|many) things)\b",
    re.IGNORECASE,
)
#: An outcome said in words the answer signals do not list ("the customer renewed", "since then").
_OUTCOME = re.compile(
    r"\b(?:it worked|worked out|went well|was a success|paid off|we (?:hit|met|made) (?:it|the|our)|on time|"
    r"on schedule|under budget|renewed|signed|stabili[sz]ed|recovered|was fixed|got fixed|came back|passed|"
    r"approved|accepted|adopted|went live|rolled out|since then|after that|from then on|ever since|which meant|"
    r"that meant|so we (?:could|were able)|turned out|by the end|no more|zero|dropped|fell|rose|doubled|halved|"
    r"down to|up to|went down|went up|stopped|caught|prevented|avoided|saved|kept|stayed|never (?:lost|missed|had)|"
    r"didn'?t (?:lose|miss|have)|transferred|discharged|thanked|promoted|won|closed|finished|completed)\b",
    re.IGNORECASE,
)
_VAGUE_RESULT = re.compile(r"\b(?:better|well|good|great|improved|happier|smoother|helped|positive|nicer)\b", re.I)
#: A method named and left there: "I just add printf statements", "I usually restart the service".
_METHOD = re.compile(
    r"\b(?:i|we)(?:'d| would)?\s+(?:just|usually|normally|typically|simply|mostly|basically|always|generally|"
    r"probably)\s+(?P<method>[a-z]+(?:\s+[\w'-]+){0,7})",
    re.IGNORECASE,
)
#: Words of a question that say nothing about its topic (the template's own words).
_QUESTION_WORDS = frozenset(
    topic_terms(
        "tell me about a time you had to what was the situation did you do walk me through how would you start "
        "watch out for approach take real example choices made your resume says story behind that yourself "
        "hardest part getting there handle mention come about own part let's talk stake differently now dig "
        "into work problem solve according again today change why understand try first made difference design "
        "exercise suppose scratch know works build trade-offs specific turned out think didn't go plan happened "
        "role involves describe came most difficult handled while hard experience real central piece faced "
        "involving learn needed recent concrete demanding people usually wrong avoid option weighed"
    )
)


@lru_cache(maxsize=512)
def read_signals(answer: str) -> AnswerSignals:
    """The answer's signals, read once per text: one decision looks at the same answer several times."""
    return _read_signals(answer)


def classify(answer: str, question: PlannedQuestion) -> AnswerKind:
    """Whether a turn answers the question, says it cannot, or talks around it."""
    text = strip_disfluencies(answer)
    match = _NO_ANSWER.search(text)
    if match and count_words(text.replace(match.group(), " ")) <= _NO_ANSWER_REST:
        return AnswerKind.NO_ANSWER
    if not text:
        return AnswerKind.ANSWER
    # Self-praise and deflection ("I always give a hundred percent") are not specifics of an answer, nor is
    # "whatever I do": a specific is a situation, a number, a named skill or an action verb.
    deflection = _DEFLECTION.search(text)
    signals = read_signals(_DEFLECTION.sub(" ", text) if deflection else answer)
    specific = (
        signals.situation.present
        or signals.measurable.present
        or bool(signals.named_skills)
        or any(word in ACTION_VERBS for word in words(text))
    )
    if specific:
        return AnswerKind.ANSWER
    if deflection:
        return AnswerKind.EVASIVE
    generic = signals.hedge_count >= 1 and not signals.reasoning.present
    if signals.word_count >= 12 and generic and not _on_topic(text, question):
        return AnswerKind.EVASIVE
    return AnswerKind.ANSWER


def _on_topic(answer: str, question: PlannedQuestion) -> bool:
    """Whether the answer shares a word with what the question is about (its grounding, topic or skills)."""
    topic = set(topic_terms(" ".join([question.grounding.quote, question.topic, question.text, *question.skills])))
    return bool((topic - _QUESTION_WORDS) & set(topic_terms(answer))) or bool(
        read_signals(answer).named_skills and question.skills
    )


def next_probe(
    question: PlannedQuestion,
    answers: list[str],
    asked: list[str],
    on_follow_up: bool,
    claimed: frozenset[str] = frozenset(),
) -> Probe | None:
    """The one follow-up to ask after the latest of ``answers`` (everything said about ``question``), or None
    to move on. ``asked`` holds the gaps already probed on this question; ``on_follow_up`` is whether the
    latest answer replied to a follow-up; ``claimed`` the skills the resume names."""
    if not answers:
        return None
    kind = classify(answers[-1], question)
    if kind is AnswerKind.NO_ANSWER:
        # Once an easier angle on the main question; after that, or to a follow-up, never pressed.
        return None if on_follow_up or Gap.NO_ANSWER in asked else Probe(Gap.NO_ANSWER)
    if kind is AnswerKind.EVASIVE and Gap.EVASIVE not in asked and not on_follow_up:
        return Probe(Gap.EVASIVE)
    for probe in find_probes(question, " ".join(answers), claimed):
        if probe.gap.value not in asked:
            return probe
    return None


def find_probes(question: PlannedQuestion, answer: str, claimed: frozenset[str] = frozenset()) -> list[Probe]:
    """Everything the answer to ``question`` is missing, most important first (empty: the topic is covered)."""
    signals = read_signals(answer)
    probes: list[Probe] = []
    denied = contradicted_skill(question, answer, claimed)
    if denied:
        probes.append(Probe(Gap.CONTRADICTION, denied))
    if question.style is QuestionStyle.BEHAVIORAL:
        if signals.word_count < MIN_WORDS[question.style]:
            probes.append(Probe(Gap.TOO_SHORT))
        probes.extend(_behavioral_gaps(signals, answer))
    else:
        method = named_method(answer) if not signals.reasoning.present else None
        if method:
            probes.append(Probe(Gap.DEPTH, method))  # asked before "tell me more": it says what more
        elif signals.word_count < MIN_WORDS[question.style]:
            probes.append(Probe(Gap.TOO_SHORT))
        probes.extend(p for p in _technical_gaps(signals) if not (method and p.gap is Gap.DEPTH))
    return probes


def find_gaps(question: PlannedQuestion, answer: str, claimed: frozenset[str] = frozenset()) -> list[Gap]:
    """The gaps of :func:`find_probes`, without their details."""
    return [probe.gap for probe in find_probes(question, answer, claimed)]


def contradicted_skill(question: PlannedQuestion, answer: str, claimed: frozenset[str] = frozenset()) -> str | None:
    """A skill the resume names (or the resume line the question is about names) that the candidate explicitly
    says they have not worked with; the question's own skills first."""
    from_resume = question.skills if question.grounding.source is GroundingSource.RESUME else ()
    candidates = [*from_resume, *(s for s in question.skills if s in claimed), *sorted(claimed)]
    return next((skill for skill in dict.fromkeys(candidates) if denies_skill(answer, skill)), None)


def named_method(answer: str) -> str | None:
    """The method a short technical answer names and stops at, as a gerund phrase ("adding printf
    statements"), or None."""
    text = strip_disfluencies(answer)
    if count_words(text) > 40:
        return None
    match = _METHOD.search(text)
    return gerund_phrase(match.group("method")) if match else None


def _behavioral_gaps(signals: AnswerSignals, answer: str) -> list[Probe]:
    gaps: list[Probe] = []
    if not signals.situation.present:
        gaps.append(Probe(Gap.SITUATION))
    if not signals.own_action.present:
        gaps.append(Probe(Gap.OWN_ACTION if signals.team_action.present else Gap.ACTION))
    if not gave_result(signals, answer):
        gaps.append(Probe(Gap.RESULT))
    elif not signals.measurable.present and _vague_result(signals, answer):
        gaps.append(Probe(Gap.MEASURABLE))
    if signals.hedge_count >= 2 and not signals.named_skills and not signals.measurable.present:
        gaps.append(Probe(Gap.VAGUE))
    return gaps


def gave_result(signals: AnswerSignals, answer: str) -> bool:
    """Whether the answer says how things turned out: a result word, a number, or an outcome in plain words."""
    return signals.result.present or signals.measurable.present or bool(_OUTCOME.search(answer))


def _vague_result(signals: AnswerSignals, answer: str) -> bool:
    """A result said only in vague words ("it went better", "people were happier")."""
    outcome = _OUTCOME.search(answer)
    if outcome is not None and not _VAGUE_RESULT.search(outcome.group()):
        return False
    return bool(_VAGUE_RESULT.search(signals.result.quote or answer))


def _technical_gaps(signals: AnswerSignals) -> list[Probe]:
    gaps: list[Probe] = []
    if not signals.reasoning.present:
        gaps.append(Probe(Gap.DEPTH))
    if not signals.named_skills and not signals.measurable.present:
        gaps.append(Probe(Gap.VAGUE))
    return gaps
