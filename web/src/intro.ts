// The screen before the interview: a microphone check (a live level and "We hear you" once speech is heard),
// what to expect, and the notice that an AI conducts and scores the interview, which the candidate accepts
// before Start is enabled. The microphone it opens is the interview's own: Start does not ask again.
import { byId, showMessage } from "./dom";

/** RMS level of a frame that counts as the candidate's voice (about -36 dBFS, above a quiet room). */
const HEARD_LEVEL = 0.015;
/** Frames above that level before "We hear you": 100 ms of voice, not one click. */
const HEARD_FRAMES = 5;
/** A rough pace, for the time estimate: an answer, a follow-up now and then, and the questions themselves. */
const MINUTES_PER_QUESTION = 3;

export interface IntroHandlers {
  /** Open the microphone (and call `microphone()` with the outcome). */
  openMicrophone(): Promise<void>;
  start(): void;
}

/** The level a meter shows for an RMS level: speech fills most of it. */
export function meterValue(level: number): number {
  return Math.min(1, Math.sqrt(level) * 2);
}

/** How long the interview takes, roughly, for the candidate to plan around. */
export function expectedLength(questions: number): string {
  const count = questions === 1 ? "1 question" : `${questions} questions`;
  return `About ${Math.max(5, questions * MINUTES_PER_QUESTION)} minutes: ${count}, some with a short follow-up.`;
}

export class Intro {
  /** The voice passed the threshold (read by the browser tests through window.__viva). */
  heard = false;
  private loudFrames = 0;
  private ready = false;
  private readonly ui = {
    section: byId("intro", HTMLElement),
    heading: byId("intro-heading", HTMLElement),
    micCheck: byId("mic-check", HTMLButtonElement),
    level: byId("check-level", HTMLMeterElement),
    micStatus: byId("mic-check-status", HTMLElement),
    length: byId("expect-length", HTMLElement),
    consent: byId("consent", HTMLInputElement),
    start: byId("start", HTMLButtonElement),
    status: byId("intro-status", HTMLElement),
  };

  constructor(handlers: IntroHandlers) {
    this.ui.consent.checked = false; // a reload keeps form state: the notice is accepted anew on this page
    this.ui.consent.addEventListener("change", () => this.update());
    this.ui.micCheck.addEventListener("click", async () => {
      this.ui.micCheck.disabled = true;
      this.ui.micStatus.textContent = "Say a few words…";
      await handlers.openMicrophone(); // then microphone() says how it went
    });
    this.ui.start.addEventListener("click", () => {
      this.ui.start.disabled = true;
      handlers.start();
    });
  }

  get consented(): boolean {
    return this.ui.consent.checked;
  }

  /** The server is ready: say how long it takes and let the candidate start (or resume) once they accept. */
  show(questions: number, resuming: boolean): void {
    this.ready = true;
    this.ui.heading.textContent = resuming ? "Welcome back" : "Before you start";
    this.ui.length.textContent = expectedLength(questions);
    this.ui.start.textContent = resuming ? "Resume interview" : "Start interview";
    this.update();
  }

  /** The connection is gone: Start waits for it. */
  unavailable(): void {
    this.ready = false;
    this.update();
  }

  /** One frame's level from the open microphone. */
  level(level: number): void {
    this.ui.level.value = meterValue(level);
    if (this.heard || level < HEARD_LEVEL) return;
    this.loudFrames += 1;
    if (this.loudFrames >= HEARD_FRAMES) {
      this.heard = true;
      this.ui.micStatus.textContent = "We hear you.";
      this.ui.micStatus.dataset["heard"] = "true";
    }
  }

  /** The microphone opened (here or on Start), or could not be. */
  microphone(opened: boolean): void {
    this.ui.micCheck.disabled = opened;
    if (!opened) this.ui.micStatus.textContent = "No microphone: you can type your answers instead.";
    else if (!this.heard) this.ui.micStatus.textContent = "Say a few words…";
  }

  hide(): void {
    this.ui.section.hidden = true;
  }

  focus(): void {
    (this.consented ? this.ui.start : this.ui.consent).focus();
  }

  private update(): void {
    this.ui.start.disabled = !this.ready || !this.consented;
    const waiting = !this.ready ? "Connecting…" : this.consented ? "" : "Tick the box above to start.";
    showMessage(this.ui.status, waiting);
  }
}
