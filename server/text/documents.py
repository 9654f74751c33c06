"""What reading a job description and a resume share: their section headings, lines that try to instruct an
AI, the terms a line is about, and the marks of a line about work done (an action verb, a number).

Lines that read like instructions to an AI are never taken as requirements (:mod:`server.text.requirements`)
or claims (:mod:`server.text.resume`), so they can neither steer the plan nor be read aloud.
"""

from __future__ import annotations

import re
from enum import StrEnum

from server.text.cleaning import CleanLine
from server.text.words import STOPWORDS, stem, word_list, words

SKILLS_LIST = re.compile(
    r"^\s*(?:technical\s+|core\s+|key\s+)?(?:skills|technologies|tools|languages|stack|systems|software)\s*[:\-–]", re.I
)
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
        streamlined supported ran run organized organised oversaw published modernized consolidated raised
        rebuilt defined tested identified precepted sourced flagged cared"""
    )
)
_METRIC = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:%|percent|x\b|k\b|m\b|ms\b|s\b|µs|µa|seconds|minutes|hours|days|weeks|months|users|"
    r"customers|requests|engineers|people|services|teams?|million|billion|thousand)|[$€£]\s*\d|→|"
    r"\bfrom \d+(?:\.\d+)?\b.{0,20}\bto \d|\bto zero\b|\bzero\b|\b(?!(?:19|20)\d\d\b)\d{2,}\b",
    re.IGNORECASE,
)


class JobSection(StrEnum):
    ABOUT = "about"  # the company
    ROLE = "role"  # an overview of the opening
    DUTIES = "duties"
    REQUIREMENTS = "requirements"
    OPTIONAL = "optional"
    BENEFITS = "benefits"
    SKILLS = "skills"  # a bare list of skills
    OTHER = "other"


_JOB_HEADINGS: tuple[tuple[JobSection, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        (JobSection.OPTIONAL, r"nice[- ]to[- ]have|preferred|bonus|\bpluses\b|desirable|extra credit"),
        (
            JobSection.ROLE,
            r"^about (?:the|this) (?:role|job|position|opportunity)|^(?:the )?(?:role|opportunity)\b|"
            r"^(?:job |position )?(?:summary|overview)",
        ),
        (
            JobSection.ABOUT,
            r"^about\b|^who we are|^our (?:story|mission|company|values|team)|^(?:the )?company|^culture",
        ),
        (
            JobSection.BENEFITS,
            r"offer|benefit|perks?\b|compensation|salary|\bpay\b|^why\b|what'?s in it|we provide|"
            r"rewards|life at",
        ),
        (
            JobSection.DUTIES,
            r"what you(?:'ll| will)? do|responsibilit|duties|day[- ]to[- ]day|in this role|your role|"
            r"what you(?:'ll| will) own|the work|accountabilit|you will|you'll",
        ),
        (
            JobSection.REQUIREMENTS,
            r"requirement|qualification|what you(?:'ll)? (?:bring|need|have)|who you are|"
            r"about you|you have|must[- ]have|looking for|experience|required|what it takes",
        ),
        (JobSection.SKILLS, r"^(?:technical |key |core )?(?:skills|technologies|tools|stack)\b"),
    )
)
_HEADING_WORDS = 7
_RESUME_SECTION = re.compile(
    r"^(?:(?:professional |work |relevant )?experience|employment(?: history)?|work history|career|projects|"
    r"summary|professional summary|profile|objective|education(?: / training)?|training|skills|tools|systems|"
    r"certifications?|licensure(?: (?:&|and) certifications)?|languages|awards|interests)\b",
    re.IGNORECASE,
)

#: Words of a job description that say how much, not what ("strong experience with …").
_FILLER_TERMS = frozenset(
    stem(w)
    for w in word_list(
        """experience experienced year years strong solid excellent ability able skill skills knowledge
        understanding working proficiency proficient familiarity familiar hands-on hands deep good great proven
        track record plus must required preferred nice have including using use used work works worked team teams
        role job candidate new other similar related relevant least minimum key across within level also etc
        daily own owned drive build built maintain design develop improve manage support help provide perform
        ensure run take make create deliver partner collaborate hit give follow closely part lead leads
        responsible responsibility comfortable based per like well"""
    )
)


def looks_like_instruction(text: str) -> bool:
    """Whether a piece of untrusted text tries to instruct the interviewer rather than describe anything."""
    return bool(_INSTRUCTION.search(text))


def has_metric(text: str) -> bool:
    return bool(_METRIC.search(text))


def topic_terms(text: str) -> tuple[str, ...]:
    """The stems that say what a line is about (hyphenated words split, numbers and filler words dropped)."""
    found: dict[str, None] = {}
    for word in words(text):
        parts = re.split(r"[-/]", word)
        if len(parts) > 1 and all(p.isalpha() for p in parts):
            parts.append("".join(parts))  # "post-mortems" is also "postmortems"
        for part in parts:
            if len(part) > 2 and part not in STOPWORDS and not part[:1].isdigit():
                term = stem(part)
                if term not in _FILLER_TERMS:
                    found[term] = None
    return tuple(found)


def job_section(heading: str) -> JobSection:
    """What a job description's heading introduces."""
    text = heading.strip().rstrip(":").strip()
    for section, pattern in _JOB_HEADINGS:
        if pattern.search(text):
            return section
    return JobSection.OTHER


_TEAM_NAME = re.compile(r"\b(?:the|our|a)\s+(?:[\w-]+\s+){1,3}?teams?\b", re.IGNORECASE)


def without_team_names(text: str) -> str:
    """The text with team names taken out ("the cloud team" names a team, not a skill the job wants)."""
    return _TEAM_NAME.sub(" ", text)


def is_heading(line: CleanLine, following: CleanLine | None) -> bool:
    """A short line that introduces a section: ends in a colon, names a known section, is in capitals or title
    case, or is followed by bullets."""
    if line.bullet:
        return False
    stripped = line.text.strip()
    core = stripped.rstrip(":").strip()
    word_count = len(core.split())
    if not core or word_count > _HEADING_WORDS or re.search(r"[.;!?]$", core) or ":" in core:
        return False
    if stripped.endswith(":"):
        return True
    if word_count <= 6 and (job_section(core) is not JobSection.OTHER or _RESUME_SECTION.match(core)):
        return True
    if word_count <= 4 and not re.search(r"[,;]", core) and core[:1].isupper() and (core.istitle() or core.isupper()):
        return True
    return following is not None and following.bullet and not re.search(r"[,;]", core)
