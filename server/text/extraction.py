"""Reading the job description and the resume: what the job requires, how much, and what the candidate claims.

Both texts are cleaned first (:mod:`server.text.cleaning`), so every quote is clean text. Then:

- **Requirements** come from the job description's duties and requirements, never from what describes the
  company, the opening ("We are hiring a …"), the benefits or the team ("work closely with the cloud
  team"). Each has a weight: what the description leads with, says "must" or "required" about, repeats,
  or names in the job title weighs more; "nice to have" weighs little. Licences, degrees and physical
  demands are requirements but not interview topics (``askable`` is false): they are checked on paper.
- **Claims** are the resume's lines about work done, each with whether it names an action, a number, the
  skills, and how recent it is (the job it is listed under, most recent first).

Lines that read like instructions to an AI are never taken as requirements or claims, so they can neither
steer the plan nor be read aloud.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from server.text.cleaning import CleanLine, clean_lines
from server.text.phrases import is_tenure
from server.text.sentences import split_sentences
from server.text.skills import find_skills
from server.text.words import STOPWORDS, content_words, shorten, stem, word_list, words

_OPTIONAL_CUE = re.compile(
    r"\b(?:nice[- ]to[- ]have|preferred|bonus|a plus|plus if|ideally|desirable|not required)\b", re.IGNORECASE
)
_MUST_CUE = re.compile(r"\b(?:must|required|essential|mandatory|you need)\b", re.IGNORECASE)
_CONTACT = re.compile(r"@|https?://|www\.|linkedin|github\.com")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
_SKILLS_LIST = re.compile(
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

# --------------------------------------------------------------------------- what a job description line is


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


def is_not_requirement(sentence: str) -> bool:
    """Whether a sentence of a job description describes the company, the opening, the benefits or the team
    rather than asking anything of the candidate."""
    text = sentence.strip()
    if _OPENING.search(text) or _BENEFIT.search(text) or _TEAM_ONLY.match(text):
        return True
    addresses_candidate = re.search(r"\byou(?:'ll|'re|r)?\b", text, re.IGNORECASE)
    return not addresses_candidate and bool(_COMPANY_START.match(text) or _COMPANY_VERB.match(text))


def job_section(heading: str) -> JobSection:
    """What a job description's heading introduces."""
    text = heading.strip().rstrip(":").strip()
    for section, pattern in _JOB_HEADINGS:
        if pattern.search(text):
            return section
    return JobSection.OTHER


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
        if _is_heading(line, following):
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
        if unit.section is JobSection.SKILLS or _SKILLS_LIST.match(unit.text) or len(words(unit.text)) < 3:
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
                skills=tuple(find_skills(_without_team_names(unit.text))),
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


_TEAM_NAME = re.compile(r"\b(?:the|our|a)\s+(?:[\w-]+\s+){1,3}?teams?\b", re.IGNORECASE)


def _without_team_names(text: str) -> str:
    """The text with team names taken out ("the cloud team" names a team, not a skill the job wants)."""
    return _TEAM_NAME.sub(" ", text)


# --------------------------------------------------------------------------- the resume

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
_RESUME_SECTION = re.compile(
    r"^(?:(?:professional |work |relevant )?experience|employment(?: history)?|work history|career|projects|"
    r"summary|professional summary|profile|objective|education(?: / training)?|training|skills|tools|systems|"
    r"certifications?|licensure(?: (?:&|and) certifications)?|languages|awards|interests)\b",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\bpresent\b|\bcurrent\b", re.IGNORECASE)


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
        if _is_heading(line, following):
            skipping = bool(_RESUME_SKIP.match(text.rstrip(":")))
            summary = bool(_RESUME_SUMMARY.match(text.rstrip(":")))
            continue
        if _SKILLS_LIST.match(text) or _is_contact(text) or _RESUME_SKIP.match(text):
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
    skills = tuple(find_skills(_without_team_names(unit)))
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


def _is_heading(line: CleanLine, following: CleanLine | None) -> bool:
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
