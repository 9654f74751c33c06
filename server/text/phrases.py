"""What a job requirement or a resume line is about, as a phrase a question can be built around.

A requirement such as "Must have 4+ years of experience building time-series forecasting models in
production" is about *building time-series forecasting models in production*; "Ability to communicate
results to non-technical stakeholders" about *communicating results to non-technical stakeholders*;
"Strong knowledge of US GAAP, especially revenue recognition" about a subject, *US GAAP*. A
:class:`Focus` holds that phrase in the forms a sentence needs ("Tell me about a time you had to
**communicate results…**", "How do you approach **communicating results…**?", "…when you **communicated
results…**"), already in spoken words (:func:`server.text.spoken.spoken`).

The verb forms come from :mod:`server.text.verbs`, so a word is only treated as a verb when it is one
("Design and analyze experiments", not "Design patterns").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from server.text.spoken import spoken
from server.text.verbs import DETERMINERS, NOUNISH, Form, drop_verbs, reform, verb_of
from server.text.words import word_list

_OBJECT_START = frozenset(
    word_list(
        """a an the our their my his her its all every each several multiple new for to with across on in at into
        from by up over"""
    )
)


class FocusKind(StrEnum):
    ACTION = "action"  # a verb phrase: "build forecasting models"
    SUBJECT = "subject"  # a noun phrase: "US GAAP", "experiment design and causal inference"


@dataclass(frozen=True)
class Focus:
    """What a requirement or claim is about, in spoken words and in the forms a sentence needs.

    For an action, ``base`` is "design and analyze experiments", ``gerund`` "designing and analyzing
    experiments", ``past`` "designed and analyzed experiments", ``written`` the tense the text used; for a
    subject all four are the noun phrase. ``label`` is a short name of the topic ("experiments").
    """

    kind: FocusKind
    base: str
    gerund: str
    past: str
    written: str
    label: str

    @property
    def words(self) -> int:
        return len(self.base.split())


#: Longest focus phrase, in words; longer phrases are cut at a clause boundary.
MAX_FOCUS_WORDS = 16

#: Openings of a requirement that carry no content, and what may follow each: a bare verb ("Ability to
#: communicate"), a participle ("Must have owned"), or a noun or gerund ("Experience reading schematics").
_TO_VERB, _HAVE, _NOUN = "to", "have", "noun"
_PREFIXES: tuple[tuple[str, str], ...] = (
    (r"(?:nice[- ]to[- ]have|bonus|preferred|plus|required|requirements?|must[- ]haves?)\s*:\s*", ""),
    (r"(?:you(?:'ll| will)|we expect you to|we'd love you to|expected to)\s+", _TO_VERB),
    (r"(?:you are|you're|you have|you've)\s+", _NOUN),
    (r"(?:must|should)\s+have\s+", _HAVE),
    (r"(?:must|should)\s+be\s+", _NOUN),
    (r"(?:must|should)\s+", _TO_VERB),
    (
        r"(?:at least\s+|minimum (?:of\s+)?)?\d+\s*\+?\s*(?:or more\s+)?(?:years?|yrs?)(?:\s+of)?"
        r"(?:\s+(?:professional|relevant|hands-on|industry|proven|progressive|practical))?(?:\s+experience)?"
        r"(?:\s+(?:in|with|of|as|doing|at|on))?\s+",
        _NOUN,
    ),
    (r"(?:proven|demonstrated)\s+(?:track record|ability|experience|success)(?:\s+(?:of|in|with))?\s+", _NOUN),
    (r"(?:proven|demonstrated)\s+ability\s+to\s+", _TO_VERB),
    (
        r"(?:strong|solid|deep|excellent|good|advanced|expert|working|hands-on|practical|sound|thorough|extensive|"
        r"broad|basic|exceptional|outstanding|great|demonstrable)\s+",
        _NOUN,
    ),
    (
        r"(?:experience|expertise|knowledge|understanding|proficiency|familiarity|background|skills?|command|grasp|"
        r"fluency|exposure)(?:\s+(?:of|in|with|on|using|for|to))?\s+",
        _NOUN,
    ),
    (r"(?:the\s+)?ability to\s+", _TO_VERB),
    (r"able to\s+", _TO_VERB),
    (r"(?:comfortable|confident)(?:\s+(?:with|in))?\s+", _NOUN),
    (r"(?:familiar|proficient|fluent|skilled|versed|well-versed|knowledgeable)\s+(?:with|in|at|about)\s+", _NOUN),
    (r"(?:a\s+)?(?:passion|eagerness|desire|drive)\s+for\s+", _NOUN),
    (r"(?:a\s+)?(?:passion|eagerness|desire|drive)\s+to\s+", _TO_VERB),
    (r"(?:help|assist)\s+(?:us\s+)?(?=[a-z]+\s)", _TO_VERB),
)
_PREFIX_PATTERNS = tuple((re.compile("^" + pattern, re.IGNORECASE), kind) for pattern, kind in _PREFIXES)
#: The verb forms that may open what follows each kind of prefix ("" = the start of the line).
_ALLOWED_FORMS: dict[str, frozenset[Form]] = {
    "": frozenset(Form),
    _TO_VERB: frozenset({Form.BASE}),
    _HAVE: frozenset({Form.PARTICIPLE, Form.PAST}),
    _NOUN: frozenset({Form.GERUND}),
}
_SUFFIX = re.compile(
    r"(?:\s*[-—–,]\s*|\s+)(?:is\s+)?(?:required|a must|preferred|a plus|is a plus|desired|essential|highly "
    r"desirable|strongly preferred)\s*\.?$|\s+experience(?=\s*$|\s+required)",
    re.IGNORECASE,
)
#: "… and work closely with the cloud team on releases": who the work is done with, not what it is.
_TEAM_CLAUSE = re.compile(
    r",?\s+(?:and\s+)?(?:work|partner|collaborate|liaise)\s+(?:closely\s+)?(?:with|alongside)\s+(?:the|our|a)\s+"
    r"(?:[\w-]+\s+){0,3}?teams?\b(?:\s+(?:on|for|to)\s+[^,;.]+)?",
    re.IGNORECASE,
)
_TENURE = re.compile(r"^(?:at least\s+|minimum (?:of\s+)?)?\d+\s*\+?\s*(?:or more\s+)?(?:years?|yrs?)\b", re.I)
_CUT_POINTS = (
    ", ",
    " including ",
    " such as ",
    " especially ",
    " using ",
    " that ",
    " which ",
    " so that ",
    " where ",
    " when ",
    " with ",
    " for ",
)


def is_tenure(text: str) -> bool:
    """Whether a requirement opens with a number of years ("4+ years of …")."""
    return bool(_TENURE.match(text.strip()))


def proper_words(text: str) -> frozenset[str]:
    """Words a document capitalises in the middle of a sentence: names ("Tableau", "Epic"), which keep their
    capital when a phrase starts with them."""
    found: set[str] = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n|[•▪:;]", text):
        for token in re.findall(r"[A-Za-z][\w+#.-]*", sentence)[1:]:
            if token[:1].isupper():
                found.add(token.rstrip("."))
    return frozenset(found)


def requirement_focus(text: str, proper: frozenset[str] = frozenset()) -> Focus | None:
    """What a job requirement asks for ("Must have 4+ years of experience building X" → building X)."""
    stripped = _TEAM_CLAUSE.sub("", _main_clause(text)).strip() or _main_clause(text)
    context = ""
    for _ in range(8):
        previous = stripped
        for pattern, kind in _PREFIX_PATTERNS:
            match = pattern.match(stripped)
            if match:
                stripped, context = stripped[match.end() :].strip(), kind or context
                break
        stripped = _SUFFIX.sub("", stripped).strip(" .,;:")
        if stripped == previous:
            break
    first = stripped.split(" ", 1)[0]
    opening = _opening_verb(stripped)
    verb = (
        opening is not None
        and opening[1] in _ALLOWED_FORMS[context]
        and not (context and first[:1].isupper())  # capitalised mid-sentence: a name ("Go", "Excel")
    )
    focus = _focus(stripped, verb=verb, proper=proper)
    examples = _examples(text)
    if focus is not None and focus.kind is FocusKind.SUBJECT and examples and focus.words <= 5:
        # "Solid statistics: hierarchical forecasting, backtesting" → statistics such as hierarchical forecasting
        said = _cut(f"{focus.base} such as {spoken(examples)}")
        return Focus(FocusKind.SUBJECT, said, said, said, said, focus.label)
    return focus


def _examples(text: str) -> str:
    """The first two examples after a requirement's colon ("…: retries, timeouts, idempotency" → retries and
    timeouts), or nothing."""
    clause = re.split(r"\s*;\s*", text.strip())[0]
    head, colon, detail = clause.partition(": ")
    if not colon or re.fullmatch(r"(?i)(?:nice[- ]to[- ]have|bonus|preferred|plus|required|requirements?)", head):
        return ""
    items = [e.strip() for e in re.split(r",\s*|\s+and\s+|\s+or\s+", detail) if e.strip()][:2]
    return " and ".join(items)


def claim_focus(text: str, proper: frozenset[str] = frozenset()) -> Focus | None:
    """What a resume line says the candidate did ("Cut average current from 31 µA to 9 µA; …")."""
    clauses = [c.strip() for c in re.split(r"\s*;\s*", text) if c.strip()]
    # The clause that says what the candidate did: one that opens with a verb, else the first.
    clauses = [re.sub(r"^(?:I|We)\s+", "", c) for c in clauses]
    chosen = next((c for c in clauses if _claim_verb(c) is not None), clauses[0] if clauses else "")
    head, _, detail = chosen.partition(": ")
    if _claim_verb(head) is None and detail and _claim_verb(detail) is not None:
        head = detail
    verb = _claim_verb(head) is not None
    return _focus(_with_article(head.strip(" .,;:")) if verb else head.strip(" .,;:"), verb=verb, proper=proper)


def _with_article(phrase: str) -> str:
    """A resume line's object with the article resumes leave out: "Designed geo test for …" → "Designed the
    geo test for …". Plurals, numbers, acronyms, names and objects that already have a determiner are left
    alone ("Built promotion features", "Led 40 associates", "Migrated CI", "Managed a book")."""
    tokens = phrase.split(" ")
    index = 1  # past the verb, and the verbs coordinated with it ("Designed and built …")
    while index + 1 < len(tokens) and tokens[index] in ("and", "or") and verb_of(tokens[index + 1]) is not None:
        index += 2
    if index >= len(tokens):
        return phrase
    first = tokens[index]
    if (
        first.lower() in _OBJECT_START
        or first.lower() in DETERMINERS
        or first[:1].isdigit()
        or first.lower() in ("it", "them", "me", "us", "him", "her", "myself", "ourselves")
    ):
        return phrase
    head = _object_head(tokens[index:])
    if not head or head[:1].isdigit() or re.fullmatch(r"[A-Z0-9]{2,}", head) or _plural(head):
        return phrase
    return " ".join([*tokens[:index], "the", *tokens[index:]])


def _object_head(tokens: list[str]) -> str:
    """The last word of an object's first noun phrase (up to a preposition, a comma or a conjunction)."""
    head = ""
    for token in tokens:
        if token.lower() in _OBJECT_START or token.lower() in ("of", "and", "or", "via", "using", "per"):
            break
        head = token.rstrip(",")
        if token.endswith(","):
            break
    return head


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3


def _claim_verb(text: str) -> tuple[str, Form] | None:
    """The verb a resume line opens with; a word that is as often a noun counts only before an object."""
    found = _opening_verb(text)
    if found is None or found[1] not in (Form.BASE, Form.THIRD) or found[0] not in NOUNISH:
        return found
    parts = text.split()
    following = parts[1].lower() if len(parts) > 1 else ""
    return found if following in _OBJECT_START or following[:1].isdigit() else None


def _main_clause(text: str) -> str:
    """The clause of a requirement that carries it: before a semicolon; before a colon that opens details."""
    clause = re.split(r"\s*;\s*", text.strip())[0]
    head, colon, detail = clause.partition(": ")
    if not colon:
        return clause
    if re.fullmatch(r"(?i)(?:nice[- ]to[- ]have|bonus|preferred|plus|required|requirements?)", head.strip()):
        return detail
    return head


def _opening_verb(text: str) -> tuple[str, Form] | None:
    first = text.split(" ", 1)[0] if text else ""
    if not first or (first[:1].isupper() and first[1:2].isupper()):
        return None  # an acronym ("QBRs"), never a verb
    return verb_of(first)


def _focus(phrase: str, verb: bool, proper: frozenset[str]) -> Focus | None:
    phrase = phrase.strip(" .,;:")
    if not phrase:
        return None
    opening = _opening_verb(phrase) if verb else None
    if opening is not None and opening[0] in _STATIVE:
        # "understand failure modes", "know US GAAP": what is asked about is the object, not an activity.
        phrase, opening = phrase.split(" ", 1)[1] if " " in phrase else phrase, None
    if opening is not None:
        written = _lower_first(phrase)
        forms = {form: reform(written, opening[1], form) for form in (Form.BASE, Form.GERUND, Form.PAST)}
        said = {form: _cut(spoken(value)) for form, value in forms.items()}
        written_said = _cut(spoken(written))
        label = _label(drop_verbs(said[Form.BASE]))
        return Focus(FocusKind.ACTION, said[Form.BASE], said[Form.GERUND], said[Form.PAST], written_said, label)
    said_phrase = _cut(spoken(_lower_first_name_aware(phrase, proper)))
    if len(said_phrase.split()) < 1:
        return None
    return Focus(FocusKind.SUBJECT, said_phrase, said_phrase, said_phrase, said_phrase, _label(said_phrase))


_STATIVE = frozenset(word_list("understand know have be possess"))


def _label(phrase: str) -> str:
    """A short name for the topic: the phrase up to its first preposition or comma, at most six words."""
    head = re.split(r",|\s(?:for|with|to|in|on|at|across|through|using|including|that|which|from|by)\s", phrase)[0]
    words = head.split()[:6]
    return " ".join(words).strip() or phrase


def _cut(phrase: str) -> str:
    """A phrase of at most :data:`MAX_FOCUS_WORDS` words, cut at the last clause boundary that fits."""
    phrase = phrase.strip(" .,;:")
    words = phrase.split()
    if len(words) <= MAX_FOCUS_WORDS:
        return phrase
    limit = len(" ".join(words[:MAX_FOCUS_WORDS]))
    for point in _CUT_POINTS:
        at = phrase.rfind(point, 0, limit + 1)
        if at > 0 and len(phrase[:at].split()) >= 4:
            return phrase[:at].strip(" ,")
    # No boundary early enough: cut at the first one after the limit, never inside a clause (numbers said as
    # words make a phrase long without making it hard to follow).
    later = [at for point in _CUT_POINTS if (at := phrase.find(point, limit)) > 0]
    return phrase[: min(later)].strip(" ,") if later else phrase


def _lower_first(phrase: str) -> str:
    return phrase[:1].lower() + phrase[1:] if phrase[1:2].islower() or len(phrase) == 1 else phrase


def _lower_first_name_aware(phrase: str, proper: frozenset[str]) -> str:
    """Lower-case the first word when it is capitalised only because it opened the line: not a name the
    document capitalises elsewhere, not an acronym."""
    first = re.split(r"[\s/-]", phrase, maxsplit=1)[0]
    if first in proper or first.rstrip("s") in proper or not first[1:].islower():
        return phrase
    return _lower_first(phrase)
