// The observer room: observer.html?id=<interview id>[&token=<observer token>][&name=<your name>]. Without a
// token the socket goes as the signed-in recruiter (the browser sends the session cookie with the upgrade).
//
// Watches one interview live (the conversation with live captions, the interviewer's state, each answer's
// scores and evidence, a timeline) and steers it: a question for the interviewer to ask next, skip the topic,
// a private note, end the interview. Events are numbered; the page remembers the last one it applied, so a
// reconnect asks for what came after it and nothing is shown twice or missed.
//
// Steering reaches the candidate's live session, so it works only while the candidate is connected: the
// state line follows the candidate's connection (`candidate_connection` events), notes open once they have
// joined, and the interviewer's steering once the interview is under way (a `state` since they joined).
import { signInHref } from "./access";
import { byId, showMessage } from "./dom";
import { ObserverSocket, observerUrl } from "./observer-socket";
import { describe, type LiveEvent, noteItem, ScoresView, timelineItem } from "./observer-view";
import type { ObserverEvent, ObserverReady, ObserverServerMessage, SessionState, SteeringRefused } from "./protocol";
import { type TranscriptEntry, TranscriptView } from "./transcript";

/** Closes after which reconnecting with the same link cannot help. */
const FINAL_CLOSE_CODES = new Set([4001, 4003, 4004, 4011, 4012]);
const CLOSE_EXPLANATIONS: Record<number, string> = {
  1009: "The connection was closed because a message was too large.",
  1011: "The server ran into a problem.",
  1013: "The server cannot take this live room right now (too many observers, or its database is unreachable). Try again in a minute.",
  4001: "This live room link is not valid (the token was refused), or you are not signed in.",
  4003: "This link cannot open the live room (it is the candidate's link).",
  4004: "This interview does not exist.",
  4008: "The page did not start watching in time.",
  4011: "This live room link (or your sign-in session) has expired.",
  4012: "This live room link has been revoked.",
};
const STATE_LABELS: Record<SessionState, string> = {
  connecting: "The candidate has joined — waiting for them to start",
  listening: "Listening — the candidate's turn",
  thinking: "Thinking…",
  speaking: "The interviewer is speaking",
  ended: "Interview ended",
};
/** Reconnect after a dropped connection, waiting longer each time up to the last delay. */
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000, 10000];
const END_CONFIRM_MS = 5000;

export interface ObserverHooks {
  connection: "connecting" | "open" | "closed";
  ready: boolean;
  historyComplete: boolean;
  live: "live" | "degraded" | null;
  state: SessionState | null;
  candidateConnected: boolean;
  /** The candidate connected at least once (so "disconnected", not "waiting to join", when they are gone). */
  candidateSeen: boolean;
  /** The interview is under way on the candidate's current connection: steering is open. */
  underway: boolean;
  ended: boolean;
  /** The number of every event applied, in order: the browser tests check it has no gap and no repeat. */
  seqs: number[];
  transcript: TranscriptEntry[];
  caption: string;
  scores: { question_number: number; overall: number }[];
  notes: string[];
  refusals: SteeringRefused[];
  errors: string[];
  closeCodes: number[];
}

declare global {
  interface Window {
    __vivaObserver: ObserverHooks;
  }
}

const ui = {
  info: byId("room-info", HTMLElement),
  reportLink: byId("report-link", HTMLAnchorElement),
  state: byId("state", HTMLElement),
  steerHint: byId("steer-hint", HTMLElement),
  liveNotice: byId("live-notice", HTMLElement),
  connectionNotice: byId("connection-notice", HTMLElement),
  connectionText: byId("connection-text", HTMLElement),
  reconnect: byId("reconnect", HTMLButtonElement),
  signIn: byId("sign-in-link", HTMLAnchorElement),
  transcript: byId("transcript", HTMLOListElement),
  caption: byId("caption", HTMLElement),
  questionForm: byId("question-form", HTMLFormElement),
  questionText: byId("question-text", HTMLTextAreaElement),
  ask: byId("ask", HTMLButtonElement),
  skip: byId("skip", HTMLButtonElement),
  end: byId("end", HTMLButtonElement),
  noteForm: byId("note-form", HTMLFormElement),
  noteText: byId("note-text", HTMLTextAreaElement),
  addNote: byId("add-note", HTMLButtonElement),
  steerStatus: byId("steer-status", HTMLElement),
  steerError: byId("steer-error", HTMLElement),
  scores: byId("scores", HTMLOListElement),
  scoresEmpty: byId("scores-empty", HTMLElement),
  notes: byId("notes", HTMLOListElement),
  timeline: byId("timeline", HTMLOListElement),
};

const transcript = new TranscriptView(ui.transcript, ui.caption, { interviewer: "Interviewer", candidate: "Candidate" });
const scores = new ScoresView(ui.scores, ui.scoresEmpty);
const hooks: ObserverHooks = {
  connection: "connecting",
  ready: false,
  historyComplete: false,
  live: null,
  state: null,
  candidateConnected: false,
  candidateSeen: false,
  underway: false,
  ended: false,
  seqs: [],
  transcript: transcript.entries,
  caption: "",
  scores: [],
  notes: [],
  refusals: [],
  errors: [],
  closeCodes: [],
};
window.__vivaObserver = hooks;

let socket: ObserverSocket | null = null;
let lastSeq = 0;
let reconnectAttempt = 0;
let reconnectTimer: number | null = null;
let endArmedUntil = 0;
let requestCounter = 0;

function nextRequestId(): string {
  requestCounter += 1;
  return `r${requestCounter}`;
}

/** The state line: the interview's end, the candidate's connection, then what the interviewer is doing. */
function showState(): void {
  const [text, state] = stateLine();
  ui.state.textContent = text;
  ui.state.dataset["state"] = state;
}

function stateLine(): [string, string] {
  if (hooks.ended) return [STATE_LABELS.ended, "ended"];
  if (!hooks.candidateConnected) {
    return hooks.candidateSeen
      ? ["Candidate disconnected — waiting for them to come back", "disconnected"]
      : ["Waiting for the candidate to join", "idle"];
  }
  if (!hooks.underway || hooks.state === null) return [STATE_LABELS.connecting, "idle"];
  return [STATE_LABELS[hooks.state] ?? hooks.state, hooks.state];
}

function updateControls(): void {
  const open = hooks.ready && socket?.isOpen === true && !hooks.ended;
  const joined = open && hooks.candidateConnected;
  const steerable = joined && hooks.underway;
  ui.ask.disabled = !steerable;
  ui.skip.disabled = !steerable;
  ui.end.disabled = !steerable;
  ui.addNote.disabled = !joined;
  let hint = "";
  if (open && !joined) hint = "Steering and notes open once the candidate has joined.";
  else if (joined && !steerable) hint = "Steering opens once the candidate starts the interview.";
  showMessage(ui.steerHint, hint);
}

function apply(event: ObserverEvent): void {
  if (event.seq <= lastSeq) return; // the server never repeats one; this page never shows one twice either
  lastSeq = event.seq;
  hooks.seqs.push(event.seq);
  show(event.event);
  const line = describe(event.event);
  if (line) {
    ui.timeline.append(timelineItem(event.at, line.text, line.kind));
    ui.timeline.lastElementChild?.scrollIntoView({ block: "nearest" });
  }
}

function show(event: LiveEvent): void {
  switch (event.type) {
    case "state":
      hooks.state = event.state;
      if (hooks.candidateConnected && event.state !== "ended") hooks.underway = true;
      showState();
      return updateControls();
    case "partial_transcript":
      hooks.caption = event.text;
      return transcript.caption(event.text);
    case "final_transcript":
      hooks.caption = "";
      return transcript.candidateAnswer(event.turn, event.text, event.answered_by === "text");
    case "utterance_text":
      return transcript.interviewerSentence(event.utterance_id, event.sentence, event.text);
    case "utterance_end":
      return transcript.interviewerFinished(event.utterance_id, event.text);
    case "interrupted":
      return transcript.interviewerInterrupted(event.utterance_id, event.played_text);
    case "candidate_connection":
      // A new connection starts waiting for its own `start`; a closed one ends steering.
      hooks.candidateConnected = event.connected;
      hooks.candidateSeen ||= event.connected;
      hooks.underway = false;
      showState();
      return updateControls();
    case "score":
      hooks.scores = hooks.scores.filter((s) => s.question_number !== event.question_number);
      hooks.scores.push({ question_number: event.question_number, overall: event.overall });
      return scores.show(event);
    case "note":
      hooks.notes.push(event.text);
      ui.notes.append(noteItem(event));
      return;
    case "ended":
      hooks.ended = true;
      showState();
      transcript.caption("");
      return updateControls();
    case "speech":
    case "utterance_start":
    case "steering":
      return;
    default:
      console.warn("viva: ignored event", event satisfies never);
  }
}

function handleMessage(message: ObserverServerMessage): void {
  switch (message.type) {
    case "observer_ready":
      return handleReady(message);
    case "history":
      message.events.forEach(apply);
      if (message.complete) hooks.historyComplete = true;
      return;
    case "event":
      return apply(message);
    case "live_status":
      hooks.live = message.status;
      return showMessage(ui.liveNotice, message.status === "degraded" ? message.message : "");
    case "steering_refused":
      hooks.refusals.push(message);
      return showMessage(ui.steerError, message.message);
    case "error":
      hooks.errors.push(`${message.code}: ${message.message}`);
      return showMessage(ui.steerError, message.message);
    default:
      console.warn("viva: ignored message", message satisfies never);
  }
}

function handleReady(message: ObserverReady): void {
  hooks.connection = "open";
  hooks.ready = true;
  hooks.live = message.live;
  reconnectAttempt = 0;
  ui.info.textContent = `${message.job_title} · ${message.candidate_name} · ${message.num_questions} questions`;
  ui.connectionNotice.hidden = true;
  showMessage(ui.liveNotice, message.live === "degraded" ? "The live link is degraded: events may arrive late." : "");
  if (message.status === "completed" || message.status === "ended") hooks.ended = true;
  showState();
  updateControls();
}

function handleClose(code: number, reason: string, wasOpen: boolean, connect: () => void): void {
  hooks.connection = "closed";
  hooks.ready = false;
  hooks.closeCodes.push(code);
  socket = null;
  updateControls();
  const explanation =
    CLOSE_EXPLANATIONS[code] ?? (wasOpen ? "The connection to the server was lost." : "The server could not be reached.");
  ui.connectionText.textContent = reason && !CLOSE_EXPLANATIONS[code] ? `${explanation} (${reason})` : explanation;
  ui.connectionNotice.hidden = false;
  const final = FINAL_CLOSE_CODES.has(code);
  ui.reconnect.hidden = final;
  ui.signIn.hidden = !(final && code !== 4004);
  ui.signIn.href = signInHref(code === 4011 ? "session_expired" : "sign_in_required");
  if (!final) {
    const delay = RECONNECT_DELAYS_MS[Math.min(reconnectAttempt, RECONNECT_DELAYS_MS.length - 1)] ?? 10000;
    reconnectAttempt += 1;
    reconnectTimer = window.setTimeout(connect, delay);
  }
}

function steer(message: Parameters<ObserverSocket["send"]>[0], status: string): boolean {
  showMessage(ui.steerError, "");
  if (!socket?.send(message)) {
    showMessage(ui.steerError, "Not connected: the action was not sent.");
    return false;
  }
  showMessage(ui.steerStatus, status);
  return true;
}

function main(): void {
  const params = new URLSearchParams(window.location.search);
  const interviewId = params.get("id");
  const token = params.get("token");
  const name = (params.get("name") ?? "").slice(0, 60);
  updateControls();
  if (!interviewId) {
    ui.connectionText.textContent = "This live room link is incomplete: it needs an interview id.";
    ui.connectionNotice.hidden = false;
    ui.reconnect.hidden = true;
    hooks.connection = "closed";
    return;
  }
  ui.reportLink.href = `report.html?${new URLSearchParams(token ? { id: interviewId, token } : { id: interviewId })}`;
  const url = observerUrl(interviewId, token);

  const connect = (): void => {
    if (reconnectTimer !== null) window.clearTimeout(reconnectTimer);
    reconnectTimer = null;
    hooks.connection = "connecting";
    socket = new ObserverSocket(url, lastSeq, name, {
      onMessage: handleMessage,
      onClose: (code, reason, wasOpen) => handleClose(code, reason, wasOpen, connect),
    });
  };

  ui.reconnect.addEventListener("click", connect);
  ui.questionForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.questionText.value.trim();
    if (!text) return;
    if (steer({ type: "ask_question", text, request_id: nextRequestId() }, "Question sent: it is asked next.")) {
      ui.questionText.value = "";
    }
  });
  ui.skip.addEventListener("click", () => {
    steer({ type: "skip_topic", request_id: nextRequestId() }, "The interviewer moves on after the current answer.");
  });
  ui.end.addEventListener("click", () => {
    if (Date.now() > endArmedUntil) {
      endArmedUntil = Date.now() + END_CONFIRM_MS;
      ui.end.textContent = "Click again to end";
      window.setTimeout(() => (ui.end.textContent = "End interview"), END_CONFIRM_MS);
      return;
    }
    endArmedUntil = 0;
    ui.end.textContent = "End interview";
    steer({ type: "end_interview", request_id: nextRequestId() }, "Ending the interview…");
  });
  ui.noteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.noteText.value.trim();
    if (!text) return;
    if (steer({ type: "add_note", text, request_id: nextRequestId() }, "Note sent.")) ui.noteText.value = "";
  });
  window.addEventListener("pagehide", () => socket?.close());
  connect();
}

main();
