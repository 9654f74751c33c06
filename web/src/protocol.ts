/* GENERATED from protocol/messages.py by `npm run gen-types`: do not edit by hand.
 * Regenerate with: .venv/bin/python -m protocol.schema | (cd web && npm run --silent gen-types) */

export type VivaProtocol = ClientMessage | ServerMessage | ObserverClientMessage | ObserverServerMessage;
export type ClientMessage = Hello | Start | TextAnswer | EndTurn | Playback | End;
export type ServerMessage =
  | Ready
  | StateChanged
  | SpeechActivity
  | PartialTranscript
  | FinalTranscript
  | UtteranceStart
  | UtteranceText
  | UtteranceEnd
  | Interrupted
  | ErrorMessage
  | Ended;
export type UtteranceKind = "greeting" | "question" | "follow_up" | "prompt" | "closing";
/**
 * What the interviewer is doing, as shown to the candidate.
 */
export type SessionState = "connecting" | "listening" | "thinking" | "speaking" | "ended";
/**
 * Stable, machine-readable error codes carried by :class:`ErrorMessage`.
 */
export type ErrorCode =
  | "malformed_json"
  | "unknown_type"
  | "invalid_message"
  | "unsupported_version"
  | "bad_audio_frame"
  | "out_of_order"
  | "message_too_large"
  | "engine_failure"
  | "internal_error"
  | "not_live"
  | "live_unavailable"
  | "store_unavailable"
  | "rate_limited";
export type EndReason =
  "completed" | "candidate_ended" | "idle_timeout" | "max_duration" | "server_shutdown" | "observer_ended";
export type ObserverClientMessage = Observe | AskQuestion | SkipTopic | AddNote | EndInterview;
export type ObserverServerMessage =
  ObserverReady | History | ObserverEvent | LiveStatusChanged | SteeringRefused | ErrorMessage;
export type LiveStatus = "live" | "degraded";
export type SteeringAction = "ask_question" | "skip_topic" | "end_interview";

/**
 * First message after the socket opens: who is talking and in what audio format.
 */
export interface Hello {
  /**
   * Free-form client name and version.
   */
  client: string;
  frame_ms: 20;
  sample_rate: 16000;
  type: "hello";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Begin the interview (or resume it after a reconnect).
 */
export interface Start {
  type: "start";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * A typed answer, an equal alternative to speaking. Ends the candidate's turn.
 */
export interface TextAnswer {
  text: string;
  type: "text_answer";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The candidate says they are done speaking (button or key), so the turn ends at once.
 */
export interface EndTurn {
  type: "end_turn";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Progress of the client's playback of one interviewer utterance.
 */
export interface Playback {
  /**
   * True once the whole utterance has been played.
   */
  done: boolean;
  /**
   * Milliseconds of this utterance played so far.
   */
  played_ms: number;
  type: "playback";
  utterance_id: number;
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The candidate ends the interview.
 */
export interface End {
  type: "end";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Answer to ``hello``: the session's parameters, and the history when resuming.
 */
export interface Ready {
  candidate_name: string;
  history: TurnRecord[];
  interview_id: string;
  job_title: string;
  num_questions: number;
  /**
   * Sample rate of the downstream audio frames, in Hz.
   */
  output_sample_rate: number;
  /**
   * True when the interview was already under way (a reconnect).
   */
  started: boolean;
  type: "ready";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * One finished exchange: what the interviewer asked and what the candidate answered.
 */
export interface TurnRecord {
  answer: string;
  answered_by: "voice" | "text";
  index: number;
  kind: UtteranceKind;
  question: string;
  /**
   * Question this turn belongs to: planned, or an observer's after the plan's (0: the greeting).
   */
  question_number: number;
}
export interface StateChanged {
  state: SessionState;
  type: "state";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Voice activity as the server hears it: confirmed speech started or stopped.
 */
export interface SpeechActivity {
  active: boolean;
  /**
   * Position in the upstream audio, in milliseconds.
   */
  at_ms: number;
  type: "speech";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * A caption of the turn so far; replaced by the next partial or the final transcript.
 */
export interface PartialTranscript {
  text: string;
  turn: number;
  type: "partial_transcript";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The transcript of a finished turn, exactly as it was saved.
 */
export interface FinalTranscript {
  answered_by: "voice" | "text";
  text: string;
  turn: number;
  type: "final_transcript";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The interviewer begins to speak; audio frames with this ``utterance_id`` follow.
 */
export interface UtteranceStart {
  kind: UtteranceKind;
  question_number: number;
  type: "utterance_start";
  utterance_id: number;
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * One sentence of the interviewer's words, sent just before its audio (a caption).
 */
export interface UtteranceText {
  sentence: number;
  text: string;
  type: "utterance_text";
  utterance_id: number;
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * All audio of the utterance has been sent (it may still be playing).
 */
export interface UtteranceEnd {
  duration_ms: number;
  text: string;
  type: "utterance_end";
  utterance_id: number;
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The candidate barged in: drop every frame of ``utterance_id`` not yet played.
 */
export interface Interrupted {
  played_ms: number;
  /**
   * The words the candidate heard; the transcript keeps only these.
   */
  played_text: string;
  type: "interrupted";
  utterance_id: number;
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Something the client sent was refused, or something failed. ``fatal`` errors are followed by a close.
 */
export interface ErrorMessage {
  code: ErrorCode;
  fatal: boolean;
  message: string;
  type: "error";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The interview is over; the server closes the socket with 1000 right after.
 */
export interface Ended {
  message: string;
  reason: EndReason;
  summary: TurnRecord[];
  type: "ended";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * First message of an observer: start watching after event ``after_seq`` (0: from the beginning).
 */
export interface Observe {
  after_seq: number;
  /**
   * Shown with this observer's steering and notes.
   */
  name: string;
  type: "observe";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Have the interviewer ask this question next, in its own voice, at the next turn boundary.
 */
export interface AskQuestion {
  /**
   * Echoed in the resulting event or refusal.
   */
  request_id: string;
  text: string;
  type: "ask_question";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Move on to the next planned question after the current answer.
 */
export interface SkipTopic {
  /**
   * Echoed in the resulting event or refusal.
   */
  request_id: string;
  type: "skip_topic";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * A private note for the report.
 */
export interface AddNote {
  /**
   * Echoed in the resulting event or refusal.
   */
  request_id: string;
  text: string;
  type: "add_note";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * End the interview now (the answer in progress is still saved).
 */
export interface EndInterview {
  /**
   * Echoed in the resulting event or refusal.
   */
  request_id: string;
  type: "end_interview";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * Answer to ``observe``: the interview being watched. The ``history`` message follows.
 */
export interface ObserverReady {
  candidate_name: string;
  interview_id: string;
  interview_type: string;
  job_title: string;
  live: LiveStatus;
  num_questions: number;
  /**
   * created, in_progress, completed or ended.
   */
  status: string;
  type: "observer_ready";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The events after the requested ``after_seq``, up to ``last_seq``, in parts of at most 500; live events
 * continue after the part marked ``complete``.
 */
export interface History {
  /**
   * False when another part of the history follows.
   */
  complete: boolean;
  events: ObserverEvent[];
  last_seq: number;
  type: "history";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * One event of the interview, numbered: ``seq`` is 1, 2, 3... per interview, without gaps.
 */
export interface ObserverEvent {
  /**
   * When the session recorded it, ISO 8601 with offset.
   */
  at: string;
  event:
    | StateChanged
    | SpeechActivity
    | PartialTranscript
    | FinalTranscript
    | UtteranceStart
    | UtteranceText
    | UtteranceEnd
    | Interrupted
    | Ended
    | CandidateConnection
    | ScoreLanded
    | SteeringApplied
    | NoteAdded;
  seq: number;
  type: "event";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The candidate's page connected to, or left, the live session (observer-only event).
 */
export interface CandidateConnection {
  connected: boolean;
  type: "candidate_connection";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * An answer was scored, beside the conversation (observer-only event). A later score of the same
 * question (after its follow-ups) replaces this one.
 */
export interface ScoreLanded {
  answer: string;
  engine: string;
  /**
   * Criterion id to the candidate's words quoted for it.
   */
  evidence: {
    [k: string]: string[];
  };
  improvement: string;
  overall: number;
  question: string;
  question_number: number;
  rubric: string;
  /**
   * Criterion id to 0-10 score.
   */
  scores: {
    [k: string]: number;
  };
  strength: string;
  type: "score";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * An observer's steering action, as the session took it (observer-only event).
 *
 * ``queued`` means it waits for the next turn boundary (a question, a skip); ``done`` that it happened (the
 * question is being spoken, the interviewer moved on, the interview is ending).
 */
export interface SteeringApplied {
  action: SteeringAction;
  /**
   * The observer's display name, as they gave it (untrusted text).
   */
  by: string;
  request_id: string;
  status: "queued" | "done";
  text: string;
  type: "steering";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * A private note of an observer, kept for the report; never sent to the candidate (observer-only event).
 */
export interface NoteAdded {
  by: string;
  request_id: string;
  text: string;
  type: "note";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * The live link between the servers was lost (events then arrive late, read from the database) or is back.
 */
export interface LiveStatusChanged {
  message: string;
  status: LiveStatus;
  type: "live_status";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
/**
 * A steering action or note could not be delivered; nothing was changed.
 */
export interface SteeringRefused {
  code: ErrorCode;
  message: string;
  request_id: string;
  type: "steering_refused";
  /**
   * Protocol version of the sender.
   */
  v: number;
}
