"""Reading the resume: what the candidate claims to have done, and every skill it names.

The resume is cleaned first (:mod:`server.text.cleaning`), so every quote is clean text. Claims are its lines
about work done, each with whether it names an action, a number, the skills, and how recent it is (the job
it is listed under, most recent first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from server.text.cleaning import clean_lines
from server.text.documents import (
    ACTION_VERBS,
    SKILLS_LIST,
    has_metric,
    is_heading,
    looks_like_instruction,
    topic_terms,
    without_team_names,
)
from server.text.sentences import split_sentences
from server.text.skills import find_skills
from server.text.words import content_words, shorten, words

_CONTACT = re.compile(r"@|https?://|www\.|linkedin|github\.com")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
_CHANGE = re.compile(
    r"→|->|\bfrom\s+[-~≈$€£]?\d.{0,30}?\bto\b|\b(?:by|to)\s+[-~≈]?\d+(?:\.\d+)?\s*(?:%|percent|x\b)|"
    r"\b(?:cut|reduced|raised|increased|improved|grew|doubled|tripled|halved|lowered|saved|eliminated)\b.{0,40}\d|"
    r"\b(?:down|up)\s+(?:from\s+)?[-~≈$€£]?\d|\bto zero\b",
    re.IGNORECASE,
)
_RESUME_SKIP = re.compile(
    r"^(?:education|training|skills|technical skills|tools|systems|technologies|languages|certifications?|"
    r"licen[sc]ure|licen[sc]es|awards|interests|hobbies|references|publications|contact|core competencies)\b",
    re.IGNORECASE,
)
_RESUME_SUMMARY = re.compile(r"^(?:summary|professional summary|profile|objective|about me|overview)\b", re.I)
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\bpresent\b|\bcurrent\b", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One thing the resume says the candidate did, quoted (cleaned), with what makes it worth asking about.

    ``recency`` is the index of the job it is listed under, 0 for the most recent (or the summary).
    """

    quote: str
    skills: tuple[str, ...]
    action: str | None
    metric: bool
    recency: int = 0
    summary: bool = False
    terms: tuple[str, ...] = field(default=())
    #: Whether it reports a change it brought about ("from 31% to 24%", "cut … by 40%"), not only a size.
    change: bool = False

    @property
    def topic(self) -> str:
        return self.skills[0] if self.skills else " ".join(content_words(self.quote)[:3])


def extract_claims(resume_text: str) -> list[Claim]:
    """Claims of the resume worth asking about: actions taken, results reported, tools used."""
    found: list[Claim] = []
    seen: set[str] = set()
    skipping = False
    summary = False
    job = -1
    bullets_since_header = True
    lines = clean_lines(resume_text)
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        text = line.text
        if not line.bullet and _DATE.search(text) and len(text.split()) <= 16 and not _is_contact(text):
            if bullets_since_header:  # a job's header (title, employer, dates), perhaps over two lines
                job += 1
                bullets_since_header = False
            continue
        if is_heading(line, following):
            skipping = bool(_RESUME_SKIP.match(text.rstrip(":")))
            summary = bool(_RESUME_SUMMARY.match(text.rstrip(":")))
            continue
        if SKILLS_LIST.match(text) or _is_contact(text) or _RESUME_SKIP.match(text):
            continue
        if skipping:
            continue
        bullets_since_header = True
        for unit in split_sentences(text) if not line.bullet else [text]:
            claim = _claim(unit, max(job, 0), summary or job < 0, line.bullet)
            if claim is not None and claim.quote.lower() not in seen:
                seen.add(claim.quote.lower())
                found.append(claim)
    return found


def _claim(unit: str, recency: int, summary: bool, bullet: bool) -> Claim | None:
    if looks_like_instruction(unit):
        return None
    tokens = words(unit)
    if len(tokens) < 4:
        return None
    action = _leading_action(tokens)
    metric = has_metric(unit)
    skills = tuple(find_skills(without_team_names(unit)))
    if not (action or metric or skills or (bullet and not summary)):
        return None
    return Claim(
        quote=shorten(unit, 40),
        skills=skills,
        action=action,
        metric=metric,
        recency=recency,
        summary=summary,
        terms=topic_terms(unit),
        change=bool(_CHANGE.search(unit)),
    )


def resume_skills(resume_text: str) -> list[str]:
    """Every skill the resume names anywhere (skills lists included), in order of first mention."""
    return list(_resume_skills(resume_text))


@lru_cache(maxsize=64)
def _resume_skills(resume_text: str) -> tuple[str, ...]:
    """Read once per resume: an interview restored at every turn asks again with the same text."""
    named: dict[str, None] = {}
    for line in clean_lines(resume_text):
        if not looks_like_instruction(line.text):
            named.update(dict.fromkeys(find_skills(line.text)))
    return tuple(named)


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
