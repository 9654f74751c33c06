"""Reading the job description and the resume: what the job requires and what the candidate claims.

Both texts are untrusted. Lines that read like instructions to an AI are never taken as requirements or
claims, so they can neither steer the plan nor be read aloud.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.text.skills import find_skills
from server.text.words import content_words, shorten, split_units, word_list, words

_REQUIREMENT_CUE = re.compile(
    r"\b(?:experience|experienced|knowledge|proficien\w*|familiar\w*|ability|able to|understanding|skills?|"
    r"expertise|background in|track record|degree|must|required|requirements?|you will|you'll|responsible|"
    r"responsibilities|build|design|own|lead|mentor\w*|collaborat\w*|work with|develop|maintain|strong|"
    r"excellent|solid|hands-on|deep|comfortable|passion)\b",
    re.IGNORECASE,
)
_OPTIONAL_CUE = re.compile(
    r"\b(?:nice[- ]to[- ]have|preferred|bonus|a plus|plus if|ideally|desirable|not required)\b", re.IGNORECASE
)
_CONTACT = re.compile(r"@|https?://|www\.|linkedin|github\.com")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
_SKILLS_LIST = re.compile(r"^\s*(?:technical\s+)?(?:skills|technologies|tools|languages|stack)\s*[:\-–]", re.I)
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompt|rules|above|previous|everything)\b|"
    r"\bsystem prompt\b|\byour instructions\b|\b(?:you are|act as|pretend)\b.{0,30}\b(?:ai|assistant|model|gpt)\b|"
    r"\b(?:give|award|score|rate)\b.{0,40}\b(?:\d{1,3}\s*/\s*10|10 out of 10|full marks|perfect score|hire)\b|"
    r"\b\d{1,3}\s*/\s*10\b|\bas an ai\b|\bjailbreak\b",
    re.IGNORECASE,
)
ACTION_VERBS = frozenset(
    word_list(
        """led lead built build designed design developed develop implemented implement created create launched
        migrated migrate reduced reduce increased increase improved improve managed manage owned own architected
        automated automate scaled scale optimized optimised optimize delivered deliver shipped ship mentored
        mentor drove established introduced redesigned rewrote refactored deployed maintained wrote founded grew
        cut saved coordinated negotiated resolved analyzed analysed trained integrated headed spearheaded
        streamlined supported ran run organized organised oversaw published modernized consolidated"""
    )
)
_METRIC = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:%|percent|x\b|k\b|m\b|ms\b|s\b|seconds|minutes|hours|days|weeks|months|users|"
    r"customers|requests|engineers|people|services|teams?|million|billion|thousand)|[$€£]\s*\d|"
    r"\b(?!(?:19|20)\d\d\b)\d{2,}\b",
    re.IGNORECASE,
)


def looks_like_instruction(text: str) -> bool:
    """Whether a piece of untrusted text tries to instruct the interviewer rather than describe anything."""
    return bool(_INSTRUCTION.search(text))


def has_metric(text: str) -> bool:
    return bool(_METRIC.search(text))


@dataclass(frozen=True)
class Requirement:
    """One thing the job asks for, with the words of the job description that say so."""

    quote: str
    skills: tuple[str, ...]
    required: bool

    @property
    def topic(self) -> str:
        return self.skills[0] if self.skills else " ".join(content_words(self.quote)[:3])


@dataclass(frozen=True)
class Claim:
    """One thing the resume says the candidate did, quoted."""

    quote: str
    skills: tuple[str, ...]
    action: str | None
    metric: bool

    @property
    def topic(self) -> str:
        return self.skills[0] if self.skills else " ".join(content_words(self.quote)[:3])

    def weight(self, wanted: set[str]) -> int:
        """How worth probing the claim is: a concrete action, a number, and skills the job wants."""
        overlap = len(wanted.intersection(self.skills))
        return 2 * overlap + min(len(self.skills), 3) + (2 if self.action else 0) + (2 if self.metric else 0)


def extract_requirements(job_description: str) -> list[Requirement]:
    """Requirements of the job, in the order written, each quoted; duplicates (same quote) dropped."""
    found: list[Requirement] = []
    seen: set[str] = set()
    optional_section = False
    for raw_line in job_description.replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        if _is_heading(line):
            optional_section = bool(_OPTIONAL_CUE.search(line))
            continue
        for unit in split_units(line):
            if looks_like_instruction(unit) or len(words(unit)) < 3:
                continue
            skills = tuple(find_skills(unit))
            if not skills and not _REQUIREMENT_CUE.search(unit):
                continue
            quote = shorten(unit, 30)
            if quote.lower() in seen:
                continue
            seen.add(quote.lower())
            required = not optional_section and not _OPTIONAL_CUE.search(unit)
            found.append(Requirement(quote=quote, skills=skills, required=required))
    return found


def extract_claims(resume_text: str) -> list[Claim]:
    """Claims of the resume worth asking about: actions taken, results reported, tools used."""
    found: list[Claim] = []
    seen: set[str] = set()
    for raw_line in resume_text.replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if not line or _is_heading(line) or _SKILLS_LIST.match(line) or _is_contact(line):
            continue
        for unit in split_units(line):
            if looks_like_instruction(unit):
                continue
            tokens = words(unit)
            if len(tokens) < 4:
                continue
            action = _leading_action(tokens)
            metric = has_metric(unit)
            skills = tuple(find_skills(unit))
            if not (action or metric or skills):
                continue
            quote = shorten(unit, 30)
            if quote.lower() in seen:
                continue
            seen.add(quote.lower())
            found.append(Claim(quote=quote, skills=skills, action=action, metric=metric))
    return found


def resume_skills(resume_text: str) -> list[str]:
    """Every skill the resume names anywhere (skills lists included), in order of first mention."""
    named: dict[str, None] = {}
    for line in resume_text.splitlines():
        if not looks_like_instruction(line):
            named.update(dict.fromkeys(find_skills(line)))
    return list(named)


def _is_contact(line: str) -> bool:
    """E-mail, links and phone numbers (nine digits or more; a year range such as 2019-2024 is not one)."""
    if _CONTACT.search(line):
        return True
    return any(sum(ch.isdigit() for ch in m.group()) >= 9 for m in _PHONE.finditer(line))


def _leading_action(tokens: list[str]) -> str | None:
    """The action verb a claim starts with ("Led ...", "I built ..."), if any."""
    for token in tokens[:3]:
        if token in ACTION_VERBS:
            return token
    return None


def _is_heading(line: str) -> bool:
    stripped = line.strip().rstrip(":").strip()
    if line.strip().endswith(":") and len(stripped.split()) <= 6:
        return True
    return (
        len(stripped.split()) <= 4
        and not re.search(r"[.,;]", stripped)
        and stripped[:1].isupper()
        and (stripped.istitle() or stripped.isupper())
    )
