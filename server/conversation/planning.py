"""Planning the interview: which questions to ask, in what order, in what words, grounded on what.

Questions from the custom bank come first (they must be asked). The remaining slots alternate between the
resume's strongest claims and the job's requirements, chosen the way a hiring manager would:

- requirements by weight (what the job description leads with, says "must" about, repeats or names in its
  title; see :func:`~server.text.requirements.extract_requirements`), never what describes the company, the
  opening, the benefits or the team, and never a licence or a degree;
- claims by strength (an action, a number, recency) and by how much they bear on what the job needs;
- each new question on what the plan does not cover yet, so five questions cover five topics, and in the
  style the interview type asks for (a technical slot does not go to "communicate with stakeholders").

Every question is said in spoken words: built around the phrase of what the requirement or the claim is
about (:mod:`server.text.phrases`), never reading the document aloud, with a template no other question of
the plan uses. It keeps its grounding: the source and the cleaned words of the document it comes from.
With no job description and no resume, questions are grounded on the job title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.conversation import templates as t
from server.conversation.questions import (
    EXPECTED_BY_STYLE,
    Grounding,
    GroundingSource,
    PlannedQuestion,
    QuestionStyle,
    default_question,
)
from server.conversation.setup import InterviewSetup, InterviewType
from server.text.phrases import Focus, FocusKind, claim_focus, proper_words, requirement_focus
from server.text.requirements import Requirement, extract_requirements
from server.text.resume import Claim, extract_claims
from server.text.skills import BY_NAME, SkillKind
from server.text.spoken import spoken


def plan_questions(setup: InterviewSetup) -> list[PlannedQuestion]:
    """The whole plan for ``setup``, deterministic: the same setup always gives the same questions."""
    return _Planner(setup).plan()


def styles_for(interview_type: InterviewType, count: int) -> list[QuestionStyle]:
    """The style of each generated question: one style, or a fixed alternation for mixed interviews."""
    cycle: tuple[QuestionStyle, ...] = {
        InterviewType.BEHAVIORAL: (QuestionStyle.BEHAVIORAL,),
        InterviewType.TECHNICAL: (QuestionStyle.TECHNICAL,),
        InterviewType.SYSTEM_DESIGN: (
            QuestionStyle.SYSTEM_DESIGN,
            QuestionStyle.SYSTEM_DESIGN,
            QuestionStyle.TECHNICAL,
        ),
        InterviewType.MIXED: (QuestionStyle.BEHAVIORAL, QuestionStyle.TECHNICAL),
    }[interview_type]
    return [cycle[i % len(cycle)] for i in range(count)]


#: Requirements and claims about working with people: a poor fit for a technical or design question.
_SOFT = re.compile(
    r"\b(?:communicat\w*|present(?:ing|ations?)? to|stakeholders?|mentor\w*|coach\w*|collaborat\w*|"
    r"partner\w* with|relationships?|influenc\w*|negotiat\w*|leadership|accountable|interpersonal|"
    r"non-technical|not technical)\b",
    re.IGNORECASE,
)
#: Verbs of building something: the requirements a design exercise fits best.
_CONSTRUCTIVE = re.compile(
    r"^(?:build|design|develop|architect|implement|create|set up|own|run|establish|introduce|migrate|rebuild|"
    r"redesign|scale|automate|integrate|launch)\b"
)
_SOFTWARE_TITLE = re.compile(
    r"\b(?:software|backend|back-end|frontend|front-end|full[- ]?stack|devops|sre|platform|infrastructure|data "
    r"engineer|machine learning|ml|developer|programmer|architect|web|mobile|cloud)\b",
    re.IGNORECASE,
)
#: A source that already has its share of the slots competes at this fraction of its worth.
_OVER_SHARE = 0.3


@dataclass(frozen=True)
class _Candidate:
    """A requirement or a claim the plan could ask about, with what it is about."""

    source: GroundingSource
    quote: str
    focus: Focus
    skills: tuple[str, ...]
    terms: frozenset[str]
    strength: float
    soft: bool


class _Planner:
    """Picks grounded topics slot by slot, keeping track of what is already covered."""

    def __init__(self, setup: InterviewSetup) -> None:
        self.setup = setup
        proper = proper_words(f"{setup.job_description}\n{setup.resume_text}")
        requirements = [r for r in extract_requirements(setup.job_description, setup.job_title) if r.askable]
        self.importance = _term_importance(requirements)
        self.requirements = [c for r in requirements if (c := self._requirement(r, proper)) is not None]
        self.claims = [c for claim in extract_claims(setup.resume_text) if (c := self._claim(claim, proper))]
        self.covered: set[str] = set()
        self.used_quotes: set[str] = set()
        self.used_templates: set[str] = set()
        self.used_topics: set[str] = set()
        self.fallbacks = 0
        self.sources: list[GroundingSource] = []

    def plan(self) -> list[PlannedQuestion]:
        questions = [
            default_question(q.text, self.setup.interview_type, q.notes, i + 1)
            for i, q in enumerate(self.setup.question_bank)
        ]
        slots = max(self.setup.num_questions - len(questions), 0)
        for index, style in enumerate(styles_for(self.setup.interview_type, slots)):
            number = len(questions) + 1
            chosen = self._choose(style, index, slots)
            questions.append(self._question(number, style, chosen) if chosen else self._title_question(number, style))
        return questions

    # ------------------------------------------------------------------ reading the documents

    def _requirement(self, requirement: Requirement, proper: frozenset[str]) -> _Candidate | None:
        focus = requirement_focus(requirement.quote, proper)
        if focus is None or (focus.words < 2 and not requirement.skills):
            return None
        strength = requirement.weight * (0.6 if _tools_only(focus, requirement.skills) else 1.0)
        return _Candidate(
            GroundingSource.JOB_DESCRIPTION,
            requirement.quote,
            focus,
            requirement.skills,
            frozenset(requirement.terms),
            strength,
            bool(_SOFT.search(requirement.quote)),
        )

    def _claim(self, claim: Claim, proper: frozenset[str]) -> _Candidate | None:
        focus = claim_focus(claim.quote, proper)
        if focus is None or focus.words < 3:
            return None
        strength = (
            1
            + (0.4 if claim.action else 0)
            + (0.3 if claim.metric else 0)
            + (0.7 if claim.change else 0)
            + 0.05 * min(len(claim.skills), 2)
            - 0.2 * min(claim.recency, 3)
            - (0.6 if claim.summary else 0)
        )
        if focus.kind is FocusKind.SUBJECT:
            strength *= 0.8
        relevance = self._relevance(frozenset(claim.terms)) if self.importance else 0.5
        return _Candidate(
            GroundingSource.RESUME,
            claim.quote,
            focus,
            claim.skills,
            frozenset(claim.terms),
            max(strength, 0.2) * (0.4 + 0.8 * relevance),
            bool(_SOFT.search(claim.quote)),
        )

    def _relevance(self, terms: frozenset[str]) -> float:
        """How much a claim bears on what the job needs: the importance of the job's terms it shares."""
        return min(1.0, sum(self.importance.get(term, 0.0) for term in terms) / 2.5)

    # ------------------------------------------------------------------ choosing what to ask about

    def _choose(self, style: QuestionStyle, slot: int, slots: int) -> _Candidate | None:
        """The best requirement or claim for this slot; the two sources are kept in balance (each gets about
        half the slots while both have something to offer), so the plan covers the job and the candidate."""
        best: tuple[_Candidate, float] | None = None
        for source, candidates in (
            (GroundingSource.RESUME, self.claims),
            (GroundingSource.JOB_DESCRIPTION, self.requirements),
        ):
            found = self._best(candidates, style)
            if found is None:
                continue
            used = self.sources.count(source)
            share = (slots + (1 if source is GroundingSource.RESUME else 0)) // 2
            score = found[1] * (_OVER_SHARE if used >= share else 1.0)
            if best is None or score > best[1]:
                best = (found[0], score)
        if best is None:
            return None
        choice = best[0]
        self.used_quotes.add(choice.quote)
        self.covered |= choice.terms
        self.sources.append(choice.source)
        return choice

    def _best(self, candidates: list[_Candidate], style: QuestionStyle) -> tuple[_Candidate, float] | None:
        scored = [(c, self._score(c, style)) for c in candidates if c.quote not in self.used_quotes]
        return max(scored, key=lambda pair: pair[1], default=None)  # ties: the first written wins

    def _score(self, candidate: _Candidate, style: QuestionStyle) -> float:
        """A candidate's worth for this slot: its strength, what it adds to the plan, and its fit to the style."""
        score = candidate.strength * self._novelty(candidate.terms) ** 2
        if style is not QuestionStyle.BEHAVIORAL:
            if candidate.soft:
                score *= 0.3
            if _is_software(self.setup.job_title) and not any(_technical(s) for s in candidate.skills):
                score *= 0.8
        if style is QuestionStyle.SYSTEM_DESIGN:
            # A design exercise needs something that was, or is to be, built.
            score *= 1.3 if _CONSTRUCTIVE.match(candidate.focus.base) else 0.6
        return score

    def _novelty(self, terms: frozenset[str]) -> float:
        """The share of a candidate's subject (by the job's importance) that the plan does not cover yet."""
        if not terms:
            return 0.5
        weights = {term: 0.2 + self.importance.get(term, 0.0) for term in terms}
        covered = sum(w for term, w in weights.items() if term in self.covered)
        return 1 - covered / sum(weights.values())

    # ------------------------------------------------------------------ wording

    def _question(self, number: int, style: QuestionStyle, chosen: _Candidate) -> PlannedQuestion:
        template = self._template(_pools(style, chosen))
        focus = chosen.focus
        fields = {"base": focus.base, "gerund": focus.gerund, "past": focus.past, "written": focus.written}
        return PlannedQuestion(
            number=number,
            style=style,
            topic=self._topic(focus.label, number),
            text=_sentence(template.text.format(**fields)),
            rephrased=_sentence(template.rephrased.format(**fields)),
            grounding=Grounding(chosen.source, chosen.quote),
            skills=chosen.skills,
            expected=EXPECTED_BY_STYLE[style],
            template=template.id,
            easier=_sentence(template.easier.format(**fields)),
        )

    def _template(self, pools: tuple[tuple[t.Template, ...], ...]) -> t.Template:
        """The first template the plan has not used, from the pools in order of preference (a plan longer than
        all of them together reuses the first pool's)."""
        fresh = [template for pool in pools for template in pool if template.id not in self.used_templates]
        template = fresh[0] if fresh else pools[0][len(self.used_templates) % len(pools[0])]
        self.used_templates.add(template.id)
        return template

    def _topic(self, label: str, number: int) -> str:
        topic = label if label not in self.used_topics else f"{label} #{number}"
        self.used_topics.add(topic)
        return topic

    def _title_question(self, number: int, style: QuestionStyle) -> PlannedQuestion:
        title = spoken(self.setup.job_title) or "this"
        pool = {
            QuestionStyle.BEHAVIORAL: t.TITLE_BEHAVIORAL,
            QuestionStyle.TECHNICAL: t.TITLE_TECHNICAL,
            QuestionStyle.SYSTEM_DESIGN: t.TITLE_DESIGN,
        }[style]
        systems = t.FALLBACK_DESIGN_SYSTEMS if _is_software(title) else t.FALLBACK_DESIGN_PROCESSES
        system = systems[self.fallbacks % len(systems)]
        design = style is QuestionStyle.SYSTEM_DESIGN
        self.fallbacks += 1 if design else 0
        template = self._template((pool,))
        fields = {"title": title, "system": system}
        return PlannedQuestion(
            number=number,
            style=style,
            topic=self._topic(system if design else template.id, number),
            text=_sentence(_articles(template.text.format(**fields))),
            rephrased=_sentence(_articles(template.rephrased.format(**fields))),
            grounding=Grounding(GroundingSource.JOB_TITLE, self.setup.job_title.strip() or "this"),
            expected=EXPECTED_BY_STYLE[style],
            template=template.id,
            easier=_sentence(template.easier.format(**fields)),
        )


def _pools(style: QuestionStyle, chosen: _Candidate) -> tuple[tuple[t.Template, ...], ...]:
    """The templates that fit a question of ``style`` on ``chosen``: first those of its style, then those of
    the neighbouring styles (a long plan runs out of one style's templates before it repeats one)."""
    claim = chosen.source is GroundingSource.RESUME
    action = chosen.focus.kind is FocusKind.ACTION
    order = {
        QuestionStyle.BEHAVIORAL: (QuestionStyle.BEHAVIORAL, QuestionStyle.TECHNICAL),
        QuestionStyle.TECHNICAL: (QuestionStyle.TECHNICAL, QuestionStyle.BEHAVIORAL),
        QuestionStyle.SYSTEM_DESIGN: (QuestionStyle.SYSTEM_DESIGN, QuestionStyle.TECHNICAL),
    }[style]
    return tuple(_TEMPLATES[(s, claim, a)] for s in order for a in (action, not action))


_TEMPLATES: dict[tuple[QuestionStyle, bool, bool], tuple[t.Template, ...]] = {
    (QuestionStyle.BEHAVIORAL, False, True): t.BEHAVIORAL_REQUIREMENT_ACTION,
    (QuestionStyle.BEHAVIORAL, False, False): t.BEHAVIORAL_REQUIREMENT_SUBJECT,
    (QuestionStyle.BEHAVIORAL, True, True): t.BEHAVIORAL_CLAIM_ACTION,
    (QuestionStyle.BEHAVIORAL, True, False): t.BEHAVIORAL_CLAIM_SUBJECT,
    (QuestionStyle.TECHNICAL, False, True): t.TECHNICAL_REQUIREMENT_ACTION,
    (QuestionStyle.TECHNICAL, False, False): t.TECHNICAL_REQUIREMENT_SUBJECT,
    (QuestionStyle.TECHNICAL, True, True): t.TECHNICAL_CLAIM_ACTION,
    (QuestionStyle.TECHNICAL, True, False): t.TECHNICAL_CLAIM_SUBJECT,
    (QuestionStyle.SYSTEM_DESIGN, False, True): t.DESIGN_REQUIREMENT_ACTION,
    (QuestionStyle.SYSTEM_DESIGN, False, False): t.DESIGN_REQUIREMENT_SUBJECT,
    (QuestionStyle.SYSTEM_DESIGN, True, True): t.DESIGN_CLAIM_ACTION,
    (QuestionStyle.SYSTEM_DESIGN, True, False): t.DESIGN_CLAIM_SUBJECT,
}


def _term_importance(requirements: list[Requirement]) -> dict[str, float]:
    """Each term of the job's requirements, weighted by the requirements that use it (the heaviest is 1)."""
    totals: dict[str, float] = {}
    for requirement in requirements:
        share = requirement.weight * (0.3 if not requirement.required else 1.0)
        for term in requirement.terms:
            totals[term] = totals.get(term, 0.0) + share
    top = max(totals.values(), default=0.0)
    return {term: value / top for term, value in totals.items()} if top else {}


def _tools_only(focus: Focus, skills: tuple[str, ...]) -> bool:
    """A phrase that only names tools ("Python and SQL", "a WMS and Excel"): asking about it says little."""
    return focus.kind is FocusKind.SUBJECT and (bool(skills) or focus.words <= 4) and focus.words <= 6


def _technical(skill: str) -> bool:
    known = BY_NAME.get(skill)
    return known is not None and known.kind is SkillKind.TECHNICAL


def _is_software(title: str) -> bool:
    return bool(_SOFTWARE_TITLE.search(title))


_A_BEFORE_VOWEL = re.compile(r"\ba (?=[aeiouAEIOU](?!ni|ser|sa|ti|ro))")


def _articles(text: str) -> str:
    """ "a Embedded Firmware Engineer" → "an Embedded Firmware Engineer"."""
    return _A_BEFORE_VOWEL.sub("an ", text)


def _sentence(text: str) -> str:
    """Tidy spacing and start with a capital."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.?!])", r"\1", text)
    return text[:1].upper() + text[1:]
