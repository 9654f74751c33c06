// The observer room's panels besides the conversation: scores with their evidence, private notes, and the
// timeline. Everything shown comes from the candidate, the set-up or observers: untrusted, so textContent only.
import { make } from "./dom";
import { label, score } from "./format";
import type { NoteAdded, ObserverEvent, ScoreLanded, SteeringApplied, UtteranceKind } from "./protocol";

export type LiveEvent = ObserverEvent["event"];

/** Latest score of each question, replaced when the question is scored again after its follow-ups. */
export class ScoresView {
  private readonly items = new Map<number, HTMLLIElement>();

  constructor(
    private readonly list: HTMLOListElement,
    private readonly empty: HTMLElement,
  ) {}

  show(scored: ScoreLanded): void {
    const item = make("li");
    item.dataset["question"] = String(scored.question_number);
    item.append(
      make("p", "score-head", `Question ${scored.question_number} · ${score(scored.overall)} / 10`),
      make("p", "score-question", scored.question),
    );
    const criteria = make("ul", "criteria");
    for (const [criterion, value] of Object.entries(scored.scores)) {
      const line = make("li", "", `${label(criterion)}: ${value}`);
      for (const quote of scored.evidence[criterion] ?? []) line.append(make("q", "", quote));
      criteria.append(line);
    }
    item.append(criteria);
    const previous = this.items.get(scored.question_number);
    if (previous) {
      previous.replaceWith(item);
    } else {
      const after = [...this.items.entries()].filter(([n]) => n > scored.question_number).sort(([a], [b]) => a - b);
      const next = after[0]?.[1];
      if (next) next.before(item);
      else this.list.append(item);
    }
    this.items.set(scored.question_number, item);
    this.empty.hidden = true;
  }
}

export function noteItem(note: NoteAdded): HTMLLIElement {
  const item = make("li", "", note.text);
  if (note.by) item.prepend(make("strong", "", `${note.by}: `));
  return item;
}

function who(by: string): string {
  return by || "An observer";
}

function excerpt(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

const UTTERANCES: Record<UtteranceKind, string> = {
  greeting: "The interviewer greets the candidate",
  question: "The interviewer asks question {n}",
  follow_up: "The interviewer follows up on question {n}",
  prompt: "The interviewer prompts the candidate",
  closing: "The interviewer closes the interview",
};

function steeringText(steering: SteeringApplied): string {
  const done = steering.status === "done";
  switch (steering.action) {
    case "ask_question":
      return done ? "The interviewer asks the observer's question" : `${who(steering.by)} queued a question: “${excerpt(steering.text)}”`;
    case "skip_topic":
      return done ? "The interviewer moves on to the next topic" : `${who(steering.by)} asked to skip the topic`;
    case "end_interview":
      return `${who(steering.by)} ended the interview`;
  }
}

/** The timeline's words for an event, or null for events too fine-grained for it (captions, states). */
export function describe(event: LiveEvent): { text: string; kind: string } | null {
  switch (event.type) {
    case "candidate_connection":
      return { text: event.connected ? "The candidate joined" : "The candidate left", kind: "connection" };
    case "utterance_start":
      if (event.kind === "question" && event.question_number === 0) {
        return { text: "The interviewer asks an observer's question", kind: "question" };
      }
      return { text: UTTERANCES[event.kind].replace("{n}", String(event.question_number)), kind: "question" };
    case "final_transcript":
      return {
        text: `The candidate ${event.answered_by === "text" ? "typed" : "said"}: “${excerpt(event.text)}”`,
        kind: "answer",
      };
    case "interrupted":
      return { text: "The candidate interrupted the interviewer", kind: "answer" };
    case "score":
      return { text: `Question ${event.question_number} scored ${score(event.overall)} / 10`, kind: "score" };
    case "steering":
      return { text: steeringText(event), kind: "steering" };
    case "note":
      return { text: `${who(event.by)} added a note`, kind: "note" };
    case "ended":
      return { text: `The interview ended: ${event.message}`, kind: "ended" };
    default:
      return null;
  }
}

export function timelineItem(at: string, text: string, kind: string): HTMLLIElement {
  const item = make("li", `kind-${kind}`);
  const time = make("time", "", new Date(at).toLocaleTimeString());
  time.dateTime = at;
  item.append(time, make("span", "what", text));
  return item;
}
