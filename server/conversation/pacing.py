"""The interview's clock, kept from its inputs: how much time has passed, and whether there is room for more.

The machine has no clock of its own. A live session gives the elapsed time with each answer; otherwise (a typed
interview, a test) the time is estimated from the words spoken on both sides at ordinary speaking rates, so the
same inputs always give the same interview.
"""

from __future__ import annotations

from server.conversation.base import Answer
from server.conversation.snapshot import InterviewState, Role
from server.text.words import count_words

#: Speaking rate used to estimate how long the interviewer's words take when no clock is given.
INTERVIEWER_WORDS_PER_MINUTE = 160
#: Speaking rate assumed for a candidate turn that comes without a duration (a typed answer).
CANDIDATE_WORDS_PER_MINUTE = 130


def account_time(state: InterviewState, answer: Answer) -> None:
    """Move ``state.elapsed_ms`` past ``answer``: to the session's own time, or by an estimate of the words."""
    elapsed = answer.metadata.get("elapsed_ms")
    if isinstance(elapsed, int | float) and elapsed >= 0:
        state.elapsed_ms = max(state.elapsed_ms, int(elapsed))
        return
    said: list[str] = []  # every interviewer line since the candidate last spoke (greeting and question)
    for line in reversed(state.history):
        if line.role is not Role.INTERVIEWER:
            break
        said.append(line.text)
    speaking_ms = count_words(" ".join(said)) * 60_000 // INTERVIEWER_WORDS_PER_MINUTE
    answer_ms = answer.duration_ms or count_words(answer.text) * 60_000 // CANDIDATE_WORDS_PER_MINUTE
    state.elapsed_ms += speaking_ms + answer_ms


def time_is_up(state: InterviewState, budget_s: float | None) -> bool:
    return budget_s is not None and state.elapsed_ms >= budget_s * 1000


def time_allows_follow_up(state: InterviewState, budget_s: float | None) -> bool:
    """A follow-up fits if the time left still covers the remaining questions at the planned pace."""
    if budget_s is None:
        return True
    per_question_ms = budget_s * 1000 / max(len(state.plan), 1)
    remaining_after = len(state.plan) - state.current - 1
    return budget_s * 1000 - state.elapsed_ms > (remaining_after + 0.5) * per_question_ms
