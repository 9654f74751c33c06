// Counters and state of the interview page on window.__viva, so a browser test can wait on conditions
// (audio sent, played, transcribed) instead of sleeping. Read-only for anything but this page.
import type { SessionState, TurnRecord } from "./protocol";
import type { CurrentQuestion } from "./question-card";
import type { TranscriptEntry } from "./transcript";

export interface TimelineEvent {
  type: string;
  id: number | null;
}

export interface VivaHooks {
  connection: "connecting" | "open" | "closed";
  /** `ready` arrived on the current connection. */
  ready: boolean;
  /** The candidate pressed Start on this page. */
  started: boolean;
  ended: boolean;
  state: SessionState | "disconnected" | null;
  micActive: boolean;
  micError: string | null;
  micLevel: number;
  /** The microphone check heard the candidate's voice ("We hear you"). */
  micHeard: boolean;
  /** Upstream frames sent, and frames of a wrong size that were dropped (should stay 0). */
  framesSent: number;
  badFrames: number;
  audioFramesReceived: number;
  framesScheduled: number;
  framesPlayed: number;
  framesDropped: number;
  utterancesStarted: number[];
  /** Utterances whose last frame finished playing (reported with done=true). */
  utterancesPlayed: number[];
  utterancesInterrupted: number[];
  playbackReports: number;
  transcript: TranscriptEntry[];
  /** Every control message received, in order, with its utterance id or turn number when it has one. */
  timeline: TimelineEvent[];
  errors: string[];
  closeCodes: number[];
  summary: TurnRecord[] | null;
  /** The current question's card, or null before the first question. */
  question: CurrentQuestion | null;
  /** The heading of the page shown in place of the interview when the link cannot open it, or null. */
  closed: string | null;
}

declare global {
  interface Window {
    __viva: VivaHooks;
  }
}

export function installHooks(transcript: TranscriptEntry[]): VivaHooks {
  window.__viva = {
    connection: "connecting",
    ready: false,
    started: false,
    ended: false,
    state: null,
    micActive: false,
    micError: null,
    micLevel: 0,
    micHeard: false,
    framesSent: 0,
    badFrames: 0,
    audioFramesReceived: 0,
    framesScheduled: 0,
    framesPlayed: 0,
    framesDropped: 0,
    utterancesStarted: [],
    utterancesPlayed: [],
    utterancesInterrupted: [],
    playbackReports: 0,
    transcript,
    timeline: [],
    errors: [],
    closeCodes: [],
    summary: null,
    question: null,
    closed: null,
  };
  return window.__viva;
}
