// The live interview page: one WebSocket, the microphone upstream, the interviewer's voice downstream.
//
// Flow: connect, send hello, wait for ready; the screen before the interview checks the microphone and asks
// the candidate to accept that an AI conducts it; on Start, unlock audio, open the microphone (if the check
// did not) and send start. Typing an answer is an equal alternative to speaking, and works without a
// microphone. When the connection drops, Reconnect opens the same URL; the server resumes and repeats the
// current question. A link that can no longer open the interview gets a calm page saying why.
import { describeMicrophoneError, Microphone } from "./capture";
import { LiveConnection, liveUrl } from "./connection";
import { CLOSE_EXPLANATIONS, CLOSED_PAGES } from "./close-reasons";
import { byId, showMessage } from "./dom";
import { installHooks } from "./hooks";
import { Intro, meterValue } from "./intro";
import { Player } from "./player";
import type { Ended, ErrorMessage, Ready, ServerMessage, SessionState, TurnRecord } from "./protocol";
import { QuestionCard } from "./question-card";
import { summaryItems, TranscriptView } from "./transcript";
import { clientMessage } from "./wire";

const STATE_LABELS: Record<SessionState, string> = {
  connecting: "Connecting…",
  listening: "Listening — your turn",
  thinking: "Thinking…",
  speaking: "Speaking",
  ended: "Interview ended",
};

const ui = {
  info: byId("interview-info", HTMLElement),
  live: byId("live", HTMLElement),
  closed: byId("closed", HTMLElement),
  closedHeading: byId("closed-heading", HTMLElement),
  closedText: byId("closed-text", HTMLElement),
  state: byId("state", HTMLElement),
  meter: byId("mic-level", HTMLMeterElement),
  endTurn: byId("end-turn", HTMLButtonElement),
  end: byId("end", HTMLButtonElement),
  endDialog: byId("end-dialog", HTMLDialogElement),
  micNotice: byId("mic-notice", HTMLElement),
  connectionNotice: byId("connection-notice", HTMLElement),
  connectionText: byId("connection-text", HTMLElement),
  reconnect: byId("reconnect", HTMLButtonElement),
  error: byId("server-error", HTMLElement),
  transcript: byId("transcript", HTMLOListElement),
  caption: byId("caption", HTMLElement),
  answerForm: byId("answer-form", HTMLFormElement),
  answerText: byId("answer-text", HTMLTextAreaElement),
  send: byId("send", HTMLButtonElement),
  answerStatus: byId("answer-status", HTMLElement),
  summary: byId("summary", HTMLElement),
  summaryMessage: byId("summary-message", HTMLElement),
  summaryList: byId("summary-list", HTMLOListElement),
};

const transcript = new TranscriptView(ui.transcript, ui.caption);
const question = new QuestionCard(
  byId("question-card", HTMLElement),
  byId("question-label", HTMLElement),
  byId("question-now", HTMLElement),
  byId("question-follow-up", HTMLElement),
);
const hooks = installHooks(transcript.entries);
const intro = new Intro({ openMicrophone, start: () => void startInterview() });
const player = new Player({
  onProgress(utteranceId, playedMs, done) {
    connection?.send(clientMessage({ type: "playback", utterance_id: utteranceId, played_ms: playedMs, done }));
    hooks.playbackReports++;
    if (done) hooks.utterancesPlayed.push(utteranceId);
  },
  onFrameScheduled: () => hooks.framesScheduled++,
  onFramePlayed: () => hooks.framesPlayed++,
  onFrameDropped: () => hooks.framesDropped++,
});

type PageState = SessionState | "disconnected" | null;

let connection: LiveConnection | null = null;
let microphone: Microphone | null = null;
/** The interviewer's state as last announced, or "disconnected". */
let sessionState: PageState = null;
/** The candidate pressed Start on this page: after a reconnect the interview resumes by itself. */
let startedHere = false;
/** `start` was sent on the current connection: the session is live and takes audio. */
let live = false;
let ending = false;
let ended = false;
/** A typed answer sent but not yet confirmed by its final transcript: it stays in the box until then. */
let pendingAnswer: string | null = null;
/** The server said it could not save the answer yet and is retrying it: the notice goes once it is saved. */
let savingRetried = false;

function setSessionState(state: PageState): void {
  sessionState = state;
  hooks.state = state;
}

function setStateLabel(text: string, state: SessionState | "idle" | "disconnected"): void {
  ui.state.textContent = text;
  ui.state.dataset["state"] = state;
}

/** Enable what makes sense now: the server refuses answers while it is thinking. */
function updateControls(): void {
  const active = live && !ending;
  ui.answerText.disabled = !active;
  ui.send.disabled = !active || sessionState === "thinking" || pendingAnswer !== null;
  ui.endTurn.disabled = !active || sessionState !== "listening";
  ui.end.disabled = !active;
}

function connect(url: string): void {
  hooks.connection = "connecting";
  hooks.ready = false;
  setStateLabel("Connecting…", "connecting");
  connection = new LiveConnection(url, {
    onMessage: handleMessage,
    onFrame(frame) {
      hooks.audioFramesReceived++;
      player.enqueue(frame);
    },
    onClose: handleClose,
    onUnreadable(problem) {
      console.warn(`viva: ignored unreadable message: ${problem}`);
    },
  });
}

function handleMessage(message: ServerMessage): void {
  const id = "utterance_id" in message ? message.utterance_id : "turn" in message ? message.turn : null;
  hooks.timeline.push({ type: message.type, id });
  switch (message.type) {
    case "ready":
      return handleReady(message);
    case "state":
      setSessionState(message.state);
      setStateLabel(STATE_LABELS[message.state] ?? message.state, message.state);
      showMessage(ui.answerStatus, "");
      return updateControls();
    case "speech":
      ui.meter.classList.toggle("hearing", message.active);
      return;
    case "partial_transcript":
      return transcript.caption(message.text);
    case "final_transcript":
      if (savingRetried) {
        savingRetried = false;
        showMessage(ui.error, "");
      }
      if (message.answered_by === "text") answerConfirmed();
      return transcript.candidateAnswer(message.turn, message.text, message.answered_by === "text");
    case "utterance_start":
      hooks.utterancesStarted.push(message.utterance_id);
      question.utteranceStart(message.utterance_id, message.kind, message.question_number);
      hooks.question = question.current;
      return;
    case "utterance_text":
      question.sentence(message.utterance_id, message.sentence, message.text);
      return transcript.interviewerSentence(message.utterance_id, message.sentence, message.text);
    case "utterance_end":
      question.utteranceEnd(message.utterance_id, message.text);
      transcript.interviewerFinished(message.utterance_id, message.text);
      return player.finish(message.utterance_id);
    case "interrupted":
      hooks.utterancesInterrupted.push(message.utterance_id);
      player.interrupt(message.utterance_id);
      return transcript.interviewerInterrupted(message.utterance_id, message.played_text);
    case "error":
      return handleError(message);
    case "ended":
      return handleEnded(message);
    default:
      // A newer server may send types this client does not know; they are safe to ignore.
      console.warn("viva: ignored message", message satisfies never);
  }
}

function handleReady(message: Ready): void {
  hooks.connection = "open";
  hooks.ready = true;
  player.setSampleRate(message.output_sample_rate);
  transcript.showHistory(message.history);
  question.setTotal(message.num_questions);
  ui.info.textContent = `${message.job_title} · ${message.candidate_name} · ${message.num_questions} questions`;
  ui.connectionNotice.hidden = true;
  if (startedHere) {
    // A reconnect after Start: resume at once, the server repeats the current question.
    sendStart();
  } else {
    intro.show(message.num_questions, message.started);
    intro.focus();
  }
}

function handleError(message: ErrorMessage): void {
  hooks.errors.push(`${message.code}: ${message.message}`);
  showMessage(ui.error, message.message);
  if (message.code === "store_unavailable" && !message.fatal) {
    savingRetried = true;
    return; // the server keeps the answer and retries it: it must not be sent again
  }
  // Whatever was refused, a typed answer still waiting stays in the box to be sent again.
  pendingAnswer = null;
  updateControls();
}

function handleEnded(message: Ended): void {
  ended = true;
  live = false;
  hooks.ended = true;
  hooks.summary = message.summary;
  setSessionState("ended");
  setStateLabel(STATE_LABELS.ended, "ended");
  stopMicrophone();
  closeEndDialog();
  updateControls();
  question.hide();
  showSummary(message.message, message.summary);
}

function handleClose(code: number, reason: string, wasOpen: boolean): void {
  hooks.connection = "closed";
  hooks.ready = false;
  hooks.closeCodes.push(code);
  connection = null;
  live = false;
  pendingAnswer = null;
  if (ended) return; // Normal end: let the closing words finish playing.
  player.reset();
  setSessionState("disconnected");
  setStateLabel("Disconnected", "disconnected");
  intro.unavailable();
  ending = false;
  closeEndDialog();
  updateControls();
  const closedPage = CLOSED_PAGES[code];
  if (closedPage) {
    stopMicrophone();
    return showClosed(...closedPage);
  }
  const explanation =
    CLOSE_EXPLANATIONS[code] ??
    (wasOpen ? "The connection to the server was lost." : "The server could not be reached.");
  ui.connectionText.textContent = reason ? `${explanation} (${reason})` : explanation;
  ui.connectionNotice.hidden = false;
  ui.reconnect.disabled = false;
  ui.reconnect.focus();
}

/** The link cannot open the interview (any more): say so plainly, in place of everything else. */
function showClosed(heading: string, text: string): void {
  intro.hide();
  ui.live.hidden = true;
  ui.connectionNotice.hidden = true;
  showMessage(ui.micNotice, "");
  showMessage(ui.error, "");
  ui.closedHeading.textContent = heading;
  ui.closedText.textContent = text;
  ui.closed.hidden = false;
  hooks.closed = heading;
}

function sendStart(): void {
  connection?.send(clientMessage({ type: "start" }));
  live = connection?.isOpen ?? false;
  updateControls();
}

async function openMicrophone(): Promise<void> {
  try {
    microphone = await Microphone.open({
      onFrame(pcm) {
        if (live && connection?.sendAudio(pcm)) hooks.framesSent++;
      },
      onLevel(level) {
        hooks.micLevel = level;
        ui.meter.value = meterValue(level);
        intro.level(level);
        hooks.micHeard = intro.heard;
      },
      onBadFrame(byteLength) {
        hooks.badFrames++;
        console.error(`viva: dropped an upstream audio frame of ${byteLength} bytes`);
      },
    });
    hooks.micActive = true;
    hooks.micError = null;
    showMessage(ui.micNotice, "");
  } catch (error) {
    hooks.micError = describeMicrophoneError(error);
    showMessage(ui.micNotice, `${hooks.micError} You can still answer by typing.`);
  }
  intro.microphone(microphone !== null);
}

function stopMicrophone(): void {
  microphone?.close();
  microphone = null;
  hooks.micActive = false;
  ui.meter.value = 0;
}

function showSummary(message: string, turns: TurnRecord[]): void {
  ui.summaryMessage.textContent = message;
  ui.summaryList.replaceChildren(...summaryItems(turns));
  ui.summary.hidden = false;
  ui.summary.scrollIntoView({ block: "start" });
}

function sendAnswer(): void {
  const text = ui.answerText.value.trim();
  if (!text || !connection) return;
  if (ui.send.disabled) {
    if (sessionState === "thinking") {
      showMessage(ui.answerStatus, "The interviewer is preparing what to say: send your answer in a moment.");
    }
    return;
  }
  showMessage(ui.error, "");
  connection.send(clientMessage({ type: "text_answer", text }));
  pendingAnswer = text;
  updateControls();
}

function answerConfirmed(): void {
  if (pendingAnswer !== null && ui.answerText.value.trim() === pendingAnswer) ui.answerText.value = "";
  pendingAnswer = null;
  updateControls();
}

/** Start pressed (the candidate accepted the notice): the interview screen replaces the one before it. */
async function startInterview(): Promise<void> {
  startedHere = true;
  hooks.started = true;
  intro.hide();
  ui.live.hidden = false;
  try {
    await player.unlock();
  } catch (error) {
    showMessage(ui.error, `Audio playback could not start (${String(error)}); the questions still appear below.`);
  }
  if (!microphone) await openMicrophone();
  sendStart();
  ui.answerText.focus();
}

function closeEndDialog(): void {
  if (ui.endDialog.open) ui.endDialog.close("cancel");
}

function endInterview(): void {
  if (!live || ending) return;
  connection?.send(clientMessage({ type: "end" }));
  ending = true;
  updateControls();
  setStateLabel("Ending…", "thinking");
}

function main(): void {
  const params = new URLSearchParams(window.location.search);
  const interviewId = params.get("id");
  const token = params.get("token");
  updateControls();
  if (!interviewId || !token) {
    showClosed("This link is incomplete", "It needs an interview id and a token: open the whole link from your invitation.");
    return;
  }
  const url = liveUrl(interviewId, token);

  ui.reconnect.addEventListener("click", () => {
    ui.reconnect.disabled = true;
    showMessage(ui.error, "");
    connect(url);
  });
  ui.endTurn.addEventListener("click", () => connection?.send(clientMessage({ type: "end_turn" })));
  // Ending is for good: asked in the page (no browser dialog), "Keep going" (or Escape) changes nothing.
  ui.end.addEventListener("click", () => ui.endDialog.showModal());
  ui.endDialog.addEventListener("close", () => {
    if (ui.endDialog.returnValue === "end") endInterview();
    ui.endDialog.returnValue = "";
  });
  ui.answerForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendAnswer();
  });
  ui.answerText.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      // Enter on an empty box means "I'm done speaking": the spoken turn ends at once.
      if (ui.answerText.value.trim() === "") {
        if (!ui.endTurn.disabled) ui.endTurn.click();
      } else {
        ui.answerForm.requestSubmit();
      }
    }
  });
  window.addEventListener("pagehide", () => {
    stopMicrophone();
    connection?.close();
  });
  connect(url);
}

main();
