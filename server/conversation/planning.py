"""Planning the interview: which questions to ask, in what order, and what each one is grounded on.

Questions from the custom bank come first (they must be asked). The remaining slots alternate between
probing the resume's claims and covering the job's requirements, never twice on the same topic, in the
styles the interview type asks for. With no job description and no resume, questions are grounded on the
job title.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from server.conversation import templates as t
from server.conversation.setup import InterviewSetup, InterviewType
from server.text.extraction import Claim, Requirement, extract_claims, extract_requirements
from server.text.skills import find_skills, is_technical, spoken_name
from server.text.words import content_words, shorten


class QuestionStyle(StrEnum):
    BEHAVIORAL = "behavioral"
    TECHNICAL = "technical"
    SYSTEM_DESIGN = "system_design"


class GroundingSource(StrEnum):
    JOB_DESCRIPTION = "job_description"
    RESUME = "resume"
    BANK = "bank"
    JOB_TITLE = "job_title"


@dataclass(frozen=True)
class Grounding:
    """Why a question is asked: the words of the resume, job description, bank or title it comes from."""

    source: GroundingSource
    quote: str


@dataclass(frozen=True)
class PlannedQuestion:
    number: int
    style: QuestionStyle
    topic: str
    text: str
    rephrased: str
    grounding: Grounding
    skills: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skills"] = list(self.skills)
        data["expected"] = list(self.expected)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedQuestion:
        grounding = data["grounding"]
        return cls(
            number=int(data["number"]),
            style=QuestionStyle(data["style"]),
            topic=str(data["topic"]),
            text=str(data["text"]),
            rephrased=str(data["rephrased"]),
            grounding=Grounding(GroundingSource(grounding["source"]), str(grounding["quote"])),
            skills=tuple(data.get("skills", ())),
            expected=tuple(data.get("expected", ())),
        )


_EXPECTED_BY_STYLE: dict[QuestionStyle, tuple[str, ...]] = {
    QuestionStyle.BEHAVIORAL: (
        "a specific situation and its context",
        "the candidate's own actions",
        "a concrete, ideally measurable result",
    ),
    QuestionStyle.TECHNICAL: (
        "a concrete approach with named tools or techniques",
        "the trade-offs and alternatives considered",
        "an example from real experience",
    ),
    QuestionStyle.SYSTEM_DESIGN: (
        "clarified requirements and scale",
        "main components and data flow",
        "data storage and scaling strategy",
        "trade-offs, failure handling and how to verify it works",
    ),
}


def has_custom_expectations(question: PlannedQuestion) -> bool:
    """Whether ``expected`` came from bank notes rather than the style's generic expectations."""
    return question.expected != _EXPECTED_BY_STYLE[question.style]


def plan_questions(setup: InterviewSetup) -> list[PlannedQuestion]:
    """The whole plan for ``setup``, deterministic: the same setup always gives the same questions."""
    planner = _Planner(setup)
    return planner.plan()


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


class _Planner:
    """Picks grounded topics slot by slot, keeping track of what is already covered."""

    def __init__(self, setup: InterviewSetup) -> None:
        self.setup = setup
        self.requirements = extract_requirements(setup.job_description)
        self.claims = extract_claims(setup.resume_text)
        self.wanted = {skill for r in self.requirements for skill in r.skills}
        self.claims.sort(key=lambda c: -c.weight(self.wanted))  # stable: equal weights keep resume order
        self.requirements.sort(key=lambda r: (not r.required, -len(r.skills)))
        self.covered: set[str] = set()
        self.used_quotes: set[str] = set()
        self.variant: dict[str, int] = {}

    def plan(self) -> list[PlannedQuestion]:
        questions = [self._bank_question(i + 1, q.text, q.notes) for i, q in enumerate(self.setup.question_bank)]
        slots = max(self.setup.num_questions - len(questions), 0)
        for index, style in enumerate(styles_for(self.setup.interview_type, slots)):
            number = len(questions) + 1
            prefer_claim = index % 2 == 0
            question = self._grounded_question(number, style, prefer_claim) or self._title_question(number, style)
            questions.append(question)
        return questions

    # ------------------------------------------------------------------ choosing what to ask about

    def _grounded_question(self, number: int, style: QuestionStyle, prefer_claim: bool) -> PlannedQuestion | None:
        claim = self._next_claim(style)
        requirement = self._next_requirement(style)
        if claim and (prefer_claim or requirement is None):
            return self._claim_question(number, style, claim)
        if requirement:
            return self._requirement_question(number, style, requirement)
        return None

    def _next_claim(self, style: QuestionStyle) -> Claim | None:
        fresh = [c for c in self.claims if c.quote not in self.used_quotes]
        if style is not QuestionStyle.BEHAVIORAL:
            fresh = [c for c in fresh if any(is_technical(s) for s in c.skills)]
        uncovered = [c for c in fresh if not self._topics(c.skills, c.quote) & self.covered]
        return next(iter(uncovered or fresh), None)

    def _next_requirement(self, style: QuestionStyle) -> Requirement | None:
        fresh = [r for r in self.requirements if r.quote not in self.used_quotes]
        if style is not QuestionStyle.BEHAVIORAL:
            # Technical and design questions need something technical to be about.
            fresh = [r for r in fresh if any(is_technical(s) for s in r.skills)] or fresh
        uncovered = [r for r in fresh if not self._topics(r.skills, r.quote) & self.covered]
        return next(iter(uncovered or fresh), None)

    def _topics(self, skills: tuple[str, ...], quote: str) -> set[str]:
        return set(skills) if skills else {" ".join(content_words(quote)[:3])}

    def _primary_skill(self, skills: tuple[str, ...], style: QuestionStyle) -> str | None:
        """The skill a question is about: one the job wants and not yet covered, technical first if needed."""

        def rank(skill: str) -> tuple[bool, bool, bool, bool]:
            technical_needed = style is not QuestionStyle.BEHAVIORAL
            return (
                skill in self.covered,
                technical_needed and not is_technical(skill),
                skill not in self.wanted,
                technical_needed and skill not in t.TECHNICAL_PROMPTS,
            )

        return min(skills, key=rank) if skills else None

    def _take(self, key: str) -> int:
        """The next template variant for ``key``, cycling through the variants in order."""
        value = self.variant.get(key, 0)
        self.variant[key] = value + 1
        return value

    # ------------------------------------------------------------------ building questions

    def _claim_question(self, number: int, style: QuestionStyle, claim: Claim) -> PlannedQuestion:
        self.used_quotes.add(claim.quote)
        topic = self._primary_skill(claim.skills, style) or " ".join(content_words(claim.quote)[:3])
        self.covered |= self._topics(claim.skills, claim.quote)
        table = {
            QuestionStyle.BEHAVIORAL: t.BEHAVIORAL_CLAIM,
            QuestionStyle.TECHNICAL: t.TECHNICAL_CLAIM,
            QuestionStyle.SYSTEM_DESIGN: t.DESIGN_CLAIM,
        }[style]
        text, rephrased = table[self._take(f"claim:{style}") % len(table)]
        fields = {"quote": _as_sentence(claim.quote), "short": shorten(claim.quote, 10)}
        return PlannedQuestion(
            number=number,
            style=style,
            topic=topic,
            text=text.format(**fields),
            rephrased=rephrased.format(**fields),
            grounding=Grounding(GroundingSource.RESUME, claim.quote),
            skills=claim.skills,
            expected=_EXPECTED_BY_STYLE[style],
        )

    def _requirement_question(self, number: int, style: QuestionStyle, requirement: Requirement) -> PlannedQuestion:
        self.used_quotes.add(requirement.quote)
        skill = self._primary_skill(requirement.skills, style)
        self.covered |= self._topics(requirement.skills, requirement.quote)
        fields = {"quote": _as_sentence(requirement.quote), "short": shorten(requirement.quote, 10)}
        if style is QuestionStyle.SYSTEM_DESIGN:
            table = t.DESIGN_REQUIREMENT
            fields["system"] = self._design_system(requirement.skills)
        elif style is QuestionStyle.TECHNICAL and skill:
            table = t.TECHNICAL_REQUIREMENT
            prompt, rephrased_prompt = t.TECHNICAL_PROMPTS.get(skill, t.GENERIC_TECHNICAL_PROMPT)
            said = spoken_name(skill)
            fields |= {"skill": said, "prompt": prompt.format(skill=said)}
            fields["rephrased_prompt"] = rephrased_prompt.format(skill=said)
        elif style is QuestionStyle.TECHNICAL:
            table = t.TECHNICAL_REQUIREMENT_PLAIN
        elif skill:
            table = t.BEHAVIORAL_REQUIREMENT_SKILL
            fields["skill"] = spoken_name(skill)
        else:
            table = t.BEHAVIORAL_REQUIREMENT
        text, rephrased = table[self._take(f"requirement:{style}:{bool(skill)}") % len(table)]
        return PlannedQuestion(
            number=number,
            style=style,
            topic=skill or " ".join(content_words(requirement.quote)[:3]),
            text=text.format(**fields),
            rephrased=rephrased.format(**fields),
            grounding=Grounding(GroundingSource.JOB_DESCRIPTION, requirement.quote),
            skills=requirement.skills,
            expected=_EXPECTED_BY_STYLE[style],
        )

    def _design_system(self, skills: tuple[str, ...]) -> str:
        for skill in skills:
            system = t.DESIGN_SYSTEMS.get(skill)
            if system and system not in self.used_quotes:
                self.used_quotes.add(system)
                return system
        return self._fallback_system()

    def _fallback_system(self) -> str:
        for system in t.FALLBACK_DESIGN_SYSTEMS:
            if system not in self.used_quotes:
                self.used_quotes.add(system)
                return system
        return t.FALLBACK_DESIGN_SYSTEMS[self._take("fallback-system") % len(t.FALLBACK_DESIGN_SYSTEMS)]

    def _title_question(self, number: int, style: QuestionStyle) -> PlannedQuestion:
        title = self.setup.job_title.strip() or "this"
        grounding = Grounding(GroundingSource.JOB_TITLE, title)
        if style is QuestionStyle.SYSTEM_DESIGN:
            system = self._fallback_system()
            text = (
                f"Here is a design exercise: how would you design {system}? Start with the requirements, then "
                "the main components, the data, and how it scales."
            )
            rephrased = f"Let me simplify: sketch {system}. What are the main parts, and how does it grow?"
            topic = system
        else:
            options = t.TITLE_QUESTIONS[style.value]
            index = self._take(f"title:{style}")
            text, rephrased = (s.format(title=title) for s in options[index % len(options)])
            topic = f"{style.value} {index % len(options) + 1}"
        return PlannedQuestion(
            number=number,
            style=style,
            topic=topic,
            text=text,
            rephrased=rephrased,
            grounding=grounding,
            expected=_EXPECTED_BY_STYLE[style],
        )

    def _bank_question(self, number: int, text: str, notes: str) -> PlannedQuestion:
        return default_question(text, self.setup.interview_type, notes, number)


def default_question(text: str, interview_type: InterviewType, notes: str = "", number: int = 0) -> PlannedQuestion:
    """A question given as text (a bank entry, or a question asked outside the plan), grounded on itself."""
    style = _bank_style(text, interview_type)
    return PlannedQuestion(
        number=number,
        style=style,
        topic=" ".join(content_words(text)[:4]) or f"question {number}",
        text=text.strip(),
        rephrased=f"In other words: {text.strip()}",
        grounding=Grounding(GroundingSource.BANK, text.strip()),
        skills=tuple(find_skills(text)),
        expected=tuple(_split_notes(notes)) or _EXPECTED_BY_STYLE[style],
    )


def _bank_style(text: str, interview_type: InterviewType) -> QuestionStyle:
    if interview_type is InterviewType.BEHAVIORAL:
        return QuestionStyle.BEHAVIORAL
    if interview_type is InterviewType.TECHNICAL:
        return QuestionStyle.TECHNICAL
    if interview_type is InterviewType.SYSTEM_DESIGN or re.search(r"\bdesign\b", text, re.IGNORECASE):
        return QuestionStyle.SYSTEM_DESIGN
    if re.search(r"\b(?:tell me about a time|describe a (?:time|situation)|give an example)\b", text, re.I):
        return QuestionStyle.BEHAVIORAL
    return QuestionStyle.TECHNICAL


def _split_notes(notes: str) -> list[str]:
    parts = re.split(r"[\n;]|(?<=\.)\s+", notes)
    return [p.strip(" -•*.") for p in parts if p.strip(" -•*.")]


def _as_sentence(quote: str) -> str:
    """A quote as it is read aloud inside a question: ending with a full stop so the next sentence starts."""
    return quote if quote.endswith((".", "!", "?", "…")) else quote + "."
