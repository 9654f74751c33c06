"""Reading the job description: what the job requires, and how much.

Both texts are cleaned first (:mod:`server.text.cleaning`), so every quote is clean text. Requirements come
from the job description's duties and requirements, never from what describes the company, the opening ("We
are hiring a …"), the benefits or the team ("work closely with the cloud team"). Each has a weight: what the
description leads with, says "must" or "required" about, repeats, or names in the job title weighs more;
"nice to have" weighs little. Licences, degrees and physical demands are requirements but not interview
topics (``askable`` is false): they are checked on paper. What the resume claims is read by
:mod:`server.text.resume`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.text.cleaning import clean_lines
from server.text.documents import (
    SKILLS_LIST,
    JobSection,
    is_heading,
    job_section,
    looks_like_instruction,
    topic_terms,
    without_team_names,
)
from server.text.phrases import is_tenure
from server.text.sentences import split_sentences
from server.text.skills import find_skills
from server.text.words import content_words, shorten, stem, word_list, words

_OPTIONAL_CUE = re.compile(
    r"\b(?:nice[- ]to[- ]have|preferred|bonus|a plus|plus if|ideally|desirable|not required)\b", re.IGNORECASE
)
_MUST_CUE = re.compile(r"\b(?:must|required|essential|mandatory|you need)\b", re.IGNORECASE)
_OPENING = re.compile(
    r"\b(?:we(?:'re| are)?|is|are)\s+(?:currently\s+|now\s+)?(?:hiring|looking for|seeking|searching for|"
    r"recruiting)\b|\bjoin (?:our|the|us)\b|^(?:this|the) (?:role|position) (?:is|reports|sits)\b|"
    r"\breports? (?:to|into)\b",
    re.IGNORECASE,
)
_COMPANY_START = re.compile(r"^(?:we|we're|we've|we'd|our|for \d+ years|since \d{4}|founded|together)\b", re.I)
_COMPANY_VERB = re.compile(
    r"^(?:[A-Z][\w&.'’-]*\s+){1,4}(?:is an?|is the|are an?|builds|makes|designs|provides|offers|runs|operates|"
    r"serves|helps|creates|develops|sells|manufactures|has been|was founded|powers|delivers)\b"
)
_BENEFIT = re.compile(
    r"\b(?:competitive (?:salary|pay|compensation)|salary range|base salary|pay range|compensation package|"
    r"total compensation|(?:annual|sign-on|signing|performance|referral) bonus|equity (?:for|grant|package)|"
    r"stock options?|401\s?\(?k\)?|unlimited pto|pto\b|paid time off|vacation days|weeks of vacation|"
    r"parental leave|(?:health|life|dental|medical|disability|vision) (?:insurance|coverage|plan)|"
    r"medical,? dental|dental|stipend|(?:tuition|exam|education) reimbursement|employee discount|perks|"
    r"free parking|childcare|wellness (?:stipend|program|benefit)|remote-first|fully remote|remote within|"
    r"hybrid (?:work|schedule|role)|relocation (?:assistance|package)|visa sponsorship|learning budget|"
    r"offsites?|(?:night|shift|weekend) differential|shift premium|equal opportunity|\beeo\b|days in (?:the )?"
    r"office)\b",
    re.IGNORECASE,
)
_TEAM_ONLY = re.compile(
    r"^(?:you(?:'ll| will)\s+)?(?:work|partner|collaborate|sit|be part of)\s+(?:closely\s+)?"
    r"(?:with|alongside|in|of)\s+(?:the|our|a)\s+[\w\s&,-]{0,40}?\bteams?\b\W*$",
    re.IGNORECASE,
)
_CREDENTIAL = re.compile(
    r"\b(?:licen[sc]e[ds]?|licensure|certifi(?:ed|cation|cations)|degree|bachelor'?s|master'?s|ph\.?d|mba|bsn|"
    r"msn|cpa|cma|cfa|pmp|bls|acls|pals|cmsrn|diploma|clearance|authori[sz]ed to work|work authori[sz]ation|"
    r"background check|drug (?:test|screen))\b",
    re.IGNORECASE,
)
_PHYSICAL = re.compile(
    r"\b(?:able to (?:stand|walk|lift|sit|bend)|lift(?:ing)? up to|stand(?:ing)? and walk|physical(?:ly)? "
    r"(?:demands|able|fit))\b",
    re.IGNORECASE,
)
_COLLABORATION = re.compile(r"^(?:partner|collaborate|liaise|work closely|coordinate)\s+with\b", re.IGNORECASE)
_INLINE_HEADING = re.compile(r"^(?P<head>[A-Za-z][\w '’&/-]{1,40}?)\s*:\s+(?P<rest>\S.*)$")
#: Words of a job title that name the level or the kind of job, not its subject.
_TITLE_FILLER = frozenset(
    stem(w)
    for w in word_list(
        """senior junior lead principal staff head chief associate assistant intern entry level manager engineer
        developer specialist analyst scientist supervisor coordinator representative officer director consultant
        technician i ii iii iv nd rd th"""
    )
)


@dataclass(frozen=True)
class Requirement:
    """One thing the job asks for, with the words of the job description that say so.

    ``weight`` ranks requirements against each other (see the module docstring); ``terms`` are the stems that
    say what it is about, for telling topics apart; ``askable`` is false for what an interview does not test
    (licences, degrees, physical demands).
    """

    quote: str
    skills: tuple[str, ...]
    required: bool
    weight: float = 1.0
    askable: bool = True
    terms: tuple[str, ...] = ()
    tenure: bool = False

    @property
    def topic(self) -> str:
        return self.skills[0] if self.skills else " ".join(content_words(self.quote)[:3])


def is_not_requirement(sentence: str) -> bool:
    """Whether a sentence of a job description describes the company, the opening, the benefits or the team
    rather than asking anything of the candidate."""
    text = sentence.strip()
    if _OPENING.search(text) or _BENEFIT.search(text) or _TEAM_ONLY.match(text):
        return True
    addresses_candidate = re.search(r"\byou(?:'ll|'re|r)?\b", text, re.IGNORECASE)
    return not addresses_candidate and bool(_COMPANY_START.match(text) or _COMPANY_VERB.match(text))


@dataclass
class _Unit:
    text: str
    section: JobSection
    position: int
    bullet: bool


def _job_units(job_description: str, title: str = "") -> list[_Unit]:
    """Every sentence of the job description with the section it is in and its place there."""
    units: list[_Unit] = []
    section = JobSection.OTHER
    position = 0
    lines = clean_lines(job_description)
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if is_heading(line, following):
            section, position = job_section(line.text), 0
            continue
        text, line_section = line.text, section
        inline = _INLINE_HEADING.match(text)
        if inline and len(inline.group("head").split()) <= 4:
            named = job_section(inline.group("head"))
            if named is not JobSection.OTHER:
                text, line_section = inline.group("rest"), named
        for sentence in split_sentences(text):
            units.append(_Unit(sentence, line_section, position, line.bullet))
            position += 1
    return units


def extract_requirements(job_description: str, job_title: str = "") -> list[Requirement]:
    """Requirements of the job, in the order written, each quoted and weighted; duplicates dropped."""
    units = _job_units(job_description, job_title)
    candidates: list[tuple[_Unit, tuple[str, ...]]] = []
    counted: list[tuple[str, ...]] = []  # every line about the job (duties, requirements, skills lists)
    for unit in units:
        if unit.section in (JobSection.ABOUT, JobSection.BENEFITS) or looks_like_instruction(unit.text):
            continue
        terms = topic_terms(unit.text)
        counted.append(terms)
        if unit.section is JobSection.SKILLS or SKILLS_LIST.match(unit.text) or len(words(unit.text)) < 3:
            continue
        if is_not_requirement(unit.text):
            continue
        candidates.append((unit, terms))
    frequency: dict[str, int] = {}
    for terms in counted:
        for term in set(terms):
            frequency[term] = frequency.get(term, 0) + 1
    title_terms = set(topic_terms(job_title)) - _TITLE_FILLER
    found: list[Requirement] = []
    seen: set[str] = set()
    for unit, terms in candidates:
        quote = shorten(unit.text, 40)
        if quote.lower() in seen:
            continue
        seen.add(quote.lower())
        optional = unit.section is JobSection.OPTIONAL or bool(_OPTIONAL_CUE.search(unit.text))
        askable = not (_CREDENTIAL.search(unit.text) or _PHYSICAL.search(unit.text))
        found.append(
            Requirement(
                quote=quote,
                skills=tuple(find_skills(without_team_names(unit.text))),
                required=not optional,
                weight=_weight(unit, terms, optional, frequency, title_terms),
                askable=askable,
                terms=terms,
                tenure=is_tenure(unit.text),
            )
        )
    return found


_SECTION_WEIGHT = {
    JobSection.DUTIES: 1.0,
    JobSection.REQUIREMENTS: 0.85,
    JobSection.ROLE: 0.6,
    JobSection.OTHER: 0.6,
    JobSection.OPTIONAL: 0.15,
}


def _weight(
    unit: _Unit, terms: tuple[str, ...], optional: bool, frequency: dict[str, int], title_terms: set[str]
) -> float:
    """How central a requirement is to the job: where it stands, how firmly it is asked, how often its subject
    comes back, and whether the title names it."""
    weight = _SECTION_WEIGHT.get(unit.section, 0.6) * max(0.6, 1 - 0.05 * unit.position)
    if optional:
        weight = min(weight, 0.15)
    if _MUST_CUE.search(unit.text) and not optional:
        weight *= 1.35
    if is_tenure(unit.text):
        weight *= 0.6
    if _COLLABORATION.match(unit.text):
        weight *= 0.7
    repeated = sorted((frequency.get(t, 1) - 1 for t in terms), reverse=True)[:3]
    weight *= 1 + 0.1 * min(sum(repeated), 6)
    if title_terms & set(terms):
        weight *= 1.35
    return round(weight, 4)
