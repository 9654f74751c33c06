// The question under discussion, kept on screen as a card: "Question 2 of 5" and its full text.
//
// The interviewer speaks in utterances of a kind (protocol UtteranceKind). A `question` starts a new card (a
// planned one, or an observer's, numbered after the plan's); a `follow_up` shows under the question it
// follows; the greeting and the closing ask nothing, and prompts (repeat, rephrase, "take your time") do not
// change the question: none of them touch the card. The card keeps every sentence it was sent, also when the
// candidate interrupts (the transcript then shows only the words heard); the server sends captions a moment
// ahead of the audio, so a question cut off in its first words may lack its last sentence.
import type { UtteranceKind } from "./protocol";

export interface CurrentQuestion {
  number: number;
  label: string;
  text: string;
  followUp: string;
}

type Part = "text" | "followUp";

export class QuestionCard {
  /** What is shown (read by the browser tests through window.__viva), or null before the first question. */
  current: CurrentQuestion | null = null;
  private total = 0;
  /** The utterance being spoken and the part of the card its words fill; null when it is not for the card. */
  private speaking: { id: number; part: Part; sentences: string[] } | null = null;

  constructor(
    private readonly card: HTMLElement,
    private readonly label: HTMLElement,
    private readonly text: HTMLElement,
    private readonly followUp: HTMLElement,
  ) {}

  /** The number of planned questions (from `ready`). */
  setTotal(total: number): void {
    this.total = total;
    if (this.current) this.current.label = this.labelFor(this.current.number);
    this.render();
  }

  utteranceStart(utteranceId: number, kind: UtteranceKind, questionNumber: number): void {
    if (kind !== "question" && kind !== "follow_up") {
      this.speaking = null;
      return;
    }
    const sameQuestion = this.current !== null && this.current.number === questionNumber;
    if (kind === "follow_up" && sameQuestion) {
      this.speaking = { id: utteranceId, part: "followUp", sentences: [] };
      return;
    }
    // A new question, a question said again in full, or a follow-up with no question on the card (a resume).
    this.current = { number: questionNumber, label: this.labelFor(questionNumber), text: "", followUp: "" };
    this.speaking = { id: utteranceId, part: "text", sentences: [] };
    this.render();
  }

  sentence(utteranceId: number, index: number, text: string): void {
    if (this.speaking?.id !== utteranceId) return;
    this.speaking.sentences[index] = text;
    this.fill(this.speaking.sentences.filter(Boolean).join(" "));
  }

  /** The whole utterance has been sent: its complete text. */
  utteranceEnd(utteranceId: number, text: string): void {
    if (this.speaking?.id === utteranceId && text) this.fill(text);
  }

  hide(): void {
    this.speaking = null;
    this.card.hidden = true;
  }

  private fill(text: string): void {
    if (!this.current || !this.speaking) return;
    this.current[this.speaking.part] = text;
    this.render();
  }

  private labelFor(questionNumber: number): string {
    if (questionNumber >= 1 && questionNumber <= this.total) return `Question ${questionNumber} of ${this.total}`;
    return "An extra question";
  }

  private render(): void {
    if (!this.current) return;
    this.label.textContent = this.current.label;
    this.text.textContent = this.current.text;
    this.followUp.textContent = this.current.followUp;
    this.followUp.hidden = this.current.followUp === "";
    this.card.hidden = this.current.text === "";
  }
}
