"""Workplace verbs and their forms ("build", "building", "built"), and verb phrases put in another form.

A closed list of the verbs job descriptions and resumes open their lines with, with their irregular forms, so
a word is only treated as a verb when it is one ("Design and analyze experiments", not "Design patterns").
:mod:`server.text.phrases` builds question phrases with them.
"""

from __future__ import annotations

import re
from enum import StrEnum

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
NOUNISH = frozenset(
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
PARTICLES = frozenset(word_list("up down out over off in on back through"))


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


def participle_of(verb: str) -> str:
    return _IRREGULAR[verb][1] if verb in _IRREGULAR else past_of(verb)


def third_person(verb: str) -> str:
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
            (Form.THIRD, third_person(verb)),
            (Form.GERUND, gerund_of(verb)),
            (Form.PARTICIPLE, participle_of(verb)),
            (Form.PAST, past_of(verb)),
            (Form.BASE, verb),
        ):
            table[word] = (verb, form)  # later forms win: "cut" is a base form before a past one
    return table


_VERB_FORMS = _forms()


def verb_of(word: str) -> tuple[str, Form] | None:
    """The base form and the form of ``word`` when it is a known verb ("led" → ("lead", past))."""
    return _VERB_FORMS.get(word.lower().strip(",.;:"))


def in_form(verb: str, form: Form) -> str:
    return {
        Form.BASE: verb,
        Form.GERUND: gerund_of(verb),
        Form.PAST: past_of(verb),
        Form.PARTICIPLE: participle_of(verb),
        Form.THIRD: third_person(verb),
    }[form]


def gerund_phrase(phrase: str) -> str | None:
    """A verb phrase with its verbs as gerunds ("restart the service and watch the logs" → "restarting the
    service and watching the logs"), or None when it does not open with a known verb."""
    words = phrase.strip().split()
    found = verb_of(words[0]) if words else None
    if found is None:
        return None
    return reform(" ".join(words), found[1], Form.GERUND)


def reform(phrase: str, written: Form, target: Form) -> str:
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
            or (found is not None and (found[0] not in NOUNISH or following in DETERMINERS))
        )
        if found is not None and same_form and coordinated:
            out.append(in_form(found[0], target) + token[len(core) :])
            expect_verb, previous_was_verb = token.endswith(","), True
            continue
        out.append(token)
        if core.lower() in _RELATIVE:
            out.extend(tokens[index + 1 :])
            break
        expect_verb = token.endswith(",") or core in ("and", "or")
        previous_was_verb = previous_was_verb and core in ("and", "or")
    return " ".join(out)


DETERMINERS = frozenset(word_list("a an the our their my his her its every each all some any this that these those"))
_RELATIVE = frozenset(word_list("that which who whose where when while so to because if"))


#: Forms that are spelled alike for regular verbs (past = participle; "cut" base = past).
_SAME_FORM = {(Form.PAST, Form.PARTICIPLE), (Form.PARTICIPLE, Form.PAST)}


def drop_verbs(phrase: str) -> str:
    """The object of a verb phrase: "design and analyze experiments with teams" → "experiments with teams"."""
    tokens = phrase.split(" ")
    index = 0
    while index < len(tokens):
        found = verb_of(tokens[index].rstrip(","))
        if not ((found is not None and found[1] is Form.BASE) or tokens[index] in ("and", "or", *PARTICLES)):
            break
        index += 1
    return " ".join(tokens[index:]) or phrase
