"""Premature cut-offs: how often a thinking pause is taken for the end of an answer.

Each answer is generated with espeak-ng: a fragment that breaks off mid-thought (a trailing "and", "so",
"because", "um", "to" or a comma), a pause of 1.5 to 3 s, then the rest of the answer, a finished sentence.
The answers are streamed in real time to a real ``viva serve`` on the embedded engines, a few interviews
side by side. An answer is cut off when the server ended the turn before the candidate finished it: more
than one ``final_transcript`` for it, or its first one before the answer's last spoken frame was sent.

Run: ``python -m benchmarks.premature_cutoffs [--parallel 2]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.support import Microphone, last_speech_sample, machine
from protocol import messages as m
from tests.conftest import ServerProcess
from tests.live_client import LiveClient, start_interview
from tests.speech import compose

#: (fragment broken off mid-thought, the rest of the answer). Four per kind of break.
ANSWERS = (
    ("I worked on the payment platform for three years and", "then I led its move to Kubernetes for every team."),
    ("We moved the nightly billing jobs to a queue and", "the failures we used to see every week went away."),
    ("First I profiled the slowest endpoints and", "found that most of the time went into one unindexed query."),
    ("I talked to each engineer on the team one by one and", "we agreed on a plan that everyone could support."),
    ("The database was the bottleneck, so", "we added read replicas and moved the reports onto them."),
    ("Our customers kept hitting timeouts during checkout, so", "I added a cache in front of the pricing service."),
    ("The old system had no tests at all, so", "we wrote tests around the behaviour before changing any code."),
    ("We could not afford any downtime during the migration, so", "we ran both systems side by side for a month."),
    ("We picked Kafka over RabbitMQ because", "we needed to replay old events when a consumer had a bug."),
    ("I think the first rewrite failed because", "nobody measured the old system before replacing it."),
    ("The team trusted the new design because", "we built a small prototype and load tested it first."),
    ("In the end we split the service in two because", "the search traffic was drowning out the orders."),
    ("The main reason we chose Postgres was, um,", "strong consistency and the team's long experience with it."),
    ("My biggest mistake on that project was, um,", "promising a date before I understood the legacy code."),
    ("What I would do differently next time is, um,", "involve the support team much earlier in the design."),
    ("The hardest part of the whole project was, um,", "keeping the old and the new data in sync during the move."),
    ("I think the first step would be to", "measure where the latency really comes from before changing code."),
    ("My plan for the first month was to", "meet every customer who had reported a problem with billing."),
    ("The goal of the migration was to", "let each team deploy on its own without waiting for a release."),
    ("We used feature flags for everything to", "turn off a broken feature in seconds instead of rolling back."),
    ("Looking back at that project,", "I would have split the work into smaller releases from the start."),
    (
        "When the outage started in the middle of the night,",
        "I paged the database team and we failed over to the replica.",
    ),
    ("If I had had more time on that project,", "I would have automated the whole release process end to end."),
    ("In my last role as the team lead,", "I ran the weekly planning and reviewed every design document."),
)
PAUSES_S = (1.5, 2.0, 2.5, 3.0)
THINK_S = 0.5
INTERVIEW_SETUP = {"interview_type": "behavioral", "num_questions": 8}


@dataclass(frozen=True)
class ThinkingAnswer:
    fragment: str
    pause_s: float
    rest: str
    pcm: bytes
    last_sample: int


@dataclass(frozen=True)
class Outcome:
    answer: ThinkingAnswer
    question: str  # what the interviewer had just asked (its length and form set the silence needed)
    finals: tuple[str, ...]
    cut_off: bool


def generate_answers() -> list[ThinkingAnswer]:
    answers = []
    for i, (fragment, rest) in enumerate(ANSWERS):
        pause = PAUSES_S[i % len(PAUSES_S)]
        pcm = compose(fragment, pause, rest)
        answers.append(ThinkingAnswer(fragment, pause, rest, pcm, last_speech_sample(pcm)))
    return answers


async def _answer_all(url: str, queue: asyncio.Queue[ThinkingAnswer], outcomes: list[Outcome]) -> None:
    """One simulated candidate: answers from the queue, one per turn, in as many interviews as it takes."""
    while not queue.empty():
        created = start_interview(url, **INTERVIEW_SETUP)
        client = await LiveClient.connect(url, created["interview_id"], created["candidate_token"])
        microphone = Microphone(client.send_raw)
        try:
            await client.handshake()
            await client.send(m.Start())
            await client.wait_for(lambda msg: isinstance(msg, m.StateChanged), 30)
            microphone.start()
            await client.wait_listening(60)
            while not queue.empty():
                answer = queue.get_nowait()
                question = client.messages(m.UtteranceEnd)[-1].text
                await asyncio.sleep(THINK_S)
                mark = len(client.received)
                last_frame = await microphone.say(answer.pcm, answer.last_sample)
                settled = await client.wait_for(
                    lambda msg: (
                        isinstance(msg, m.Ended)
                        or (isinstance(msg, m.StateChanged) and msg.state is m.SessionState.LISTENING)
                    ),
                    120,
                    start=mark,
                )
                finals = [r for r in client.received[mark:] if isinstance(r.message, m.FinalTranscript)]
                early = bool(finals) and finals[0].at < last_frame.at
                texts = tuple(r.message.text for r in finals)
                outcome = Outcome(answer, question, texts, cut_off=early or len(finals) > 1)
                outcomes.append(outcome)
                if outcome.cut_off or isinstance(settled, m.Ended):
                    break  # after a cut-off the rest of the answer barged in: go on in a fresh interview
        finally:
            await microphone.stop()
            await client.close()


async def measure(url: str, parallel: int) -> list[Outcome]:
    queue: asyncio.Queue[ThinkingAnswer] = asyncio.Queue()
    for answer in generate_answers():
        queue.put_nowait(answer)
    outcomes: list[Outcome] = []
    await asyncio.gather(*(_answer_all(url, queue, outcomes) for _ in range(parallel)))
    return outcomes


def run(parallel: int = 2, verbose: bool = True) -> dict[str, object]:
    """Stream every thinking-pause answer to a fresh server; print each outcome; return the figure."""
    with tempfile.TemporaryDirectory(prefix="viva-bench-cutoffs-") as tmp:
        server = ServerProcess(Path(tmp)).start()
        try:
            started = time.monotonic()
            outcomes = asyncio.run(measure(server.url, parallel))
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    cut = sum(outcome.cut_off for outcome in outcomes)
    figure = f"{cut}/{len(outcomes)}"
    if verbose:
        print(f"Premature cut-offs: {len(outcomes)} thinking-pause answers, {parallel} at a time, {elapsed:.0f} s")
        print(f"  {machine()}")
        for outcome in outcomes:
            answer = outcome.answer
            verdict = "CUT OFF" if outcome.cut_off else "whole  "
            print(f"  {verdict} pause {answer.pause_s:.1f} s after {answer.fragment!r}: {list(outcome.finals)}")
            if outcome.cut_off:
                print(f"          the question was: {outcome.question!r}")
        print(f"premature_cutoffs={figure}")
    return {"premature_cutoffs": figure, "cut_off": cut, "answers": len(outcomes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parallel", type=int, default=2, help="interviews side by side (default 2)")
    args = parser.parse_args()
    run(args.parallel)


if __name__ == "__main__":
    main()
