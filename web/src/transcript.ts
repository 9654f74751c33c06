// The running transcript: the interviewer's words by utterance, the candidate's answers by turn, and a live
// caption of the answer being spoken. Everything shown is untrusted text and goes through textContent.
import { make } from "./dom";
import type { TurnRecord } from "./protocol";

export type Speaker = "interviewer" | "candidate";

export interface TranscriptEntry {
  speaker: Speaker;
  text: string;
  /** The interviewer was cut off by the candidate; `text` is what was heard. */
  interrupted: boolean;
  /** The candidate typed this answer. */
  typed: boolean;
}

export type SpeakerLabels = Record<Speaker, string>;

/** How the candidate's own page names the speakers; the observer room names the candidate "Candidate". */
const CANDIDATE_VIEW_LABELS: SpeakerLabels = { interviewer: "Interviewer", candidate: "You" };

/** One line of the transcript and its element. */
class Row {
  readonly sentences: string[] = [];
  private readonly item: HTMLLIElement;
  private readonly textLine: HTMLParagraphElement;

  constructor(
    readonly entry: TranscriptEntry,
    list: HTMLOListElement,
    labels: SpeakerLabels,
  ) {
    this.item = make("li", `entry ${entry.speaker}`);
    this.textLine = make("p", "text");
    this.item.append(make("span", "speaker", labels[entry.speaker]), this.textLine);
    list.append(this.item);
  }

  setText(text: string): void {
    this.entry.text = text;
    this.textLine.textContent = text;
    this.item.classList.toggle("interrupted", this.entry.interrupted);
    this.item.classList.toggle("typed", this.entry.typed);
    this.item.scrollIntoView({ block: "nearest" });
  }
}

export class TranscriptView {
  /** What is shown, in order (read by the browser test through window.__viva). */
  readonly entries: TranscriptEntry[] = [];
  private readonly rows = new Map<string, Row>();

  constructor(
    private readonly list: HTMLOListElement,
    private readonly captionLine: HTMLElement,
    private readonly labels: SpeakerLabels = CANDIDATE_VIEW_LABELS,
  ) {}

  /** Replace everything with the finished turns of a resumed interview. */
  showHistory(history: TurnRecord[]): void {
    this.list.replaceChildren();
    this.entries.length = 0;
    this.rows.clear();
    this.caption("");
    for (const turn of history) {
      if (turn.question) this.row(`history-q${turn.index}`, "interviewer").setText(turn.question);
      if (turn.answer) this.row(`history-a${turn.index}`, "candidate", turn.answered_by === "text").setText(turn.answer);
    }
  }

  /** One sentence of an interviewer utterance, shown as it is spoken. */
  interviewerSentence(utteranceId: number, sentence: number, text: string): void {
    const row = this.row(`utterance-${utteranceId}`, "interviewer");
    row.sentences[sentence] = text;
    row.setText(row.sentences.filter(Boolean).join(" "));
  }

  /** The whole utterance has been sent: its complete text replaces the sentences. */
  interviewerFinished(utteranceId: number, text: string): void {
    if (text) this.row(`utterance-${utteranceId}`, "interviewer").setText(text);
  }

  /** The candidate barged in: keep only the words that were heard. */
  interviewerInterrupted(utteranceId: number, heard: string): void {
    const row = this.row(`utterance-${utteranceId}`, "interviewer");
    row.entry.interrupted = true;
    row.setText(heard ? `${heard} …` : "…");
  }

  /** A live caption of the answer being spoken; empty hides it. */
  caption(text: string): void {
    this.captionLine.textContent = text;
    this.captionLine.hidden = text === "";
  }

  /** The candidate's finished answer, exactly as saved. */
  candidateAnswer(turn: number, text: string, typed: boolean): void {
    this.caption("");
    this.row(`turn-${turn}`, "candidate", typed).setText(text);
  }

  private row(key: string, speaker: Speaker, typed = false): Row {
    let row = this.rows.get(key);
    if (!row) {
      row = new Row({ speaker, text: "", interrupted: false, typed }, this.list, this.labels);
      this.rows.set(key, row);
      this.entries.push(row.entry);
    }
    return row;
  }
}

/** The summary of a finished interview: each question and its answer (typed ones marked). */
export function summaryItems(turns: TurnRecord[]): HTMLLIElement[] {
  return turns
    .filter((turn) => turn.question || turn.answer)
    .map((turn) => {
      const item = make("li");
      if (turn.question) item.append(make("p", "question", turn.question));
      item.append(make("p", "answer", turn.answer || "(no answer)"));
      if (turn.answered_by === "text" && turn.answer) item.classList.add("typed");
      return item;
    });
}
