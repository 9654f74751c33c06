"""One utterance of the interviewer: its sentences as they are written and synthesized, paced out as frames,
and what the candidate has heard of it.

Pure: frames are released by :meth:`Utterance.release` given the time, never by a timer of its own. What
was heard follows the client's ``playback`` reports; between two reports it may run ahead of the last one by
at most :data:`REPORT_SLACK_MS`, so a client whose playback stalls is never credited with words it did not
play. Without any report (or when reports stop for :data:`STALL_GRACE_MS`), the clock since the first frame
(less the playout delay) stands in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from protocol import messages as m
from protocol.audio import OutputFrame
from server.live.core.io import Send

#: Downstream frames carry this much audio each.
OUTPUT_FRAME_MS = 40
#: Estimated delay between sending a frame and hearing it (network plus the client's jitter buffer).
PLAYOUT_DELAY_MS = 150
#: How far the estimate of what was played may run ahead of the client's last report (it reports ~4 times a
#: second while playing).
REPORT_SLACK_MS = 300
#: After the last frame, how long a client that reports nothing more is waited for before the utterance
#: counts as played (its playback stalled, or it never reports).
STALL_GRACE_MS = 2000


@dataclass(frozen=True)
class Frame:
    """One downstream frame: its bytes on the wire, and its PCM (the echo guard keeps what was sent)."""

    encoded: bytes
    pcm: bytes


@dataclass
class Sentence:
    text: str
    pcm: bytearray = field(default_factory=bytearray)
    synthesized: bool = False
    #: Position of its first frame in the utterance, once released; its length once fully released.
    start_ms: float | None = None
    duration_ms: float = 0.0
    released_bytes: int = 0


class Utterance:
    """The interviewer's words being spoken now (one ``utterance_id``)."""

    def __init__(self, utterance_id: int, reply: ReplyInfo, sample_rate: int) -> None:
        self.id = utterance_id
        self.reply = reply
        self.sample_rate = sample_rate
        #: May go on air (a reply to an answer waits until the answer is saved) ...
        self.released = False
        #: ... once the interviewer has decided what it is (``reply`` is known).
        self.decided = False
        #: For the response-gap figures: when the answer's last word was spoken, and decided on (core time).
        self.answer_end_at: float | None = None
        self.decided_at: float | None = None
        self.end_sent = False
        self.audio_started = False
        self.voice_failed = False
        self.sentences: list[Sentence] = []
        self.text_complete = False
        self.seq = 0
        self.sent_ms = 0.0
        self.first_frame_at: float | None = None
        self.last_frame_at: float | None = None
        self.reported_ms = 0
        self.reported_at: float | None = None
        self.all_sent = False
        self.played_out = False
        self._cursor = 0  # the sentence whose frames are being released
        self._frame_bytes = sample_rate * OUTPUT_FRAME_MS // 1000 * 2

    # ------------------------------------------------------------------ filling

    def add_sentence(self, text: str) -> int:
        self.sentences.append(Sentence(text))
        return len(self.sentences) - 1

    def add_pcm(self, index: int, pcm: bytes) -> None:
        if 0 <= index < len(self.sentences):
            self.sentences[index].pcm += pcm

    def sentence_done(self, index: int) -> None:
        if 0 <= index < len(self.sentences):
            self.sentences[index].synthesized = True

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    # ------------------------------------------------------------------ sending

    def release(self, now: float, send_ahead_ms: float) -> list[Send | Frame]:
        """Captions and frames that may go out now (at most ``send_ahead_ms`` ahead of playback)."""
        out: list[Send | Frame] = []
        while not self.all_sent and self.sent_ms - self.played_ms(now) < send_ahead_ms:
            if self._cursor >= len(self.sentences):
                if self.text_complete:
                    out.append(Frame(OutputFrame(self.id, self.seq, b"", last=True).encode(), b""))
                    self.seq += 1
                    self.all_sent = True
                    self.last_frame_at = now
                break
            sentence = self.sentences[self._cursor]
            pending = len(sentence.pcm) - sentence.released_bytes
            chunk = min(pending, self._frame_bytes)
            if chunk < self._frame_bytes and not sentence.synthesized:
                break  # wait for more audio (or the end of this sentence)
            if sentence.start_ms is None:
                sentence.start_ms = self.sent_ms
                out.append(Send(m.UtteranceText(utterance_id=self.id, sentence=self._cursor, text=sentence.text)))
            if chunk > 0:
                pcm = bytes(sentence.pcm[sentence.released_bytes : sentence.released_bytes + chunk])
                sentence.released_bytes += chunk
                duration = chunk * 1000 / (2 * self.sample_rate)
                sentence.duration_ms += duration
                self.sent_ms += duration
                out.append(Frame(OutputFrame(self.id, self.seq, pcm).encode(), pcm))
                self.seq += 1
                if self.first_frame_at is None:
                    self.first_frame_at = now
                self.last_frame_at = now
            if sentence.synthesized and sentence.released_bytes >= len(sentence.pcm):
                self._cursor += 1
        return out

    @property
    def started_audio(self) -> bool:
        return self.first_frame_at is not None

    @property
    def at_sentence_start(self) -> bool:
        """The next frame would begin a new sentence (a good moment to notice the candidate talking)."""
        return self._cursor < len(self.sentences) and self.sentences[self._cursor].start_ms is None

    # ------------------------------------------------------------------ playback

    def on_playback(self, now: float, played_ms: int, done: bool) -> None:
        self.reported_ms = max(self.reported_ms, min(played_ms, round(self.sent_ms)))
        self.reported_at = now
        if done and self.all_sent:
            self.played_out = True

    def played_ms(self, now: float) -> int:
        """Best estimate of how much the candidate has heard."""
        clock = (now - self.first_frame_at) * 1000 - PLAYOUT_DELAY_MS if self.first_frame_at is not None else 0.0
        if self.reported_at is None:
            estimate = clock
        else:
            since_report = (now - self.reported_at) * 1000
            estimate = self.reported_ms + min(since_report, REPORT_SLACK_MS)
            if since_report > STALL_GRACE_MS:  # the client stopped reporting altogether: the clock decides
                estimate = max(estimate, clock)
        return int(max(0, min(self.sent_ms, estimate)))

    def is_played_out(self, now: float) -> bool:
        """Done playing: reported so, or the clock says so (no reports), or the client went quiet after the end."""
        if self.played_out:
            return True
        if not self.all_sent or self.last_frame_at is None:
            return False
        if self.reported_at is None and self.played_ms(now) >= self.sent_ms:
            return now * 1000 >= self.last_frame_at * 1000 + PLAYOUT_DELAY_MS or self.sent_ms == 0
        return (now - max(self.last_frame_at, self.reported_at or 0.0)) * 1000 >= STALL_GRACE_MS

    def heard_text(self, played_ms: int) -> str:
        """The words heard in ``played_ms``: whole sentences, then the heard share of the one cut short."""
        words: list[str] = []
        for sentence in self.sentences:
            if sentence.start_ms is None or played_ms <= sentence.start_ms:
                break
            total = len(sentence.pcm) * 1000 / (2 * self.sample_rate) if sentence.synthesized else None
            length = total or sentence.duration_ms or 1.0
            if sentence.synthesized and played_ms >= sentence.start_ms + length:
                words.append(sentence.text)
                continue
            sentence_words = sentence.text.split()
            share = (played_ms - sentence.start_ms) / max(length, 1.0)
            heard = sentence_words[: int(len(sentence_words) * min(share, 1.0))]
            if heard:
                words.append(" ".join(heard) + " …")
            break
        return " ".join(words)


@dataclass(frozen=True)
class ReplyInfo:
    """What the interviewer's reply is, known before its words (from :class:`~server.live.core.io.ReplyStarted`)."""

    kind: m.UtteranceKind
    question_number: int
    done: bool = False
    asked_by: str = "interviewer"
    observer_action: str | None = None
    expects_answer: bool = True

    @property
    def is_prompt(self) -> bool:
        return self.kind is m.UtteranceKind.PROMPT
