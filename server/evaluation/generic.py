"""Words of general talk, and the concrete terms an answer's words leave once they are gone.

Whether a unit names something checkable (a "join", a "rack upright", "deferred revenue") rather than
general talk (goals, results, communication, make sure) weighs in its value and in whether it restates
the question.
"""

from __future__ import annotations

from server.evaluation.marks import QUANTITY
from server.text.words import (
    STOPWORDS,
    content_words,
    stem,
    word_list,
)

#: Words of general talk in any field: abstractions, stance, vague verbs and qualifiers. What is left of
#: an answer without them (and without stopwords) names things: tools, objects, places, steps.
GENERIC = frozenset(
    word_list(
        """approach approaches process processes plan plans planning goal goals result results success
        successful value values vision culture mindset communication communicate communicating collaboration
        collaborate alignment align aligned accountability accountable expectation expectations support
        supported supporting supportive performance quality efficiency efficient improvement improvements
        opportunity opportunities challenge challenges issue issues problem problems situation situations
        thing things stuff aspect aspects area areas level levels picture detail details insight insights
        finding findings decision decisions information people person everyone everybody someone somebody
        anyone nobody business businesses company companies organization organisation work working worked
        job jobs role roles skill skills experience experiences priority priorities focus focused matter
        matters lot lots kind way ways time times day days end part parts side sides point points idea ideas
        sense question questions answer answers story case cases example examples trust respect relationship
        relationships environment philosophy principle principles practice practices standard standards
        methodology strategy strategies framework outcome outcomes impact difference change changes progress
        growth learning feedback input context scope objective objectives concern concerns factor factors
        reason reasons angle angles perspective understanding knowledge expertise ownership responsibility
        responsibilities mistake mistakes effort efforts task tasks step steps basis approach whole entire
        real really actually exactly very quite always usually often sometimes generally simple simply hard
        easy busy able sound trustworthy confident confidence compelling concise appropriate proper relevant
        general overall main common typical possible likely sure fine honest honestly open patient calm
        calmly methodical methodically quick quickly safe safely curious genuine expected clear clearly good
        great best better right important key critical careful carefully thoughtful rigorous thorough
        thoroughly consistent consistently strong big small high low new different similar various several
        many few make makes making ensure ensuring understand understood communicated look looking looked
        help helped helping keep kept keeping try tried trying think thinking know knowing knew want wanted
        need needed needs get getting go going come coming take taking give giving put putting see seeing
        say saying tell telling talk talking talked handle handled handling deal dealing manage managing
        managed approach drive driving support follow following followed listen listening learn learned
        share sharing bring bringing build building create creating develop developing improve improving
        deliver delivering stay staying remain happen happened happens feel feeling believe believed lead
        leading own owning act acting involve involved use using used do doing done start starting started
        continue continued move moving show showing explain explaining discuss discussed agree agreed accept
        adapt prioritize prioritise coordinate collaborate engage partner empower enable provide maintain
        achieve achieved become became seem seems stuff everything something nothing anything whatever
        somewhere team teams together personally personal professional professionally definitely certainly
        obviously basically literally truly pretty super huge tough difficult interesting exciting
        passionate love loved enjoy enjoyed glad happy proud motivated driven committed dedicated
        detail-oriented organized organised hardworking hard-working reliable flexible adaptable friendly
        positive negative world level-headed front-line leader leaders leadership manager managers
        management member members colleague colleagues coworker coworkers stakeholder stakeholders client
        clients customer customers user users everyone's yeah yes okay ok sure well anyway roughly mostly
        mainly probably maybe perhaps somewhat fairly rather every each any some other another top bottom
        front back kind sort bit mine yours integrity recommend recommends recommended recommendation
        recommendations explanation explanations description discussion discussions describe describes
        described discuss address addressed consider considered decide decided identify identified determine
        assess assessed prioritized organize emphasize encourage encouraged motivate inspire guide utilize
        execute perform apply adjust respond react reflect realize recognize appreciate dig dive tackle seek
        accomplish reach aim aimed strive circumstances topic subject element piece portion degree extent
        range variety number numbers amount plenty majority manner method means stage phase moment period
        while instance occasion story stories viewpoint opinion view thought thoughts concept notion belief
        purpose effect consequence benefit benefits advantage difficulty chance possibility potential ability
        capability talent strength strengths weakness weaknesses requirement interest direction mission
        resource resources energy attention future past present background fact facts truth reality
        atmosphere cooperation partnership agreement consensus buy-in excellent amazing awesome weak large
        major minor significant particular certain complex complicated structured effective productive
        healthy resilient robust comfortable fair supportive helpful useful valuable meaningful necessary
        formative whenever wherever however ahead around across through apart away real better worse worst
        deeper deep closely close clarity mindful behind along forward might turn turns first else whether
        still also even instead analyze analyse"""
    )
)
GENERIC_STEMS = frozenset(stem(w) for w in GENERIC)


def concrete_terms(text: str, known: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """Content words that name something (a "join", a "rack upright", "deferred revenue"), not general talk
    (goals, results, communication, make sure): the words of ``text`` outside :data:`GENERIC`, as stems,
    leaving out those in ``known`` (the question's own words, which a restatement repeats)."""
    bare = (w.split("'")[0].split("’")[0] for w in content_words(text))
    terms = {
        stem(w) for w in bare if len(w) > 2 and w not in GENERIC and w not in STOPWORDS and not QUANTITY.fullmatch(w)
    }
    return {t for t in terms if t not in GENERIC_STEMS and t not in known}
