"""The interview as a pure, synchronous state machine: plan, ask, listen, follow up or move on, wrap up.

No I/O and no clock: time comes in with each answer (its duration, or the session's elapsed time), so the
same inputs always give the same interview, and the whole state fits in a JSON snapshot taken after every
turn. Both engines drive this machine; they differ only in how the words are phrased.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from protocol.messages import UtteranceKind
from server.conversation import wording as w
from server.conversation.base import Answer
from server.conversation.decisions import Move, Utterance
from server.conversation.hearing import heard_enough, request_in
from server.conversation.pacing import account_time, time_allows_follow_up, time_is_up
from server.conversation.planning import plan_questions
from server.conversation.probing import AnswerKind, Gap, Probe, classify, find_probes, next_probe
from server.conversation.questions import PlannedQuestion, observer_question
from server.conversation.setup import InterviewSetup
from server.conversation.snapshot import InterviewState, Line, Role, from_snapshot, to_snapshot
from server.text.resume import resume_skills
from server.text.spoken import spoken

#: How much of each answer is read to choose a follow-up: about the longest spoken turn (two minutes). A typed
#: answer may be longer (it is kept and scored whole), but this runs on the event loop's thread, and what an
#: answer lacks shows well before its 2,000th character.
MAX_READ_CHARS = 2000


class InterviewFinishedError(RuntimeError):
    """An answer arrived after the closing words."""


@dataclass(frozen=True)
class Policy:
    """Interviewing rules that are configuration, not state."""

    max_follow_ups_per_question: int = 2
    #: Silent or empty turns on one question before moving on.
    max_nudges_per_question: int = 1


class InterviewMachine:
    """One interview's conversation logic. Create with :meth:`start` or :meth:`restore`."""

    def __init__(self, setup: InterviewSetup, state: InterviewState, policy: Policy) -> None:
        self.setup = setup
        self.policy = policy
        self._s = state
        #: What the resume says the candidate has worked with: only these can be "contradicted".
        self._claimed = frozenset(resume_skills(setup.resume_text))

    @classmethod
    def start(cls, setup: InterviewSetup, policy: Policy | None = None) -> InterviewMachine:
        return cls(setup, InterviewState(plan=plan_questions(setup)), policy or Policy())

    @classmethod
    def restore(cls, setup: InterviewSetup, snapshot: dict[str, Any], policy: Policy | None = None) -> InterviewMachine:
        """Continue an interview from :meth:`snapshot`; an older version is migrated, an unknown one refused."""
        return cls(setup, from_snapshot(snapshot, setup.interview_type), policy or Policy())

    def snapshot(self) -> dict[str, Any]:
        return to_snapshot(self._s)

    # ------------------------------------------------------------------ read-only views

    @property
    def finished(self) -> bool:
        return self._s.finished

    @property
    def started(self) -> bool:
        """The opening was said (or, restored, the interview had begun before)."""
        return self._s.started

    @property
    def plan(self) -> list[PlannedQuestion]:
        return list(self._s.plan)

    @property
    def history(self) -> list[Line]:
        return list(self._s.history)

    @property
    def end_reason(self) -> str | None:
        """``completed`` after the last planned question, ``time_budget`` when time ran out."""
        return self._s.end_reason

    @property
    def observer_asked(self) -> list[PlannedQuestion]:
        """The observers' questions asked so far, each with its own number (after the plan's)."""
        return list(self._s.observer_asked)

    @property
    def current_question(self) -> PlannedQuestion | None:
        s = self._s
        return s.plan[s.current] if s.plan and not s.finished and s.current < len(s.plan) else None

    def upcoming(self) -> list[str]:
        """What this interview most likely says next, word for word, so its speech can be made before it is
        needed: the greeting and the first question before the start; then the next planned question (what
        leads into it is a fixed phrase), or the closing after the last one. Follow-ups depend on the answer."""
        s = self._s
        if s.finished or not s.plan:
            return []
        if not s.started:
            return [self._greeting(), s.plan[0].text]
        if not s.question_asked:
            return [s.plan[s.current].text]
        if s.current + 1 < len(s.plan):
            return [s.plan[s.current + 1].text]
        return [w.CLOSING.format(name=self._name())]

    def answers_to(self, question_number: int) -> list[str]:
        """Everything the candidate said about one planned question (main answer and follow-up answers)."""
        return [
            line.text
            for line in self._s.history
            if line.role is Role.CANDIDATE and line.question_number == question_number
        ]

    # ------------------------------------------------------------------ transitions

    def begin(self) -> Utterance:
        """The opening: a short greeting that asks nothing (:meth:`proceed` asks the first question once it was
        heard), or on a restored interview, the pending question again."""
        s = self._s
        if s.finished:
            return self._close(s.end_reason or "completed", record=False)
        if not s.plan:
            s.started = True
            return self._close("completed")
        if s.started and s.question_asked:
            lead_in = w.RESUME.format(name=self._name())
            resumed = self._say(Move.RESUME, s.asked_kind, f"{lead_in} {s.asked_text}", lead_in=lead_in, remember=False)
            if s.asked_by_observer:
                number = self._answering_number()
                return replace(resumed, question_number=number, question=s.observer_asked[-1], asked_by="observer")
            return resumed
        s.started = True
        s.question_asked = False
        text = self._greeting()
        s.history.append(Line(Role.INTERVIEWER, text, 0, UtteranceKind.GREETING))
        return Utterance(Move.GREET, UtteranceKind.GREETING, 0, text, expects_answer=False)

    def proceed(self) -> Utterance:
        """After words that asked nothing (the greeting) were heard: the first question."""
        s = self._s
        if s.finished:
            raise InterviewFinishedError("the interview is already over")
        if s.question_asked:
            raise RuntimeError("proceed() follows the greeting; the candidate is answering a question")
        return self._ask_current(Move.ASK, UtteranceKind.QUESTION, "")

    def respond(self, answer: Answer) -> Utterance:
        """Take one finished answer and decide: repeat, rephrase, nudge, follow up, next question or close."""
        s = self._s
        if s.finished:
            raise InterviewFinishedError("the interview is already over")
        if not s.started:
            raise RuntimeError("begin() must be called before respond()")
        question = s.plan[s.current]
        text = answer.text.strip()
        account_time(s, answer)
        if not s.question_asked:
            # The candidate spoke over, or after, the greeting: their words answer no question, and the first
            # question is asked now (never consumed by a "hello").
            if text:
                s.history.append(Line(Role.CANDIDATE, text, 0))
            return self._ask_current(Move.ASK, UtteranceKind.QUESTION, w.AFTER_GREETING)
        number = self._answering_number()
        if s.question_unheard:
            # A barge-in cut the question off before it was heard: finish it instead of taking this as the answer.
            s.question_unheard = False
            if text:
                s.history.append(Line(Role.CANDIDATE, text, number))
            return self._say(
                Move.REPEAT,
                s.asked_kind,
                w.FINISH_QUESTION.format(text=s.asked_text),
                question=question,
                remember=False,
            )
        if text:
            # An answer to an observer's question is recorded under that question's own number: it is scored
            # as its own item, and never mixed into the planned question's answer.
            s.history.append(Line(Role.CANDIDATE, text, number))

        request = request_in(text)
        if request is Move.REPEAT:
            return self._say(Move.REPEAT, UtteranceKind.PROMPT, w.REPEAT.format(text=s.asked_text), remember=False)
        if request is Move.REPHRASE:
            plain = s.asked_kind is UtteranceKind.FOLLOW_UP or s.asked_by_observer
            wording = s.asked_text if plain else question.rephrased
            return self._say(Move.REPHRASE, UtteranceKind.PROMPT, w.REPHRASE.format(text=wording), remember=False)
        if not text:
            if s.nudges < self.policy.max_nudges_per_question:
                s.nudges += 1
                return self._say(Move.NUDGE, UtteranceKind.PROMPT, w.NUDGE.format(text=s.asked_text), remember=False)
            return self._advance("silent")

        after_observer = s.asked_by_observer
        if s.observer_questions:
            return self._ask_observer_question()
        if s.skip_requested:
            s.skip_requested = False
            return replace(self._advance("skip"), observer_action="skip_topic")
        if time_is_up(self._s, self.setup.time_budget_s):
            return self._close("time_budget")
        probe = self._next_probe(question)
        if probe is not None:
            return self._follow_up(question, probe, w.BACK_TO_QUESTION if after_observer else "")
        return self._advance(self._acknowledgement(text, question, after_observer))

    def queue_observer_question(self, text: str) -> None:
        """An observer's question, asked word for word after the candidate's current answer (before the
        interviewer's own next move). Several are asked in the order they came."""
        if self._s.finished:
            raise InterviewFinishedError("the interview is already over")
        self._s.observer_questions.append(text.strip())

    def request_skip(self) -> None:
        """Move on to the next planned question after the candidate's current answer (close after the last)."""
        if self._s.finished:
            raise InterviewFinishedError("the interview is already over")
        self._s.skip_requested = True

    def record_heard(self, text: str) -> None:
        """Barge-in: only ``text`` of the last interviewer line was heard, so only that stays in the history.

        When what was heard leaves out most of the question itself (it was cut off in its first seconds), the
        next answer is not taken as its answer: the question is finished first.
        """
        s = self._s
        for line in reversed(s.history):
            if line.role is Role.INTERVIEWER:
                said = line.text
                line.text = text.strip()
                break
        else:
            return
        if s.question_asked and line.kind in (UtteranceKind.QUESTION, UtteranceKind.FOLLOW_UP):
            s.question_unheard = not heard_enough(text, said, s.asked_text)

    def reword_last(self, text: str) -> None:
        """Another engine phrased the last utterance its own way; remember its words, not the template's."""
        s = self._s
        for line in reversed(s.history):
            if line.role is Role.INTERVIEWER:
                line.text = text.strip()
                break
        if s.history and s.history[-1].kind in (
            UtteranceKind.QUESTION,
            UtteranceKind.FOLLOW_UP,
            UtteranceKind.GREETING,
        ):
            s.asked_text = text.strip()

    # ------------------------------------------------------------------ decisions

    def _next_probe(self, question: PlannedQuestion) -> Probe | None:
        s = self._s
        if s.follow_ups >= self.policy.max_follow_ups_per_question:
            return None
        if not time_allows_follow_up(s, self.setup.time_budget_s):
            return None
        return next_probe(
            question,
            [answer[:MAX_READ_CHARS] for answer in self.answers_to(question.number)],
            s.gaps_asked,
            on_follow_up=s.follow_ups > 0,
            claimed=self._claimed,
        )

    def _acknowledgement(self, text: str, question: PlannedQuestion, after_observer: bool) -> str:
        """How to acknowledge the last answer before moving on: never thanks for an answer that wasn't one."""
        if classify(text, question) is AnswerKind.NO_ANSWER:
            return "no_answer"
        if after_observer:
            return "answered"
        said = " ".join(self.answers_to(question.number))
        return "partial" if find_probes(question, said, self._claimed) else "answered"

    def _answering_number(self) -> int:
        """The question number the candidate's next words answer: the planned question's, or the observer's."""
        s = self._s
        if s.asked_by_observer and s.observer_asked:
            return s.observer_asked[-1].number
        return s.plan[s.current].number

    # ------------------------------------------------------------------ utterances

    def _follow_up(self, question: PlannedQuestion, probe: Probe, lead_in: str = "") -> Utterance:
        s = self._s
        key = "depth_method" if probe.gap is Gap.DEPTH and probe.detail else probe.gap.value
        options = w.FOLLOW_UPS[key]
        wording = options[s.follow_ups % len(options)].format(
            skill=probe.detail,
            method=probe.detail[:1].upper() + probe.detail[1:],
            method_lower=probe.detail,
            easier=question.easier or question.rephrased,
            rephrased=question.rephrased,
        )
        s.follow_ups += 1
        s.gaps_asked.append(probe.gap.value)
        text = f"{lead_in} {wording}".strip()
        utterance = self._say(Move.FOLLOW_UP, UtteranceKind.FOLLOW_UP, text, question=question, gap=probe.gap)
        return replace(utterance, detail=probe.detail, lead_in=lead_in)

    def _advance(self, acknowledged: str) -> Utterance:
        s = self._s
        if s.current + 1 >= len(s.plan):
            return self._close("completed")
        if time_is_up(self._s, self.setup.time_budget_s):
            return self._close("time_budget")
        s.current += 1
        s.follow_ups = 0
        s.gaps_asked = []
        s.nudges = 0
        is_last = s.current == len(s.plan) - 1
        options = w.ACKNOWLEDGEMENTS[acknowledged]
        ack = options[s.acknowledgements % len(options)]
        s.acknowledgements += 1
        transition = w.LAST_QUESTION if is_last else w.TRANSITIONS[(s.current - 1) % len(w.TRANSITIONS)]
        return replace(
            self._ask_current(Move.ASK, UtteranceKind.QUESTION, f"{ack} {transition}"), acknowledged=acknowledged
        )

    def _ask_observer_question(self) -> Utterance:
        """An observer's question, introduced, in the observer's words, under its own number (after the plan's),
        so that its answer is scored as its own item."""
        s = self._s
        words = s.observer_questions.pop(0)
        number = len(s.plan) + len(s.observer_asked) + 1
        question = observer_question(words, self.setup.interview_type, number)
        s.observer_asked.append(question)
        text = w.OBSERVER_INTRO.format(text=words)
        s.history.append(Line(Role.INTERVIEWER, text, number, UtteranceKind.QUESTION))
        s.asked_text = words
        s.asked_kind = UtteranceKind.QUESTION
        s.asked_by_observer = True
        return Utterance(
            Move.OBSERVER_QUESTION,
            UtteranceKind.QUESTION,
            number,
            text,
            question=question,
            lead_in=text[: -len(words)].strip() if words else text,
            asked_by="observer",
            observer_action="ask_question",
        )

    def _ask_current(self, move: Move, kind: UtteranceKind, lead_in: str) -> Utterance:
        question = self._s.plan[self._s.current]
        text = f"{lead_in} {question.text}".strip()
        utterance = self._say(move, kind, text, question=question, lead_in=lead_in)
        self._s.asked_text = question.text
        self._s.asked_kind = UtteranceKind.QUESTION
        self._s.question_asked = True
        self._s.question_unheard = False
        return utterance

    def _close(self, reason: str, record: bool = True) -> Utterance:
        s = self._s
        s.finished = True
        s.end_reason = reason
        template = w.CLOSING_TIME if reason == "time_budget" else w.CLOSING
        text = template.format(name=self._name())
        number = s.plan[s.current].number if s.plan else 0
        utterance = Utterance(Move.CLOSE, UtteranceKind.CLOSING, number, text, done=True)
        if record:
            s.history.append(Line(Role.INTERVIEWER, text, number, UtteranceKind.CLOSING))
        return utterance

    def _say(
        self,
        move: Move,
        kind: UtteranceKind,
        text: str,
        *,
        question: PlannedQuestion | None = None,
        gap: Gap | None = None,
        lead_in: str = "",
        remember: bool = True,
    ) -> Utterance:
        """Record an interviewer line; ``remember`` makes it what a later "please repeat" repeats (a line that is
        not remembered, a prompt, belongs to the question being answered, an observer's one included)."""
        s = self._s
        pending = s.observer_asked[-1] if s.asked_by_observer and s.observer_asked and not remember else None
        number = pending.number if pending else s.plan[s.current].number
        s.history.append(Line(Role.INTERVIEWER, text, number, kind))
        if remember:
            s.asked_text = text
            s.asked_kind = kind
            s.asked_by_observer = False
        about = question or pending or s.plan[s.current]
        return Utterance(move, kind, number, text, question=about, gap=gap, lead_in=lead_in)

    def _greeting(self) -> str:
        title = spoken(self.setup.job_title) or "open"
        if self.setup.time_budget_s:
            minutes = max(1, round(self.setup.time_budget_s / 60))
            return w.GREETING_TIMED.format(name=self._name(), title=title, minutes=minutes)
        return w.GREETING.format(name=self._name(), title=title, count=len(self._s.plan))

    def _name(self) -> str:
        return self.setup.candidate_name.strip() or "there"
