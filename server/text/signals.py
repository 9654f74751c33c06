"""What an answer contains, read lexically: structure cues, specificity, ownership, hedging.

The same signals decide follow-ups (what is missing) and feed the builtin scores (what is present), so the
interviewer probes exactly what the evaluator would otherwise mark down. Each signal keeps the words that
triggered it, so every judgement can quote the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from server.text.documents import ACTION_VERBS, has_metric
from server.text.sentences import split_sentences
from server.text.skills import correct_slips, find_skills, mentions
from server.text.words import count_words, strip_disfluencies

_SITUATION = re.compile(
    r"\b(?:when I|while I|at my (?:last|previous|current) (?:job|company|role)|at (?:my|our) (?:company|team)|"
    r"in my (?:last|previous|current) (?:job|role|team|company|position)|the project|our (?:team|system|service|"
    r"product|company|customers?|platform)|the team|a client|the client|the situation|the context|the problem was|"
    r"we had|there was|there were|back in|last year|(?:19|20)\d\d|was responsible for|I was working)\b",
    re.IGNORECASE,
)
_OWN_ACTION = re.compile(
    r"\bI\s+(?:(?:\w+ly|then|also|first|personally|quickly)\s+)?(?!think\b|guess\b|mean\b|believe\b|feel\b|am\b|"
    r"was\b|'m\b|don't\b|do not\b|would\b|'d\b|have no\b|haven't\b|never\b|can't\b|cannot\b|hope\b|know\b|"
    r"like\b|suppose\b|not\b)(?P<verb>[a-z]+(?:ed)?)\b|\bmy (?:role|part|job|contribution) was\b|"
    r"\bI was (?:responsible|in charge|the one)\b",
    re.IGNORECASE,
)
_TEAM = re.compile(r"\b(?:we|our team|the team|they)\b", re.IGNORECASE)
_RESULT = re.compile(
    r"\b(?:result(?:ed|s)?|outcome|as a result|so that|which (?:led|meant|cut|reduced|improved|saved)|led to|"
    r"ended up|in the end|eventually|finally|reduc(?:ed|ing)|increas(?:ed|ing)|improv(?:ed|ing)|cut|saved|grew|"
    r"dropped|went (?:from|down|up)|launched|shipped|delivered|learned|achieved|fixed|resolved|succeeded|"
    r"no longer|never again|impact)\b",
    re.IGNORECASE,
)
_MEASURE_WORDS = re.compile(
    r"\b(?:doubled|tripled|halved|twice|half|(?:two|three|four|five|ten|hundred) times|by (?:half|a third)|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|thousand|million)\s+"
    r"(?:percent|users|customers|engineers|people|requests|seconds|minutes|hours|days|weeks|months))\b",
    re.IGNORECASE,
)
_REASONING = re.compile(
    r"\b(?:trade-?offs?|instead of|rather than|because|alternatives?|downsides?|drawbacks?|cost|pros|cons|"
    r"versus|vs\.?|compared|on the other hand|the risk|so that|which means|therefore|bottleneck|constraint|since|"
    r"in order to|to make sure|to avoid|to prevent|to see (?:if|whether|what|where|why|how)|"
    r", so (?:I|we|it|the|that))\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:generally|usually|typically|in general|things like that|stuff|etc|various|some things|and so on|"
    r"basically|whatever|something like|i guess|i suppose|probably|i think maybe)\b",
    re.IGNORECASE,
)
#: The candidate saying they have not worked with something: first person, a verb of using or knowing, and
#: the thing right after it ("I haven't used Kafka", "I've never worked with Kafka", "I have no experience
#: with Kafka"). Any negation near a skill is not enough: "we didn't lose any Kafka messages" and "Kafka
#: wasn't the bottleneck" deny nothing about the candidate.
_DENIAL = re.compile(
    r"\b(?:i(?:'ve| have)? never (?:really |actually |ever |personally )?(?:used|worked (?:with|on|in)|touched|"
    r"tried|done (?:anything |much )?(?:with|in)|dealt with|programmed in|written|set up|deployed|run)|"
    r"i (?:haven'?t|have not|hadn'?t|had not) (?:really |actually |ever |personally )?(?:used|worked (?:with|on|in)|"
    r"touched|tried|done (?:anything|much|a lot) (?:with|in)|had (?:much |any )?(?:experience|exposure) (?:with|in|to|"
    r"on)|had (?:a|the) chance to (?:use|work with)|got to (?:use|work with)|dealt with|set up|deployed)|"
    r"i (?:don'?t|do not) (?:really |actually )?(?:know|use|work with|have (?:any |much |real )?(?:experience|"
    r"exposure) (?:with|in|to|of|on)|know (?:much |anything )?about)|"
    r"i (?:didn'?t|did not) (?:really|actually) (?:use|work with|touch)|"
    r"i(?:'ve| have| had)? (?:no|zero|little|not much) (?:real |hands-on |practical |professional |direct )?"
    r"(?:experience|exposure) (?:with|in|using|on|of|to)|"
    r"i(?:'m| am) not (?:really |very |that |too )?familiar with|"
    r"^(?:honestly,? |to be honest,? )?never (?:really )?(?:used|worked with|touched))",
    re.IGNORECASE,
)
_DENIED_AFTER = re.compile(
    r"^\s*(?:is|was)(?:n't| not) something i(?:'ve| have)? (?:really |ever )?(?:used|worked with|done|touched)",
    re.IGNORECASE,
)
#: How far after the denial the thing denied may be named ("I haven't really used Kafka much").
_DENIAL_REACH = re.compile(r"^[^.,;!?]*?(?:\s(?:but|because|although|though|so|and then)\s|[.,;!?]|$)", re.I)


@dataclass(frozen=True)
class Evidence:
    """Whether a signal is present, and the sentence of the answer that shows it (empty when absent)."""

    present: bool
    quote: str = ""


@dataclass(frozen=True)
class AnswerSignals:
    word_count: int
    situation: Evidence
    own_action: Evidence
    team_action: Evidence
    action: Evidence
    result: Evidence
    measurable: Evidence
    reasoning: Evidence
    hedging: Evidence
    named_skills: tuple[str, ...]
    hedge_count: int


def read_signals(answer: str) -> AnswerSignals:
    """Read an answer. Fillers and false starts are removed before any test (they never count against
    content), but the evidence quotes are the candidate's sentences exactly as transcribed."""
    units = [(raw, strip_disfluencies(raw)) for raw in split_sentences(answer)]
    clean = " ".join(c for _, c in units)
    return AnswerSignals(
        word_count=count_words(clean),
        situation=_first(units, lambda s: bool(_SITUATION.search(s))),
        own_action=_first(units, lambda s: bool(_OWN_ACTION.search(s))),
        team_action=_first(units, lambda s: bool(_TEAM.search(s)) and _has_action_verb(s)),
        action=_first(units, _has_action_verb),
        result=_first(units, lambda s: bool(_RESULT.search(s))),
        measurable=_first(units, lambda s: has_metric(s) or bool(_MEASURE_WORDS.search(s))),
        reasoning=_first(units, lambda s: bool(_REASONING.search(s))),
        hedging=_first(units, lambda s: bool(_HEDGE.search(s))),
        named_skills=tuple(find_skills(correct_slips(clean))),
        hedge_count=len(_HEDGE.findall(clean)),
    )


def has_reasoning(sentence: str) -> bool:
    """Whether a sentence gives a reason, a trade-off or a consequence."""
    return bool(_REASONING.search(sentence))


def has_own_action(sentence: str) -> bool:
    """Whether a sentence says what the speaker did themselves ("I wrote", "my role was")."""
    return bool(_OWN_ACTION.search(strip_disfluencies(sentence)))


def denies_skill(answer: str, skill: str) -> bool:
    """Whether the candidate says, in so many words, that they have not worked with ``skill`` ("I haven't
    used Kafka", "I've never worked with Kafka", "Kafka isn't something I've used")."""
    for sentence in _denying_sentences(answer):
        for match in _DENIAL.finditer(sentence):
            reach = _DENIAL_REACH.match(sentence[match.end() :])
            span = " ".join((reach.group() if reach else "").split()[:8])
            if mentions(span, skill):
                return True
        for found in _skill_positions(sentence, skill):
            if _DENIED_AFTER.match(sentence[found:]):
                return True
    return False


@lru_cache(maxsize=256)
def _denying_sentences(answer: str) -> tuple[str, ...]:
    """The sentences of an answer that deny anything at all (usually none), found once per answer however many
    skills are checked against it."""
    return tuple(
        sentence
        for sentence in split_sentences(strip_disfluencies(answer))
        if _DENIAL.search(sentence) or "something i" in sentence.lower()
    )


def _skill_positions(sentence: str, skill: str) -> list[int]:
    """Where each mention of ``skill`` in ``sentence`` ends."""
    ends: list[int] = []
    for word in re.finditer(r"[\w+#./-]+", sentence):
        if mentions(word.group(), skill):
            ends.append(word.end())
    return ends


def _has_action_verb(sentence: str) -> bool:
    return any(word.strip(",.;:").lower() in ACTION_VERBS for word in sentence.split()) or bool(
        _OWN_ACTION.search(sentence)
    )


def _first(units: list[tuple[str, str]], test: Callable[[str], bool]) -> Evidence:
    """The first sentence passing ``test`` (run on its cleaned form), quoted as said."""
    for raw, clean in units:
        if test(clean):
            return Evidence(True, raw)
    return Evidence(False)
