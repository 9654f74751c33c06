"""The builtin engine's question templates: how a planned question is worded around what it asks about.

A question template is built around a :class:`~server.text.phrases.Focus`, the spoken phrase of what a
requirement or a resume line is about, in the form the sentence needs: ``{base}`` ("design and analyze
experiments"), ``{gerund}`` ("designing and analyzing experiments"), ``{written}`` (the resume's own tense:
"cut average current from thirty-one to nine microamps"). A template never quotes the document and asks
at most two things. Each has an id, and a plan never uses one twice.

Which template is used is decided by what is free and by counters, never by chance, so the same setup
always yields the same interview. The rest of what the interviewer says (follow-ups, acknowledgements,
greetings, closings) is in :mod:`server.conversation.wording`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """A question, its plainer rephrasing (asked on "what do you mean?") and an easier angle (offered once
    after "I don't know")."""

    id: str
    text: str
    rephrased: str
    easier: str


def _templates(prefix: str, *variants: tuple[str, str, str]) -> tuple[Template, ...]:
    return tuple(Template(f"{prefix}.{i + 1}", *variant) for i, variant in enumerate(variants))


# --------------------------------------------------------------------------- behavioral

BEHAVIORAL_REQUIREMENT_ACTION = _templates(
    "behavioral.requirement.action",
    (
        "Tell me about a time you had to {base}. What was the situation, and what did you do?",
        "In other words: when have you had to {base}, and how did you go about it?",
        "It doesn't have to be a big example. When have you had to {base}, even in a small way?",
    ),
    (
        "Can you walk me through a specific example of {gerund}? I'd like to hear what you did and how it turned out.",
        "Put simply: give me one example of {gerund}, and what you did.",
        "Let's keep it simple: what is one thing you have done that involved {gerund}?",
    ),
    (
        "Think of a time when {gerund} didn't go to plan. What happened, and how did you handle it?",
        "Put another way: tell me about a setback while {gerund}, and what you did about it.",
        "Or, if nothing ever went wrong: what is the hardest part of {gerund} for you?",
    ),
    (
        "This role involves {gerund}. Describe a situation where you did that, and what came of it.",
        "In other words: when did you last do something like {gerund}, and how did it go?",
        "Even outside a job: have you done anything like {gerund}? What did you do?",
    ),
    (
        "What is the most difficult situation you have handled while {gerund}? What made it hard, and what did you do?",
        "Put simply: what was hard about {gerund} for you once, and how did you deal with it?",
        "Let's start smaller: what is one challenge you would expect in {gerund}?",
    ),
)

BEHAVIORAL_REQUIREMENT_SUBJECT = _templates(
    "behavioral.requirement.subject",
    (
        "Tell me about a time your experience with {base} made a real difference. What was the situation, and "
        "what did you do?",
        "In other words: when did {base} matter in your work, and what did you do?",
        "It can be a small example: where have you come across {base} in your work so far?",
    ),
    (
        "Can you describe a piece of work where {base} was central, and what your part in it was?",
        "Put simply: which work of yours depended on {base}, and what did you do in it?",
        "Let's keep it simple: what have you learned about {base} so far, and where?",
    ),
    (
        "Think of a difficult problem you faced involving {base}. How did you handle it, and what did you learn?",
        "Put another way: what was one hard moment with {base}, and what did you do?",
        "Or, more simply: what do you find most challenging about {base}?",
    ),
)

BEHAVIORAL_CLAIM_ACTION = _templates(
    "behavioral.claim.action",
    (
        "Your resume says you {written}. Tell me the story behind that: what was the situation, and what did "
        "you do yourself?",
        "In other words: how did it come about that you {written}, and what was your part?",
        "Let's start with the beginning: what was the problem you were trying to solve there?",
    ),
    (
        "I see you {written}. What was the hardest part of getting there, and how did you handle it?",
        "Put simply: what was difficult about that work, and what did you do about it?",
        "Let's start smaller: what was your first step in that work?",
    ),
    (
        "You mention that you {written}. How did you come to do that, and what was your own part in it?",
        "Put another way: who was involved, and what did you do yourself?",
        "Let's keep it simple: what was your role in that work?",
    ),
    (
        "Let's talk about how you {written}. Why did it matter, and what would you do differently now?",
        "In other words: why did that work matter, and what would you change today?",
        "Let's start smaller: why did that work need doing?",
    ),
)

BEHAVIORAL_CLAIM_SUBJECT = _templates(
    "behavioral.claim.subject",
    (
        "Your resume mentions {base}. Tell me the story behind it: what was the situation, and what did you "
        "do yourself?",
        "In other words: what was that work about, and what was your part?",
        "Let's start with the beginning: why was that work needed?",
    ),
    (
        "Tell me about {base}, from your resume. What was the hardest part, and how did you handle it?",
        "Put simply: what was difficult in that work, and what did you do?",
        "Let's keep it simple: what was your role in it?",
    ),
)

# --------------------------------------------------------------------------- technical

TECHNICAL_REQUIREMENT_ACTION = _templates(
    "technical.requirement.action",
    (
        "How would you {base}? Walk me through where you would start and what you would watch out for.",
        "Put simply: how would you {base}?",
        "Let's make it simpler: if you had to {base} tomorrow, what would your very first step be?",
    ),
    (
        "How do you approach {gerund}? Can you walk me through a real example and the choices you made?",
        "In other words: what is your method for {gerund}, with one example?",
        "Let's make it simpler: what is the first thing you check when {gerund}?",
    ),
    (
        "Suppose you had to {base} here from your first week. What would you do first, and how would you know "
        "it's working?",
        "Put another way: you start here and have to {base}. What is your plan?",
        "Let's make it simpler: what would you want to find out before you {base}?",
    ),
    (
        "What does doing a good job of {gerund} look like to you, and why does it often go wrong?",
        "In other words: how do you tell good work in {gerund} from poor work?",
        "Let's make it simpler: what is one mistake people make when {gerund}?",
    ),
    (
        "When you {base}, which methods or tools do you rely on, and why those?",
        "Put simply: what do you use to {base}, and why?",
        "Let's make it simpler: name one tool or habit that helps you {base}.",
    ),
)

TECHNICAL_REQUIREMENT_SUBJECT = _templates(
    "technical.requirement.subject",
    (
        "Where have you needed {base} in your work? Can you give me a recent, concrete example?",
        "Put simply: where does {base} come up in your work, and what do you do about it?",
        "Let's make it simpler: what is one thing about {base} you are confident explaining?",
    ),
    (
        "What is the most demanding problem you have solved that involved {base}, and how did you solve it?",
        "In other words: tell me about one hard problem involving {base}, and your solution.",
        "Let's make it simpler: what is one thing about {base} that people often get wrong?",
    ),
    (
        "Where do people usually go wrong with {base}, and can you explain how you avoid it?",
        "Put another way: what is a common mistake with {base}, and how do you prevent it?",
        "Let's make it simpler: what is one thing you always double-check with {base}?",
    ),
)

TECHNICAL_CLAIM_ACTION = _templates(
    "technical.claim.action",
    (
        "Your resume says you {written}. Walk me through how you did it, and which options you weighed.",
        "Put simply: how did you {base}, step by step?",
        "Let's make it simpler: what was the first thing you changed?",
    ),
    (
        "Let's dig into the work where you {written}. What was the hardest problem in it, and how did you solve it?",
        "In other words: what was difficult there, and what was your solution?",
        "Let's make it simpler: what surprised you in that work?",
    ),
    (
        "You {written}, according to your resume. If you did it again today, what would you change, and why?",
        "Put another way: looking back, what would you do differently in that work?",
        "Let's make it simpler: what worked best in that work?",
    ),
    (
        "I'd like to understand how you {written}. What did you try first, and what made the difference?",
        "Put simply: what was your approach there, and what mattered most?",
        "Let's make it simpler: how did you know you were on the right track?",
    ),
)

TECHNICAL_CLAIM_SUBJECT = _templates(
    "technical.claim.subject",
    (
        "Your resume mentions {base}. How did it actually work, and why was it done that way?",
        "Put simply: how did that work, and why?",
        "Let's make it simpler: what was your part in it?",
    ),
    (
        "Let's dig into {base}, from your resume. What was the hardest problem in it, and how did you solve it?",
        "In other words: what was difficult there, and what did you do?",
        "Let's make it simpler: what would you improve in it today?",
    ),
)

# --------------------------------------------------------------------------- system design

DESIGN_REQUIREMENT_ACTION = _templates(
    "design.requirement.action",
    (
        "Here's a design exercise. Suppose you had to {base} from scratch. How would you design it, and how "
        "would you know it works?",
        "Let me simplify: sketch how you would {base}. What are the main parts?",
        "Let's start smaller: what are the two or three things it absolutely has to do?",
    ),
    (
        "Let's do a design question around {gerund}. How would you design it, and which trade-offs would you make?",
        "Put simply: what would you build for {gerund}, and what would you give up?",
        "Let's start smaller: what is the part you would build first, and why?",
    ),
    (
        "Design exercise: imagine you must {base}, and it has to keep working when parts of it fail. How would "
        "you design that?",
        "Put another way: how would you {base} so that one failure doesn't stop everything?",
        "Let's start smaller: what is the first thing that could fail, and what would you do about it?",
    ),
)

DESIGN_REQUIREMENT_SUBJECT = _templates(
    "design.requirement.subject",
    (
        "Here's a design exercise around {base}. How would you design it from scratch, and how would you know "
        "it works?",
        "Let me simplify: what are the main parts of a good setup for {base}?",
        "Let's start smaller: what is the first part you would put in place?",
    ),
    (
        "Let's do a design question on {base}. How would you design it, and which trade-offs would you make?",
        "Put simply: what would you build for {base}, and why?",
        "Let's start smaller: what is the most important requirement it has to meet?",
    ),
)

DESIGN_CLAIM_ACTION = _templates(
    "design.claim.action",
    (
        "Your resume says you {written}. If that had to handle ten times as much, what would break first, and "
        "how would you redesign it?",
        "Let me rephrase: with ten times the load, where would that work struggle, and what would you change?",
        "Let's start smaller: what was the weakest part of it?",
    ),
    (
        "Think back to when you {written}. If you had to design it again from scratch, what would you keep, and "
        "what would you change?",
        "Put simply: what would you design differently there today?",
        "Let's start smaller: what part of it worked best?",
    ),
)

DESIGN_CLAIM_SUBJECT = _templates(
    "design.claim.subject",
    (
        "Your resume mentions {base}. If it had to handle ten times as much, what would break first, and how "
        "would you redesign it?",
        "Let me rephrase: with ten times the load, where would it struggle, and what would you change?",
        "Let's start smaller: what was the weakest part of it?",
    ),
)

# --------------------------------------------------------------------------- questions from the job title only

TITLE_BEHAVIORAL = _templates(
    "title.behavioral",
    (
        "Why this {title} role, and which experience of yours prepares you best for it?",
        "Why this {title} job, and what have you done that fits it?",
        "Let's keep it simple: what do you enjoy most about this kind of work?",
    ),
    (
        "Tell me about the piece of work you are proudest of that is relevant to a {title} role. What did you "
        "do, and what came of it?",
        "Which work are you proudest of, and what was your part in it?",
        "Let's keep it simple: what is one thing you did recently that went well?",
    ),
    (
        "Tell me about a time you disagreed with a colleague. How did you handle it, and how did it end?",
        "Describe a disagreement at work, and what you did about it.",
        "Let's keep it simple: how do you usually handle a disagreement?",
    ),
    (
        "Tell me about a time something you owned went wrong. What happened, and what did you learn?",
        "Describe a mistake at work and how you dealt with it.",
        "Let's keep it simple: what is one lesson you learned the hard way?",
    ),
    (
        "Tell me about a time you had to learn something new quickly to deliver. How did you go about it?",
        "When did you have to pick up a new skill fast, and how did you do it?",
        "Let's keep it simple: how do you usually learn something new for work?",
    ),
)

TITLE_TECHNICAL = _templates(
    "title.technical",
    (
        "Can you walk me through the hardest problem you have solved in a role like {title}, and your approach?",
        "Describe a tough problem you solved at work and how you went about it.",
        "Let's keep it simple: what kind of problem do you enjoy solving most?",
    ),
    (
        "Can you walk me through how you make sure your work as a {title} is right before anyone relies on it?",
        "How do you check your work before it is used?",
        "Let's keep it simple: what is one check you always make?",
    ),
    (
        "Which tools or methods do you rely on most as a {title}, and why those over the alternatives?",
        "What are your most important tools or methods for this job, and why?",
        "Let's keep it simple: name one tool or method you use every week.",
    ),
    (
        "Tell me about a decision in your work that you would make differently today, and why.",
        "Which choice of yours would you change now, and why?",
        "Let's keep it simple: what would you tell yourself on your first day in this field?",
    ),
    (
        "Can you describe how you find the cause when something in your work goes wrong and it isn't obvious?",
        "How do you track down the cause of a problem that isn't obvious?",
        "Let's keep it simple: what is your first step when something goes wrong?",
    ),
)

TITLE_DESIGN = _templates(
    "title.design",
    (
        "Here's a design exercise: how would you design {system}? Start with what it must do, then walk me "
        "through the main parts.",
        "Let me simplify: sketch {system}. What are the main parts?",
        "Let's start smaller: what is the first thing it must do well?",
    ),
    (
        "Another design question: how would you set up {system}? Tell me which trade-offs you would make.",
        "Put simply: what would you build for {system}, and why?",
        "Let's start smaller: what would you build first?",
    ),
    (
        "One more design exercise: picture {system}. What would break first as it grows, and how would you prevent it?",
        "Put another way: as {system} grows, where would it struggle?",
        "Let's start smaller: what is the most important thing it has to get right?",
    ),
)

#: Systems to design when nothing but the title is known, for software roles; used in order.
FALLBACK_DESIGN_SYSTEMS = (
    "a URL shortener that handles a hundred thousand requests per second",
    "a notification service that sends e-mail and push messages to millions of users",
    "a rate limiter shared by many API servers",
    "a news feed for a social network",
    "a file storage service like a simple cloud drive",
)
#: The same exercise for any other role: how the work itself would be set up.
FALLBACK_DESIGN_PROCESSES = (
    "the way a new team handles its most important recurring work, from request to done",
    "a handover process so that nothing is lost when work changes hands",
    "a simple way to track quality in your work and catch problems early",
)
