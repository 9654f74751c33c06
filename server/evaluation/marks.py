"""One evidence unit and what it shows, read lexically and deterministically.

A :class:`Unit` records its specific details (numbers, names, dates and places, technical identifiers),
whether the speaker did something themselves (or, for a technical question, lays out a step of an approach),
a result, a reason, a condition or a check, a lesson, and the marks of empty talk: buzzwords and
platitudes, hedges and unqualified absolutes. :mod:`~server.evaluation.units` cuts an answer into units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.text.words import (
    count_words,
    word_list,
)

_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million|billion|dozen|percent|per cent)"
)
_NUMBER = rf"(?:\d+(?:[.,]\d+)*%?|{_NUMBER_WORD}|one(?= (?:point|hundred|thousand|million|billion)\b))"
#: A quantity, said in digits or words: "40%", "four hundred thousand", "thirty-one", "one point two million".
QUANTITY = re.compile(
    rf"(?<![\w-]){_NUMBER}(?:(?:[\s-]+|\s+and\s+|\s+point\s+){_NUMBER})*(?![\w])|\bhalf\b|"
    r"\b(?:doubled|tripled|halved|twice)\b",
    re.IGNORECASE,
)
_TIME_ANCHOR = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday|last (?:spring|summer|autumn|fall|winter|year|month|"
    r"week|quarter|sprint)|that (?:night|morning|afternoon|evening|week|day|weekend|shift|quarter)|"
    r"(?:a|one|two|three|four|five|six) (?:years?|months?|weeks?) ago|the (?:week|day|night|month) (?:before|after)|"
    r"next (?:morning|day|week|quarter|month))\b",
    re.IGNORECASE,
)
_IDENTIFIER = re.compile(r"\b\w+_\w+\b|\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+[A-Z]\w*\b|\b\w*\d\w*\b")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&/]{1,7}s?\b")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z][\w'’-]*")
_NOT_NAMES = frozenset(
    word_list(
        """I I'd I'm I've I'll OK Okay Yeah Yes No So And But Then Well Honestly Um Uh Like Sure Right Also
        Anyway Afterwards First Second Third Finally Next Once After Before When While If Because Since
        Maybe Mr Mrs Ms Dr AI"""
    )
)

#: The speaker's own deed: "I pulled", "I re-ran", "I'd pair", "my job was". Stance, cognition and wishes
#: ("I think", "I believe", "I try to", "I love") are not deeds.
_OWN = re.compile(
    r"\bI(?:'d| would| will|'ll)?((?:\s+(?:then|also|first|personally|just|\w+ly|always|often|still|later|"
    r"actually|basically|initially|eventually|immediately|finally|quickly))*)\s+(?P<verb>[a-z][a-z'-]+)\b|"
    r"\bmy (?:role|part|job|task|contribution|fix|change) was\b|\bI was (?:responsible|in charge|the one)\b|"
    r"\bI had (?:to|the|a|him|her|them|it)\b",
    re.IGNORECASE,
)
_NOT_DEEDS = frozenset(
    word_list(
        """think guess mean believe feel felt am was have had don't do did didn't would hope know knew like
        love suppose not never can't cannot could should must might may really try tried tend want wanted
        need say said lean value aim strive enjoy care see understand agree prefer stay keep remain will get
        got go went be become thought wouldn't won't probably maybe definitely honestly always usually often
        just also then still think'd guess'd totally truly personally basically actually"""
    )
)
_HYPOTHETICAL = re.compile(r"\bI(?:'d| would)\b|\b(?:you|one|we)(?:'d| would| could| can| should)\b", re.IGNORECASE)
_TEAM = re.compile(
    r"\b(?:we|our team|the team)\s+(?:\w+ly\s+)?(?!are\b|were\b|have\b|had\b|all\b)[a-z]+(?:ed|t)\b", re.I
)
_STEP = re.compile(
    r"^(?:first(?:ly)?|then|next|after that|afterwards|second(?:ly)?|third|finally|once|before|for|on the|in the|"
    r"to (?:start|begin))\b|\b(?:start (?:by|with|on)|begin (?:by|with)|step)\b",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\b(?:result(?:ed|s)?|outcome|as a result|which (?:led|meant|cut|reduced|improved|saved)|led to|ended up|"
    r"in the end|reduc(?:ed|ing)|increas(?:ed|ing)|improv(?:ed|ing)|cut|saved|grew|dropped|fell|rose|went (?:from|"
    r"down|up|back)|came (?:down|back)|back (?:to|up to)|launched|shipped|delivered|achieved|fixed|resolved|"
    r"cleared|stopped|removed|recovered|signed off|rolled (?:it )?out|handed over|promoted|no longer|never again|"
    r"hasn't happened|haven't had|since then|stayed|got (?:it )?(?:to|down to|back)|took \w+ (?:from|to))\b",
    re.IGNORECASE,
)
_CHANGE_FROM_TO = re.compile(r"\bfrom\b.{1,40}\bto\b", re.IGNORECASE)
_REASON = re.compile(
    r"\b(?:because|so that|so we|so it|so the|so they|instead of|rather than|which means|which meant|otherwise|"
    r"in order to|to make sure|to avoid|to prevent|to see (?:if|whether|what|where|why|how)|the reason|"
    r"that's why|since (?:the|it|we|they|that)|trade-?offs?|versus|compared (?:to|with)|the risk|the downside|"
    r"at the cost of|protects?|so (?:I|you) (?:can|could|don't))\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:if|unless|depends|depending on|whether|in case|as long as|only (?:if|when|after)|when it's|once we)\b",
    re.IGNORECASE,
)
_CHECK = re.compile(
    r"\b(?:test(?:ed|ing|s)?|measur\w*|compar\w*|baseline|benchmark\w*|backtest\w*|verif\w*|confirm\w*|"
    r"validat\w*|monitor\w*|alert\w*|check(?:ed|ing|s)?|reconcil\w*|audit\w*|review(?:ed|ing)?|inspect\w*|"
    r"shadow|pilot|parallel run|dry run|canary|guardrails?|control group|sample|root cause|postmortem|"
    r"pull(?:ed)? the|traced?|tracing|profil\w*|watch(?:ed|ing)?|break (?:it |them )?(?:down|into)|"
    r"(?:broke|split) (?:it |them )?(?:down|by)|find (?:out |which|where|what|why)|found (?:that|the))\b",
    re.IGNORECASE,
)
_LESSON = re.compile(
    r"\b(?:learn(?:ed|t)|lesson|in hindsight|looking back|next time|would do differently|differently now|"
    r"takeaway|what I took from|taught me|since then I|now I (?:always|check|monitor|ask|make)|I now|"
    r"from then on|these days I|the real fix|from now on|so it doesn't (?:happen|\w+ like that) again|"
    r"(?:hasn't|has not|never) happened again|to stop it happening again|in the postmortem)\b",
    re.IGNORECASE,
)
_SITUATION = re.compile(
    r"\b(?:at (?:my|our|the) (?:last|previous|current|old) (?:job|company|role|team|site|store|hospital|firm)|"
    r"when (?:I|we) (?:was|were|joined|started|switched|moved|had)|on (?:the|our|my) \w+ (?:project|team|shift|"
    r"site|ward|account)|the (?:week|day|night|month|quarter) (?:before|after)|there was (?:a|one)|we had (?:a|an|"
    r"one)|one of my|last (?:spring|summer|autumn|fall|winter|year|month|quarter)|(?:a|one|two|three) (?:years?|"
    r"months?) ago|in (?:19|20)\d\d|back (?:in|at|when))\b",
    re.IGNORECASE,
)
#: Business talk that sounds like an answer and says nothing checkable. General, not tied to one field.
_BUZZ = re.compile(
    r"\b(?:passionate|synerg\w*|leverag\w*|world-class|best-in-class|best of breed|mindset|game-?changer|"
    r"paradigm|holistic\w*|empower\w*|excellence|value chain|deliver(?:ing)? value|add(?:ing)? value|"
    r"value to the business|move the needle|needle-moving|north star|think outside the box|low-hanging fruit|"
    r"circle back|double down|lean into|growth mindset|culture of|shared vision|hearts and minds|"
    r"break(?:ing)? down silos|silos|cross-functional\w*|end-to-end|unlock\w*|drive (?:a |the )?(?:culture|"
    r"alignment|accountability|results|excellence|value|change|impact|transformation)|transformation|"
    r"actionable insights?|data-driven|results-driven|customer-centric|people-first|next-level|cutting-edge|"
    r"state-of-the-art|work smarter|one-team|zero-harm|core value|key differentiator|dynamic|proactive\w*|"
    r"thought leader\w*|innovative|innovation|seamless\w*|robust solutions?|stakeholder alignment|"
    r"align(?:ing)? (?:stakeholders|everyone|the team)|continuous improvement|operational excellence|"
    r"strategic(?:ally)?|journey|ecosystem|bandwidth|learning opportunit\w*|genuine(?:ly)?|truly)\b",
    re.IGNORECASE,
)
_PLATITUDE = re.compile(
    r"\b(?:at the end of the day|is (?:really |always |so )?(?:key|everything|crucial|essential|vital)|"
    r"the key (?:is|thing|with|to|here|for)|it's (?:all|really|always) (?:about|been about)|is (?:really|all) about|"
    r"i (?:always|really) (?:say|believe|try)|i believe in|i'm a (?:strong |big |firm )?believer|"
    r"i'm (?:very|a very|really|always|super) \w+|i've always (?:been|believed|tried)|most important (?:thing|"
    r"skill|asset|part)|(?:one|some) of the most important|there's no (?:such thing|perfect)|"
    r"every (?:project|situation|team|company|day) is different|these things happen|at any company|"
    r"like they say|as they say|everybody has|nobody (?:can|is)|no (?:model|plan|one) is perfect|"
    r"the right (?:people|plan|way|thing|questions)|in my experience,? (?:the|when|it)|"
    r"almost (?:never|always)|tends to|in general|generally speaking|that's (?:really )?my philosophy|"
    r"treat people|work(?:ing)? (?:hard|closely)|team effort|teamwork|be(?:ing)? (?:patient|honest|careful|"
    r"transparent|proactive|organized|organised)|great question|good question|"
    r"(?:is|are|was|'s) (?:\w+ )?(?:really |super |very |so |definitely |extremely |incredibly |always )?"
    r"(?:important|powerful|critical|essential|crucial|vital|the future|the foundation|a big deal)|"
    r"you (?:have|need|got) to|you've got to|i always (?:try|say|make sure|tell|remind|do my best)|"
    r"a lot of (?:big |large )?companies|everyone knows|nowadays|these days|"
    r"(?:no|there's no) (?:perfect|one-size)|at any (?:company|level)|my (?:top |number one |first )?priorit(?:y|ies)|"
    r"number one (?:priority|for me)|never cut corners|give (?:it )?(?:my|100|a hundred) ?(?:best|percent|%)?|"
    r"i'm (?:a |an )?(?:very |really |extremely |super |pretty )?(?:detail[- ]oriented|organi[sz]ed|careful|"
    r"hard[- ]working|people person|numbers person|team player|perfectionist|quick learner|self-starter|"
    r"problem[- ]solver|results[- ]oriented)|(?:big|core|key) value (?:of mine|for me)|"
    r"(?:i've|i have) always been (?:a|an|very|really)|even as a kid)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:i think|i guess|i suppose|probably|maybe|kind of|sort of|some kind of|something like that|honestly|"
    r"things like that|stuff|whatever|or something|and so on|etc|a bit|somehow|more or less|i'm not sure|"
    r"i don't remember|if i remember)\b",
    re.IGNORECASE,
)
#: Dismissive certainty: a safeguard waved away or one way declared the only one ("you can skip it", "aren't
#: needed", "the standard way", "can't happen"). A confident answer that never qualifies anything needs
#: checking by someone who knows the field: the builtin engine cannot tell a confident expert from a
#: confident mistake, so such claims earn nothing and the report asks for a reviewer.
_DISMISSIVE = re.compile(
    r"\b(?:guarantee[sd]?|can't (?:happen|fail|go wrong)|cannot (?:happen|fail)|(?:is|are) impossible|"
    r"the (?:standard|only|correct|right|usual) (?:way|treatment|approach|answer|practice)|standard practice|"
    r"(?:the )?simplest (?:way|thing|fix)?|(?:you )?(?:can|could) (?:just )?skip|aren't needed|isn't needed|"
    r"not needed|no need (?:to|for)|don't need (?:to|any)|unnecessary|(?:is|are) (?:always )?enough|"
    r"keeps? (?:it|things) simple|straight (?:to|into)|the (?:whole|entire|full) (?:thing|amount|sum|"
    r"(?:\w+ ){0,2}(?:hundred|thousand|million|billion|dollars?))|"
    r"end to end|all of it|(?:just|simply) (?:use|put|do|add|skip|book|restart|increase|scale|roll|tell|send|"
    r"let|write|ignore)|"
    # Safeguards skipped, adequacy self-certified, ease and certainty claimed: in any field.
    r"(?:don't|do not|never|won't) (?:wait|bother|check|test|verify|ask|escalate)|"
    r"(?:without|instead of) (?:waiting|checking|testing|verifying|asking|following)|"
    r"(?:can|could) (?:be done|wait|happen) (?:later|after)|(?:accurate|good|safe|close|fast|reliable) enough|"
    r"(?:that's|which is|it's) (?:totally |perfectly )?fine|we're fine|no problem|easily|by far|"
    r"(?:that's|it's|pretty|really) easy|all (?:of )?the (?:time|logic|work|code|processing)|permanently|"
    r"(?:are|is) all (?:basically )?the same|proves? (?:that|the|it))\b|^easy\b",
    re.IGNORECASE,
)
#: Something that happened: a past tense after its subject ("we had", "I pulled", "it turned out"), or "was" and
#: "were". A story question answered only in the present ("I always lead with value") tells no occasion.
_PAST_VERB = (
    r"(?:was|were|had|did|made|took|got|went|saw|found|told|gave|came|ran|put|set|sent|built|wrote|led|kept|left|"
    r"brought|thought|knew|began|became|chose|drove|fell|felt|held|met|paid|said|sold|spent|stood|understood|won|"
    r"broke|caught|hit|cut|let|lost|meant|rose|shut|spoke|taught|threw|woke|[a-z]+ed)"
)
_EPISODE = re.compile(
    rf"\b(?:was|were)\b|\b(?:I|we|he|she|they|it|there|who|that)(?:\s+(?:\w+ly|then|also|just|first))?\s+(?:[a-z]+-)?{_PAST_VERB}\b",
    re.IGNORECASE,
)
#: Sweeping words: common in platitudes ("I always", "everything") and harmless alone.
_SWEEPING = re.compile(r"\b(?:always|never|every (?:time|single)|everything|basically|obviously|of course)\b", re.I)
_CLAUSE_WORD = re.compile(
    r"\b(?:i|we|you|he|she|they|it|there|this|that|who|which|is|are|was|were|be|been|has|have|had|do|does|did|"
    r"will|would|can|could|should|'d|'s)\b|\b\w+(?:ed|ing)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    """One sentence or clause of an answer, quoted as said, with what it shows."""

    index: int
    text: str
    clean: str
    word_count: int
    specifics: tuple[str, ...]
    own_action: bool
    hypothetical: bool
    team_action: bool
    step: bool
    result: bool
    measured_result: bool
    reason: bool
    condition: bool
    check: bool
    lesson: bool
    situation: bool
    episode: bool
    buzz: int
    platitude: int
    hedges: int
    dismissive: int
    sweeping: int
    is_clause: bool

    @property
    def acts(self) -> bool:
        """Says what was (or would be) done: an own action, a team action, or a step of an approach."""
        return self.own_action or self.team_action or self.step

    @property
    def empty_talk(self) -> int:
        return self.buzz + self.platitude


def specifics_of(text: str) -> tuple[str, ...]:
    """The checkable details of a text: quantities, names and acronyms, dates, technical identifiers."""
    found: list[str] = []
    found += [m.group().lower() for m in QUANTITY.finditer(text)]
    found += [m.group().lower() for m in _TIME_ANCHOR.finditer(text)]
    found += [m.group() for m in _IDENTIFIER.finditer(text) if not QUANTITY.fullmatch(m.group())]
    found += [m.group() for m in _ACRONYM.finditer(text) if m.group() not in _NOT_NAMES]
    found += [m.group() for m in _CAPITALISED.finditer(text) if m.group() not in _NOT_NAMES]
    unique: dict[str, str] = {}
    for item in found:
        unique.setdefault(item.lower(), item)
    return tuple(unique.values())


def _acts_self(clean: str) -> bool:
    for match in _OWN.finditer(clean):
        verb = match.group("verb")
        if verb is None or (verb.lower() not in _NOT_DEEDS and not verb.lower().endswith("ly")):
            return True
    return False


def read_unit(index: int, text: str, clean: str) -> Unit:
    """The unit at ``index``: ``text`` as said, read on ``clean`` (its words without fillers and false starts)."""
    own = _acts_self(clean)
    result = bool(_RESULT.search(clean))
    specifics = specifics_of(clean)
    quantity = any(QUANTITY.search(s) for s in specifics)
    return Unit(
        index=index,
        text=text,
        clean=clean,
        word_count=count_words(clean),
        specifics=specifics,
        own_action=own,
        hypothetical=bool(_HYPOTHETICAL.search(clean)),
        team_action=bool(_TEAM.search(clean)),
        step=bool(_STEP.search(clean)) and bool(_CLAUSE_WORD.search(clean)),
        result=result,
        measured_result=result and (quantity or bool(_CHANGE_FROM_TO.search(clean))),
        reason=bool(_REASON.search(clean)),
        condition=bool(_CONDITION.search(clean)),
        check=bool(_CHECK.search(clean)),
        lesson=bool(_LESSON.search(clean)),
        situation=bool(_SITUATION.search(clean)),
        episode=bool(_EPISODE.search(clean)),
        buzz=len(_BUZZ.findall(clean)),
        platitude=len(_PLATITUDE.findall(clean)),
        hedges=len(_HEDGE.findall(text)),
        dismissive=len(_DISMISSIVE.findall(clean)),
        sweeping=len(_SWEEPING.findall(clean)),
        is_clause=bool(_CLAUSE_WORD.search(clean)),
    )
