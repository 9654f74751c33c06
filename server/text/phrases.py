"""What a job requirement or a resume line is about, as a phrase a question can be built around.

A requirement such as "Must have 4+ years of experience building time-series forecasting models in
production" is about *building time-series forecasting models in production*; "Ability to communicate
results to non-technical stakeholders" about *communicating results to non-technical stakeholders*;
"Strong knowledge of US GAAP, especially revenue recognition" about a subject, *US GAAP*. A
:class:`Focus` holds that phrase in the forms a sentence needs ("Tell me about a time you had to
**communicate results…**", "How do you approach **communicating results…**?", "…when you **communicated
results…**"), already in spoken words (:func:`server.text.spoken.spoken`).

The verb forms come from a closed list of workplace verbs with their irregular forms, so a word is only
treated as a verb when it is one ("Design and analyze experiments", not "Design patterns").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from server.text.spoken import spoken
from server.text.words import word_list

_REGULAR_VERBS = word_list(
    """accelerate accept account achieve acquire act activate adapt add address adjust administer adopt advise
    advocate align allocate analyse analyze answer anticipate apply appraise approve architect arrange assemble
    assess assign assist attend audit author automate balance benchmark bill boost brief budget calculate
    calibrate capture care carry catalog champion change chart check clarify classify clean close coach code
    collaborate collect combine commission communicate compare compile complete comply compute conduct configure
    consolidate consult contain contribute control convert coordinate correct counsel count craft create curate
    debug decide decrease define delegate deliver demonstrate deploy derive describe design detect determine
    develop devise diagnose direct discover dispatch display document double draft educate eliminate embed
    empower enable encourage enforce engage engineer enhance ensure establish estimate evaluate examine exceed
    execute expand expedite experiment explain explore extend extract facilitate field file finalize fix flag
    follow forecast formulate foster frame fulfil fulfill gather generate govern guide handle harden help hire
    host identify implement improve increase influence inform initiate inspect install instrument integrate
    interpret interview introduce investigate issue iterate join justify label launch learn license lift limit
    listen load locate log maintain manage map market master maximize measure mediate mentor merge migrate
    minimize mitigate model moderate modernize modernise monitor motivate move navigate negotiate notify observe
    obtain onboard operate optimise optimize orchestrate order organise organize outline own package partner
    perform pilot pitch place plan precept prepare present preserve prevent price prioritise prioritize
    process procure produce profile program project promote propose protect prototype prove provide publish
    purchase qualify query raise rank rate reach receive recognize recognise recommend reconcile record recover
    recruit redesign reduce refactor refine register release remediate render renew repair replace report
    represent request research resolve respond restore restructure retain retrofit review revise roll route
    save scale schedule score shorten speed scope screen script secure select serve service ship simplify
    simulate size solve
    source specify spot staff standardize standardise start steer store streamline strengthen structure study
    submit summarize summarise supervise supply support survey sustain swap tackle target test track train
    transform transition translate triage troubleshoot tune update upgrade upsell use validate verify visualize
    volunteer walk watch work write restart reboot print google search rerun retry ask try grep reset look
    reinstall clear wait step"""
)
#: Base forms that as often open a noun phrase ("Price elasticity models", "Test automation"): at the start
#: of a resume line they count as verbs only before an object's determiner, a number or a preposition.
_NOUNISH = frozenset(
    word_list(
        """audit benchmark bill brief budget call care catalog change chart check close code control count craft
        design display document double draft experiment field file flag forecast frame help host interview issue
        label license lift limit load log map market master model move order package partner pilot pitch place
        plan price process profile program project query rank rate record register release report request research
        review route scale schedule score scope screen script service ship size source spot staff start store
        structure study supply support survey swap target test track train transition tune update upgrade walk
        watch work"""
    )
)
_OBJECT_START = frozenset(
    word_list(
        """a an the our their my his her its all every each several multiple new for to with across on in at into
        from by up over"""
    )
)
#: Irregular verbs: base, past, past participle.
_IRREGULAR: dict[str, tuple[str, str]] = {
    "be": ("was", "been"),
    "become": ("became", "become"),
    "begin": ("began", "begun"),
    "bring": ("brought", "brought"),
    "build": ("built", "built"),
    "buy": ("bought", "bought"),
    "choose": ("chose", "chosen"),
    "cut": ("cut", "cut"),
    "deal": ("dealt", "dealt"),
    "do": ("did", "done"),
    "draw": ("drew", "drawn"),
    "drive": ("drove", "driven"),
    "feed": ("fed", "fed"),
    "find": ("found", "found"),
    "get": ("got", "got"),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "grow": ("grew", "grown"),
    "have": ("had", "had"),
    "hit": ("hit", "hit"),
    "hold": ("held", "held"),
    "keep": ("kept", "kept"),
    "know": ("knew", "known"),
    "lay": ("laid", "laid"),
    "lead": ("led", "led"),
    "make": ("made", "made"),
    "meet": ("met", "met"),
    "oversee": ("oversaw", "overseen"),
    "pay": ("paid", "paid"),
    "put": ("put", "put"),
    "read": ("read", "read"),
    "rebuild": ("rebuilt", "rebuilt"),
    "rewrite": ("rewrote", "rewritten"),
    "run": ("ran", "run"),
    "see": ("saw", "seen"),
    "sell": ("sold", "sold"),
    "send": ("sent", "sent"),
    "set": ("set", "set"),
    "show": ("showed", "shown"),
    "speak": ("spoke", "spoken"),
    "spend": ("spent", "spent"),
    "split": ("split", "split"),
    "stand": ("stood", "stood"),
    "take": ("took", "taken"),
    "teach": ("taught", "taught"),
    "tell": ("told", "told"),
    "think": ("thought", "thought"),
    "understand": ("understood", "understood"),
    "undertake": ("undertook", "undertaken"),
    "win": ("won", "won"),
    "write": ("wrote", "written"),
}
#: Final consonants doubled before -ed/-ing although the verb has two syllables (stress on the last).
_DOUBLING = frozenset(word_list("commit control admit refer occur submit permit prefer compel patrol equip"))
_PARTICLES = frozenset(word_list("up down out over off in on back through"))


def _doubles(verb: str) -> bool:
    if verb in _DOUBLING:
        return True
    groups = re.findall(r"[aeiou]+", verb)
    return (
        len(groups) == 1
        and len(groups[0]) == 1
        and bool(re.search(r"[^aeiou][aeiou][^aeiouwxy]$", verb))
        and not verb.endswith(("ck",))
    )


def gerund_of(verb: str) -> str:
    """ "build" → "building", "plan" → "planning", "analyze" → "analyzing", "tie" → "tying"."""
    if verb in ("be", "see"):
        return verb + "ing"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if _doubles(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def past_of(verb: str) -> str:
    """ "build" → "built", "plan" → "planned", "apply" → "applied"."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb][0]
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    if _doubles(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _participle_of(verb: str) -> str:
    return _IRREGULAR[verb][1] if verb in _IRREGULAR else past_of(verb)


def _third_person(verb: str) -> str:
    if verb == "have":
        return "has"
    if re.search(r"(?:s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


class Form(StrEnum):
    BASE = "base"
    GERUND = "gerund"
    PAST = "past"
    PARTICIPLE = "participle"
    THIRD = "third"


def _forms() -> dict[str, tuple[str, Form]]:
    table: dict[str, tuple[str, Form]] = {}
    for verb in sorted({*_REGULAR_VERBS, *_IRREGULAR}):
        for form, word in (
            (Form.THIRD, _third_person(verb)),
            (Form.GERUND, gerund_of(verb)),
            (Form.PARTICIPLE, _participle_of(verb)),
            (Form.PAST, past_of(verb)),
            (Form.BASE, verb),
        ):
            table[word] = (verb, form)  # later forms win: "cut" is a base form before a past one
    return table


_VERB_FORMS = _forms()


def verb_of(word: str) -> tuple[str, Form] | None:
    """The base form and the form of ``word`` when it is a known verb ("led" → ("lead", past))."""
    return _VERB_FORMS.get(word.lower().strip(",.;:"))


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
        or first.lower() in _DETERMINERS
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
    if found is None or found[1] not in (Form.BASE, Form.THIRD) or found[0] not in _NOUNISH:
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
        forms = {form: _reform(written, opening[1], form) for form in (Form.BASE, Form.GERUND, Form.PAST)}
        said = {form: _cut(spoken(value)) for form, value in forms.items()}
        written_said = _cut(spoken(written))
        label = _label(_drop_verbs(said[Form.BASE]))
        return Focus(FocusKind.ACTION, said[Form.BASE], said[Form.GERUND], said[Form.PAST], written_said, label)
    said_phrase = _cut(spoken(_lower_first_name_aware(phrase, proper)))
    if len(said_phrase.split()) < 1:
        return None
    return Focus(FocusKind.SUBJECT, said_phrase, said_phrase, said_phrase, said_phrase, _label(said_phrase))


def gerund_phrase(phrase: str) -> str | None:
    """A verb phrase with its verbs as gerunds ("restart the service and watch the logs" → "restarting the
    service and watching the logs"), or None when it does not open with a known verb."""
    words = phrase.strip().split()
    found = verb_of(words[0]) if words else None
    if found is None:
        return None
    return _reform(" ".join(words), found[1], Form.GERUND)


def _reform(phrase: str, written: Form, target: Form) -> str:
    """The phrase with its opening verb, and the verbs coordinated with it, in the ``target`` form.

    A verb right after "and", "or" or a comma is coordinated when it follows another verb directly ("perform
    and document"), or when it is not a word that is as often a noun ("assessments and recognize signs", but
    not "managers and supply chain planners"). Nothing after a relative clause opens ("services that
    authorize and capture") is changed.
    """
    out: list[str] = []
    expect_verb = True  # at the start and right after a coordinating "and", "or" or a comma
    previous_was_verb = False
    tokens = phrase.split(" ")
    for index, token in enumerate(tokens):
        core = token.rstrip(",")
        found = verb_of(core) if expect_verb and core[:1].islower() else None
        same_form = found is not None and (found[1] is written or (found[1], written) in _SAME_FORM)
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        coordinated = (
            index == 0
            or previous_was_verb
            or (found is not None and (found[0] not in _NOUNISH or following in _DETERMINERS))
        )
        if found is not None and same_form and coordinated:
            out.append(_in_form(found[0], target) + token[len(core) :])
            expect_verb, previous_was_verb = token.endswith(","), True
            continue
        out.append(token)
        if core.lower() in _RELATIVE:
            out.extend(tokens[index + 1 :])
            break
        expect_verb = token.endswith(",") or core in ("and", "or")
        previous_was_verb = previous_was_verb and core in ("and", "or")
    return " ".join(out)


_DETERMINERS = frozenset(word_list("a an the our their my his her its every each all some any this that these those"))
_STATIVE = frozenset(word_list("understand know have be possess"))
_RELATIVE = frozenset(word_list("that which who whose where when while so to because if"))


#: Forms that are spelled alike for regular verbs (past = participle; "cut" base = past).
_SAME_FORM = {(Form.PAST, Form.PARTICIPLE), (Form.PARTICIPLE, Form.PAST)}


def _in_form(verb: str, form: Form) -> str:
    return {
        Form.BASE: verb,
        Form.GERUND: gerund_of(verb),
        Form.PAST: past_of(verb),
        Form.PARTICIPLE: _participle_of(verb),
        Form.THIRD: _third_person(verb),
    }[form]


def _drop_verbs(phrase: str) -> str:
    """The object of a verb phrase: "design and analyze experiments with teams" → "experiments with teams"."""
    tokens = phrase.split(" ")
    index = 0
    while index < len(tokens):
        found = verb_of(tokens[index].rstrip(","))
        if not ((found is not None and found[1] is Form.BASE) or tokens[index] in ("and", "or", *_PARTICLES)):
            break
        index += 1
    return " ".join(tokens[index:]) or phrase


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
