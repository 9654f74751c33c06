"""The scoring rubric: versioned, one per interview type, the same for both engines.

Every rubric has the same five criteria (so reports can compare and average across question styles), but
each interview type words them and weighs them for what it tests. Each criterion is scored 0-10; the
anchors say what each band means, and are sent verbatim to a model that scores.

Change a rubric's wording or weights only together with its ``version``: stored scores keep the version
they were given under, and results score again what was scored under another version.

Version 2.0 added what the anchors did not say and scorers got wrong: words restated from the job
description, the resume or the question are not evidence and do not answer anything; claims without an own
action, a concrete object or a result are not evidence however many there are; length is no credit; and
delivery is judged only from what a reliable transcript shows.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from server.conversation.setup import InterviewType

CRITERIA = ("relevance", "depth", "structure", "evidence", "communication")

#: The score bands every anchor list follows, lowest first.
BANDS = ((0, 2), (3, 4), (5, 6), (7, 8), (9, 10))


class Anchor(BaseModel):
    model_config = ConfigDict(frozen=True)

    low: int = Field(ge=0, le=10)
    high: int = Field(ge=0, le=10)
    description: str


class Criterion(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    description: str
    weight: float = Field(gt=0)
    anchors: tuple[Anchor, ...]
    #: Only this criterion may judge delivery (fillers, false starts, recognition slips).
    judges_delivery: bool = False


class Rubric(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    version: str
    interview_type: InterviewType
    criteria: tuple[Criterion, ...]

    @property
    def key(self) -> str:
        """What is stored with every score: ``behavioral@1.0``."""
        return f"{self.id}@{self.version}"

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def weighted(self, scores: dict[str, float | None]) -> float:
        """Weighted mean of the criteria that were scored (``None``: not judged), rounded to one decimal."""
        judged = [c for c in self.criteria if scores.get(c.id) is not None]
        total = sum(c.weight for c in judged)
        return round(sum(float(scores[c.id] or 0) * c.weight for c in judged) / total, 1) if total else 0.0

    def as_text(self) -> str:
        """The rubric as plain text, for a model's system prompt and for the report's appendix."""
        lines = [f"Rubric {self.key} ({self.interview_type.value} interview). Score each criterion 0-10."]
        for c in self.criteria:
            lines.append(f"- {c.id} ({c.name}, weight {c.weight:g}): {c.description}")
            lines.extend(f"    {a.low}-{a.high}: {a.description}" for a in c.anchors)
        return "\n".join(lines)


def _anchors(*descriptions: str) -> tuple[Anchor, ...]:
    return tuple(Anchor(low=low, high=high, description=d) for (low, high), d in zip(BANDS, descriptions, strict=True))


_RELEVANCE = _anchors(
    "Does not address the question, answers a different one, or only restates the question or the job.",
    "Touches the topic but mostly talks around it.",
    "Addresses the question in general terms; parts are off-topic.",
    "Answers the question asked, with a clear link to the role.",
    "Answers exactly what was asked and ties it to the role's needs throughout.",
)
_STRUCTURE_BEHAVIORAL = _anchors(
    "No discernible story: no situation, action or result.",
    "One element of situation, action, result; hard to follow.",
    "Two of situation, action, result; the thread is mostly clear.",
    "Situation, action and result all present, in a sensible order.",
    "A tight situation-task-action-result story with a clear conclusion or lesson.",
)
_STRUCTURE_TECHNICAL = _anchors(
    "Disconnected statements; no line of reasoning.",
    "Some steps, but jumps around and leaves gaps.",
    "A recognisable approach, loosely ordered.",
    "A clear, ordered approach from problem to solution.",
    "Clear, ordered and complete: problem, approach, verification, follow-through.",
)
_EVIDENCE = _anchors(
    "Nothing concrete: generalities, buzzwords, or words restated from the job description or resume.",
    "A hint of a real example, with no details.",
    "A real example with some specifics (a tool, a step, a context).",
    "Specific actions by the candidate, named tools, and some numbers or outcomes.",
    "Precise, verifiable specifics: the candidate's own actions, named tools and measured results.",
)
_COMMUNICATION = _anchors(
    "Very hard to follow; mostly fragments, or nothing said beyond generalities.",
    "Understandable with effort; many restarts, very long run-ons, or padding around little content.",
    "Understandable; some rambling, hedging or heavy filler, or the point comes late.",
    "Clear and concise: gets to the point, with occasional filler.",
    "Crisp and direct: every sentence carries the answer forward.",
)
_DEPTH_BEHAVIORAL = _anchors(
    "No insight into why or how; a bare statement.",
    "Mentions what happened without reasons.",
    "Some reasons for decisions, little reflection.",
    "Explains the reasoning behind decisions and what was learned.",
    "Insightful: weighs alternatives, explains trade-offs, reflects on what to do differently.",
)
_DEPTH_TECHNICAL = _anchors(
    "Incorrect or empty technically.",
    "Superficial; buzzwords without mechanism.",
    "Correct at a basic level; limited depth.",
    "Correct and detailed: mechanisms, trade-offs and failure cases.",
    "Expert: precise mechanisms, alternatives compared, edge cases and verification covered.",
)
_DEPTH_DESIGN = _anchors(
    "No design: no components or data flow.",
    "Names a few components without how they interact.",
    "A workable design at a high level; scaling and failure mostly ignored.",
    "A sound design with data model, scaling and failure handling, and trade-offs named.",
    "A thorough design: requirements, capacity, components, data, scaling, failures and trade-offs justified.",
)
_STRUCTURE_DESIGN = _anchors(
    "No plan; jumps straight into details or stays vague.",
    "Some parts of a design process, in no clear order.",
    "Covers requirements or components, but not both, in order.",
    "Requirements, then components, then data and scaling, in order.",
    "A disciplined walk from requirements and estimates to design, deep dives and trade-offs.",
)
_DEPTH_MIXED = _anchors(
    "No reasons and no mechanism: a bare statement.",
    "Superficial: what happened or buzzwords, without why or how.",
    "Some reasons or a basic, correct mechanism.",
    "Explains decisions and mechanisms, with trade-offs or lessons.",
    "Insightful and precise: alternatives compared, trade-offs, edge cases or lessons drawn.",
)
_STRUCTURE_MIXED = _anchors(
    "No discernible story or line of reasoning.",
    "Fragments of a story or an approach; hard to follow.",
    "A recognisable story (situation, action, result) or approach, loosely ordered.",
    "A complete story or an ordered approach from problem to solution.",
    "Tight and complete: a full situation-action-result story, or problem, approach and verification.",
)


def _criteria(
    depth_name: str,
    depth_description: str,
    depth: tuple[Anchor, ...],
    structure: tuple[Anchor, ...],
    weights: tuple[float, float, float, float, float],
) -> tuple[Criterion, ...]:
    relevance_w, depth_w, structure_w, evidence_w, communication_w = weights
    return (
        Criterion(
            id="relevance",
            name="Relevance",
            weight=relevance_w,
            anchors=_RELEVANCE,
            description="Answers the question that was asked, for this role.",
        ),
        Criterion(id="depth", name=depth_name, weight=depth_w, anchors=depth, description=depth_description),
        Criterion(
            id="structure",
            name="Structure",
            weight=structure_w,
            anchors=structure,
            description="The answer is organised so the listener can follow the reasoning or story.",
        ),
        Criterion(
            id="evidence",
            name="Evidence and specificity",
            weight=evidence_w,
            anchors=_EVIDENCE,
            description="Concrete, checkable details: own actions, named tools, numbers and outcomes.",
        ),
        Criterion(
            id="communication",
            name="Communication",
            weight=communication_w,
            anchors=_COMMUNICATION,
            judges_delivery=True,
            description="Clarity and concision of delivery, judged from what the transcript supports. The only "
            "criterion where filler words, false starts and speech-recognition slips may count; not judged when "
            "the transcript is unreliable.",
        ),
    )


RUBRICS: dict[InterviewType, Rubric] = {
    InterviewType.BEHAVIORAL: Rubric(
        id="behavioral",
        version="2.0",
        interview_type=InterviewType.BEHAVIORAL,
        criteria=_criteria(
            "Depth and insight",
            "Reasons for decisions, trade-offs weighed, lessons drawn.",
            _DEPTH_BEHAVIORAL,
            _STRUCTURE_BEHAVIORAL,
            (1.0, 1.0, 1.0, 1.25, 0.75),
        ),
    ),
    InterviewType.TECHNICAL: Rubric(
        id="technical",
        version="2.0",
        interview_type=InterviewType.TECHNICAL,
        criteria=_criteria(
            "Technical accuracy and depth",
            "Correct mechanisms, trade-offs, failure cases.",
            _DEPTH_TECHNICAL,
            _STRUCTURE_TECHNICAL,
            (1.0, 1.5, 0.75, 1.0, 0.75),
        ),
    ),
    InterviewType.SYSTEM_DESIGN: Rubric(
        id="system_design",
        version="2.0",
        interview_type=InterviewType.SYSTEM_DESIGN,
        criteria=_criteria(
            "Design depth",
            "Components, data, scaling, failure handling and trade-offs.",
            _DEPTH_DESIGN,
            _STRUCTURE_DESIGN,
            (1.0, 1.5, 1.0, 0.75, 0.75),
        ),
    ),
    InterviewType.MIXED: Rubric(
        id="mixed",
        version="2.0",
        interview_type=InterviewType.MIXED,
        criteria=_criteria(
            "Depth",
            "For stories: reasons and lessons. For technical answers: correct mechanisms and trade-offs.",
            _DEPTH_MIXED,
            _STRUCTURE_MIXED,
            (1.0, 1.25, 1.0, 1.0, 0.75),
        ),
    ),
}


def rubric_for(interview_type: InterviewType) -> Rubric:
    return RUBRICS[interview_type]
