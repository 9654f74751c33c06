// Gapless playback of the interviewer's speech frames, with a small jitter buffer and barge-in.
//
// Frames are scheduled back to back as AudioBufferSourceNodes on one AudioContext. When the queue has run
// dry (first frame, or the network fell behind), playback restarts LEAD_SECONDS ahead of now, which absorbs
// the jitter of the next few frames. Progress per utterance is reported about every 250 ms and once more,
// with done=true, when the utterance's last frame has finished playing.
import type { OutputFrame } from "./wire";

const LEAD_SECONDS = 0.08;
/** A frame due sooner than this is too late to be scheduled gaplessly; the buffer restarts instead. */
const MIN_AHEAD_SECONDS = 0.01;
const PROGRESS_INTERVAL_MS = 250;

export interface PlayerEvents {
  /** Playback progress of one utterance; `done` is reported exactly once per utterance. */
  onProgress(utteranceId: number, playedMs: number, done: boolean): void;
  /** A frame was scheduled to play. */
  onFrameScheduled(): void;
  /** A frame finished playing to its end (stopped frames do not count). */
  onFramePlayed(): void;
  /** A frame was dropped: its utterance was interrupted, or audio is not unlocked yet. */
  onFrameDropped(): void;
}

interface ScheduledFrame {
  source: AudioBufferSourceNode;
  start: number;
  duration: number;
  ended: boolean;
}

interface Utterance {
  frames: ScheduledFrame[];
  /** Every frame has arrived (the last-frame flag or utterance_end was seen). */
  complete: boolean;
  reportedMs: number;
}

export class Player {
  private context: AudioContext | null = null;
  private sampleRate = 0;
  private nextTime = 0;
  private readonly utterances = new Map<number, Utterance>();
  /** Utterances interrupted (later frames are dropped) and utterances fully played, by id. */
  private readonly cancelled = new Set<number>();
  private readonly done = new Set<number>();
  private timer: number | undefined;

  constructor(private readonly events: PlayerEvents) {}

  /** The rate of the frames to come, from `ready.output_sample_rate`. */
  setSampleRate(sampleRate: number): void {
    this.sampleRate = sampleRate;
  }

  /** Create (or resume) the output context. Call from a user gesture, or browsers keep it suspended. */
  async unlock(): Promise<void> {
    if (!this.context) {
      try {
        // At the stream's own rate no buffer needs resampling; browsers that refuse the rate get their default.
        this.context = new AudioContext({ sampleRate: this.sampleRate, latencyHint: "interactive" });
      } catch {
        this.context = new AudioContext({ latencyHint: "interactive" });
      }
    }
    await this.context.resume();
  }

  /** Schedule one frame. Returns false when it was dropped. */
  enqueue(frame: OutputFrame): boolean {
    const context = this.context;
    const settled = this.cancelled.has(frame.utteranceId) || this.done.has(frame.utteranceId);
    if (!context || settled || this.sampleRate <= 0) {
      this.events.onFrameDropped();
      return false;
    }
    const utterance = this.utterance(frame.utteranceId);
    if (frame.samples.length > 0) {
      const buffer = context.createBuffer(1, frame.samples.length, this.sampleRate);
      buffer.copyToChannel(frame.samples, 0);
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      const now = context.currentTime;
      const start = this.nextTime >= now + MIN_AHEAD_SECONDS ? this.nextTime : now + LEAD_SECONDS;
      const scheduled: ScheduledFrame = { source, start, duration: buffer.duration, ended: false };
      source.onended = () => this.frameEnded(frame.utteranceId, scheduled);
      source.start(start);
      this.nextTime = start + buffer.duration;
      utterance.frames.push(scheduled);
      this.events.onFrameScheduled();
      this.ensureTimer();
    }
    if (frame.last) this.finish(frame.utteranceId);
    return true;
  }

  /** Every frame of the utterance has been sent (`utterance_end`). */
  finish(utteranceId: number): void {
    if (this.cancelled.has(utteranceId) || this.done.has(utteranceId)) return;
    const utterance = this.utterance(utteranceId);
    utterance.complete = true;
    this.completeIfPlayed(utteranceId, utterance);
  }

  /** Barge-in: silence the utterance at once and drop any of its frames still to come. */
  interrupt(utteranceId: number): void {
    this.cancelled.add(utteranceId);
    const utterance = this.utterances.get(utteranceId);
    if (!utterance) return;
    this.utterances.delete(utteranceId);
    this.silence(utterance);
    this.nextTime = this.latestScheduledEnd();
  }

  /**
   * Stop everything and forget every utterance id: the connection dropped, and after a reconnect the server
   * repeats what is needed, possibly numbering utterances afresh.
   */
  reset(): void {
    for (const utterance of this.utterances.values()) this.silence(utterance);
    this.utterances.clear();
    this.cancelled.clear();
    this.done.clear();
    this.nextTime = 0;
  }

  close(): void {
    this.reset();
    void this.context?.close();
    this.context = null;
  }

  private utterance(utteranceId: number): Utterance {
    let utterance = this.utterances.get(utteranceId);
    if (!utterance) {
      utterance = { frames: [], complete: false, reportedMs: -1 };
      this.utterances.set(utteranceId, utterance);
    }
    return utterance;
  }

  private silence(utterance: Utterance): void {
    for (const frame of utterance.frames) {
      if (frame.ended) continue;
      frame.ended = true; // Marked first, so its onended does not count it as played.
      frame.source.onended = null;
      frame.source.stop();
      frame.source.disconnect();
    }
  }

  private frameEnded(utteranceId: number, frame: ScheduledFrame): void {
    if (frame.ended) return;
    frame.ended = true;
    frame.source.disconnect();
    this.events.onFramePlayed();
    const utterance = this.utterances.get(utteranceId);
    if (utterance) this.completeIfPlayed(utteranceId, utterance);
  }

  private completeIfPlayed(utteranceId: number, utterance: Utterance): void {
    if (!utterance.complete || !utterance.frames.every((frame) => frame.ended)) return;
    this.utterances.delete(utteranceId);
    this.done.add(utteranceId);
    const totalMs = Math.round(utterance.frames.reduce((sum, frame) => sum + frame.duration, 0) * 1000);
    this.events.onProgress(utteranceId, totalMs, true);
  }

  private latestScheduledEnd(): number {
    let end = 0;
    for (const utterance of this.utterances.values()) {
      for (const frame of utterance.frames) end = Math.max(end, frame.start + frame.duration);
    }
    return end;
  }

  private ensureTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = window.setInterval(() => this.reportProgress(), PROGRESS_INTERVAL_MS);
  }

  private reportProgress(): void {
    const context = this.context;
    if (!context || this.utterances.size === 0) {
      window.clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = context.currentTime;
    for (const [utteranceId, utterance] of this.utterances) {
      const played = utterance.frames.reduce(
        (sum, frame) => sum + Math.min(Math.max(now - frame.start, 0), frame.duration),
        0,
      );
      const playedMs = Math.round(played * 1000);
      if (playedMs > 0 && playedMs !== utterance.reportedMs) {
        utterance.reportedMs = playedMs;
        this.events.onProgress(utteranceId, playedMs, false);
      }
    }
  }
}
