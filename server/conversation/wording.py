"""The builtin engine's lines around the questions: follow-ups, acknowledgements, greetings, prompts, closings.

The machine (:mod:`server.conversation.machine`) picks among the variants by counters, never by chance, so the
same answers always get the same words; the questions themselves are worded from
:mod:`server.conversation.templates`.
"""

from __future__ import annotations

import re

from server.text.sentences import split_sentences

# --------------------------------------------------------------------------- follow-ups, one per kind of gap

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "too_short": (
        "Could you tell me more? A specific example would help.",
        "Can you expand on that with a concrete example?",
    ),
    "situation": (
        "Tell me more about the setting: where was this, and what was at stake?",
        "What was the context: which team or project was it?",
    ),
    "own_action": (
        "You mentioned what the team did. What did you personally do?",
        "What was your own contribution, as opposed to the team's?",
    ),
    "action": (
        "What exactly did you do, step by step?",
        "Walk me through the concrete steps you took.",
    ),
    "result": (
        "How did it turn out in the end?",
        "What was the outcome?",
    ),
    "measurable": (
        "How did you know it had worked? Anything you measured?",
        "What changed as a result, in numbers if you have them?",
    ),
    "depth": (
        "Can you go one level deeper: how does it work, and what trade-offs did you weigh?",
        "What alternatives did you consider, and why did you choose this one?",
    ),
    #: A technical answer that names a method and stops there ("I just add printf statements").
    "depth_method": (
        "{method} is a reasonable start. When that isn't enough, how do you go deeper, and what would you look "
        "at next?",
        "Say {method_lower} doesn't find it. What would you try next, and why?",
    ),
    "vague": (
        "That sounds a bit general. Can you give me one specific example?",
        "Can you pin that down to one concrete example you handled?",
    ),
    "contradiction": (
        "Just to make sure I understand: your resume mentions {skill}, and you said you haven't worked with it. "
        "What was your involvement with {skill}?",
    ),
    #: "I don't know" to a question: once, an easier angle on the same topic.
    "no_answer": ("That's all right. Let me come at it from a different angle. {easier}",),
    #: An answer that talks around the question: brought back to it, once.
    "evasive": ("Let me bring us back to the question. {rephrased}",),
}

# --------------------------------------------------------------------------- the frame of the interview

GREETING = (
    "Hello {name}, thanks for joining. I'm Viva, and I'll interview you for the {title} role: {count} questions, "
    "and I can repeat any of them."
)
GREETING_TIMED = (
    "Hello {name}, thanks for joining. I'm Viva, and I'll interview you for the {title} role: about {minutes} "
    "minutes, and I can repeat any question."
)
#: Before the first question, when the candidate answered the greeting.
AFTER_GREETING = "Nice to meet you. Let's begin."
#: The question was cut off before it was heard: say it whole.
FINISH_QUESTION = "Let me finish the question. {text}"
RESUME = "Welcome back, {name}. Let's pick up where we left off."
#: How the last answer is acknowledged before the next question, by what the answer was.
ACKNOWLEDGEMENTS: dict[str, tuple[str, ...]] = {
    #: A full answer.
    "answered": (
        "Thank you, that's a clear example.",
        "Thanks for walking me through that.",
        "Got it, thank you.",
        "Thank you, I appreciate the detail.",
        "That gives me a good picture, thanks.",
    ),
    #: An answer that stayed thin after the follow-ups.
    "partial": ("Okay, thank you.", "Alright, thanks.", "Thank you."),
    #: "I don't know", or no real answer after an easier angle: never thanked as if it helped.
    "no_answer": ("No problem.", "That's all right.", "Fair enough."),
    #: Silence, twice.
    "silent": ("Let's keep going.",),
    #: An observer had the interviewer leave the current topic.
    "skip": ("Let's leave that topic there.",),
}
TRANSITIONS = ("Next question.", "Let's move on.", "Here's the next one.", "Let's turn to something else.")
LAST_QUESTION = "Last question."
#: Before a follow-up on the planned question, when an observer's question came in between.
BACK_TO_QUESTION = "Coming back to your earlier answer."
#: An observer's question, introduced; the observer's words follow verbatim.
OBSERVER_INTRO = "My colleague would like to ask: {text}"
REPEAT = "Of course. Here it is again: {text}"
REPHRASE = "Sure, let me put it another way. {text}"
NUDGE = "Take your time. {text}"
CLOSING = (
    "Thank you, {name}. That was my last question, and it was a pleasure talking with you. "
    "The interview is now complete, and the team will review it and be in touch about next steps. Goodbye."
)
CLOSING_TIME = (
    "Thank you, {name}. We have reached the end of our time, so we will stop here. "
    "The team will review the interview and be in touch about next steps. Goodbye."
)


# --------------------------------------------------------------------------- what is the same in every interview

_PLACEHOLDER = re.compile(r"\{\w+\}")
#: Stands in for a placeholder while a template is cut into sentences. It starts with a capital letter, as what
#: fills a placeholder does where it starts a sentence ("... the question. {text}"), so the cut falls where it
#: will fall in the interview.
_FILLED = "X\x00"


def fixed_sentences(*templates: str) -> list[str]:
    """The sentences of ``templates`` that hold no placeholder, cut as the live session cuts a reply into
    sentences: every interview says them word for word, so their speech can be made once per process."""
    sentences = (s for t in templates for s in split_sentences(_PLACEHOLDER.sub(_FILLED, t)))
    return list(dict.fromkeys(s for s in sentences if _FILLED not in s))


#: Every template the builtin interviewer words its replies from; the most frequent first.
TEMPLATES: tuple[str, ...] = (
    *(line for options in ACKNOWLEDGEMENTS.values() for line in options),
    *TRANSITIONS,
    LAST_QUESTION,
    AFTER_GREETING,
    *(line for options in FOLLOW_UPS.values() for line in options),
    BACK_TO_QUESTION,
    REPEAT,
    REPHRASE,
    NUDGE,
    FINISH_QUESTION,
    OBSERVER_INTRO,
    CLOSING,
    CLOSING_TIME,
    GREETING,
    GREETING_TIMED,
    RESUME,
)
