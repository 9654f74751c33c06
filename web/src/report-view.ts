// Renders one interview's results into report.html. Every string from the server (questions, answers,
// quotes, names) is untrusted and reaches the page only as text nodes.
import { type Bar, barChart } from "./chart";
import { addDefinition, byId, make } from "./dom";
import * as format from "./format";
import { highlighted } from "./highlight";
import {
  type ConversationMetrics,
  type CriterionSummary,
  type Flag,
  type Highlight,
  type Judgement,
  type ObserverAction,
  type QuestionResult,
  type QuestionScore,
  type Report,
  type ReportFlag,
  type ReportTurn,
  type Results,
  STATUS_LABELS,
} from "./reports";

const BANDS = new Set(["strong_yes", "yes", "mixed", "no", "insufficient"]);
const QUESTION_LABEL_CHARS = 56;

const ui = {
  title: byId("report-title", HTMLElement),
  meta: byId("report-meta", HTMLElement),
  progress: byId("progress-note", HTMLElement),
  overall: byId("overall-score", HTMLElement),
  scoredCount: byId("scored-count", HTMLElement),
  recommendation: byId("recommendation", HTMLElement),
  reasons: byId("reasons", HTMLUListElement),
  chartsEmpty: byId("charts-empty", HTMLElement),
  criteriaFigure: byId("criteria-figure", HTMLElement),
  criteriaChart: byId("criteria-chart", HTMLElement),
  questionsFigure: byId("questions-figure", HTMLElement),
  questionsChart: byId("questions-chart", HTMLElement),
  flagsSection: byId("flags-section", HTMLElement),
  flags: byId("flags", HTMLUListElement),
  strengths: byId("strengths", HTMLUListElement),
  improvements: byId("improvements", HTMLUListElement),
  questionsEmpty: byId("questions-empty", HTMLElement),
  questions: byId("questions", HTMLOListElement),
  metrics: byId("metrics", HTMLDListElement),
  usage: byId("usage", HTMLDListElement),
  notesSection: byId("notes-section", HTMLElement),
  notes: byId("notes", HTMLUListElement),
  observersSection: byId("observers-section", HTMLElement),
  observerActions: byId("observer-actions", HTMLUListElement),
  transcriptEmpty: byId("transcript-empty", HTMLElement),
  transcript: byId("transcript", HTMLOListElement),
};

export function renderResults(results: Results): void {
  const report = results.report;
  renderHeader(results);
  renderOverview(results);
  renderFlags(report.flags);
  renderCharts(report);
  renderHighlights(ui.strengths, report.strengths, "strength", "No strength stood out yet.");
  renderHighlights(ui.improvements, report.improvements, "improvement", "Nothing to improve was noted yet.");
  renderQuestions(results.questions, report);
  renderMetrics(report);
  renderUsage(report);
  ui.notes.replaceChildren(...report.notes.map((note) => make("li", "", note)));
  ui.notesSection.hidden = report.notes.length === 0;
  renderObserverActions(report.observer_actions ?? []);
  renderTranscript(report.transcript);
}

function renderHeader(results: Results): void {
  ui.title.textContent = `${results.candidate_name} — ${results.job_title}`;
  document.title = `Viva — report: ${results.candidate_name}`;
  ui.meta.textContent = [
    `${format.label(results.interview_type)} interview`,
    STATUS_LABELS[results.status],
    `rubric ${results.rubric_version}`,
    `scored ${format.dateTime(results.evaluated_at)}`,
  ].join(" · ");
  ui.progress.textContent = progressNote(results);
  ui.progress.hidden = results.complete;
}

function progressNote(results: Results): string {
  if (results.complete) return "";
  if (results.report.transcript.length === 0) {
    return "The interview has not started yet: there is nothing to score. Refresh once the candidate has answered.";
  }
  const answered = results.questions.length;
  return (
    `The interview is still in progress: these are the results of the ${answered} question` +
    `${answered === 1 ? "" : "s"} answered so far. Refresh for the latest.`
  );
}

function renderOverview(results: Results): void {
  const report = results.report;
  ui.overall.textContent = format.score(report.overall);
  ui.scoredCount.textContent = `${report.questions_scored} of ${report.questions_planned} planned questions scored`;
  ui.recommendation.textContent = report.recommendation.label;
  const band = report.recommendation.band;
  ui.recommendation.dataset["band"] = BANDS.has(band) ? band : "insufficient";
  ui.reasons.replaceChildren(...report.recommendation.reasons.map((reason) => make("li", "", reason)));
}

const FLAG_LABELS: Record<string, string> = {
  restated_job_description: "Restates the job description",
  restated_resume: "Restates the resume",
  restated_question: "Restates the question",
  injection_attempt: "Injection attempt",
  unreliable_transcript: "Unreliable transcript",
  unscored_criterion: "Not scored",
  not_verified: "Not verified",
  no_substance: "No substance",
  empty_answer: "No answer",
};

/** The question card a flag or a highlight points at. */
function questionLink(questionNumber: number): HTMLAnchorElement {
  const link = make("a", "question-link", `Question ${questionNumber}`);
  link.href = `#question-${questionNumber}`;
  return link;
}

/** A flag: in the summary with a link to its question, on the question's card with the words it is about
 * (so each quote appears once on the page: a quote the card already shows, such as the job description line
 * the question was asked about, is pointed to rather than repeated). */
function flagItem(flag: Flag, questionNumber: number | null, onCard: ReadonlySet<string> = new Set()): HTMLLIElement {
  const item = make("li", "flag");
  item.dataset["kind"] = flag.kind;
  const head = make("p");
  head.append(make("strong", "flag-kind", FLAG_LABELS[flag.kind] ?? format.label(flag.kind)));
  if (questionNumber !== null) head.append(" · ", questionLink(questionNumber));
  head.append(` — ${flag.detail}`);
  item.append(head);
  if (questionNumber === null) {
    const fresh = flag.quotes.filter((quote) => !onCard.has(quote));
    if (fresh.length) item.append(quoteList(fresh));
    if (fresh.length < flag.quotes.length) item.append(make("p", "status", "Repeats the line quoted above."));
  }
  return item;
}

/** What a reader must check before sharing the report: each flag with the answer it is about. */
function renderFlags(flags: ReportFlag[]): void {
  ui.flagsSection.hidden = flags.length === 0;
  ui.flags.replaceChildren(...flags.map((f) => flagItem(f.flag, f.question_number)));
}

function renderCharts(report: Report): void {
  const scored = report.questions.length > 0;
  ui.chartsEmpty.hidden = scored;
  ui.criteriaFigure.hidden = !scored;
  ui.questionsFigure.hidden = !scored;
  if (!scored) {
    ui.criteriaChart.replaceChildren();
    ui.questionsChart.replaceChildren();
    return;
  }
  const criteria: Bar[] = report.criteria
    .filter((c): c is CriterionSummary & { score: number } => c.score !== null)
    .map((c) => ({ label: c.name, value: c.score }));
  const questions: Bar[] = report.questions.map((q) => ({
    label: `Q${q.question_number}: ${format.truncate(q.question, QUESTION_LABEL_CHARS)}`,
    value: q.overall,
  }));
  ui.criteriaChart.replaceChildren(barChart("Scores by criterion, out of 10", criteria));
  ui.questionsChart.replaceChildren(barChart("Scores by question, out of 10", questions));
}

function quoteList(quotes: string[]): HTMLUListElement {
  const list = make("ul", "quotes");
  for (const quote of quotes) {
    const item = make("li");
    item.append(make("q", "", quote));
    list.append(item);
  }
  return list;
}

function judgementItem(judgement: Judgement, kind: "strength" | "improvement"): HTMLLIElement {
  const item = make("li", `judgement ${kind}`);
  item.append(make("p", "", judgement.text));
  if (judgement.quotes.length) item.append(quoteList(judgement.quotes));
  return item;
}

/** The interview's strengths or improvements; each names its question, whose card quotes the answer. */
function renderHighlights(
  list: HTMLUListElement,
  highlights: Highlight[],
  kind: "strength" | "improvement",
  none: string,
): void {
  list.replaceChildren(
    ...(highlights.length
      ? highlights.map((h) => {
          const item = make("li", `judgement ${kind}`);
          const text = make("p", "", `${h.text} `);
          text.append(make("span", "status", "("), questionLink(h.question_number), make("span", "status", ")"));
          item.append(text);
          return item;
        })
      : [make("li", "status", none)]),
  );
}

function renderQuestions(questions: QuestionScore[], report: Report): void {
  const results = new Map(report.questions.map((q) => [q.question_number, q]));
  ui.questionsEmpty.hidden = questions.length > 0;
  ui.questions.replaceChildren(
    ...questions.map((q) => questionCard(q, results.get(q.question_number) ?? null, report.criteria)),
  );
}

const GROUNDING_SOURCES: Record<string, string> = {
  resume: "resume",
  job_description: "job description",
  bank: "question bank",
  job_title: "job title",
};

function questionCard(
  score: QuestionScore,
  result: QuestionResult | null,
  criteria: CriterionSummary[],
): HTMLLIElement {
  const card = make("li", "card question-card");
  card.dataset["question"] = String(score.question_number);
  card.id = `question-${score.question_number}`;

  const heading = make("div", "question-heading");
  heading.append(
    make("h3", "", `Question ${score.question_number}`),
    make("p", "question-score", `${format.score(score.score)} / 10`),
  );
  card.append(heading, make("p", "question-text", score.question_text));
  if (score.grounding?.source === "observer") {
    card.append(make("p", "grounding status", "Asked by an observer."));
  } else if (score.grounding) {
    const source = GROUNDING_SOURCES[score.grounding.source] ?? score.grounding.source;
    const grounding = make("p", "grounding status", `Asked about the ${source}: `);
    grounding.append(make("q", "", score.grounding.quote));
    card.append(grounding);
  }

  const flags = score.flags ?? result?.flags ?? [];
  if (flags.length) {
    const list = make("ul", "flags");
    const shown = new Set(score.grounding?.quote ? [score.grounding.quote] : []);
    list.append(...flags.map((flag) => flagItem(flag, null, shown)));
    card.append(list);
  }

  const judgements = result ? [result.strength, result.improvement] : [];
  const evidence = Object.values(score.evidence).flat();
  const answer = make("p", "answer");
  answer.append(...highlighted(score.answer, [...evidence, ...judgements.flatMap((j) => j.quotes)]));
  card.append(make("h4", "", "Answer"), answer);

  card.append(make("h4", "", "Scores by criterion"), criteriaTable(score, criteria));
  if (result) {
    const feedback = make("ul", "judgements");
    feedback.append(judgementItem(result.strength, "strength"), judgementItem(result.improvement, "improvement"));
    card.append(make("h4", "", "Feedback"), feedback);
  }
  const scoredBy = `Scored by the ${score.engine} engine under ${score.rubric_version}`;
  card.append(make("p", "status engine", `${scoredBy}, ${format.dateTime(score.evaluated_at)}.`));
  if (result?.fallback_reason) card.append(make("p", "status", `Fallback: ${result.fallback_reason}`));
  return card;
}

function criteriaTable(score: QuestionScore, criteria: CriterionSummary[]): HTMLTableElement {
  const table = make("table", "criteria-table");
  const head = make("tr");
  head.append(make("th", "", "Criterion"), make("th", "number", "Score"), make("th", "", "Evidence"));
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const criterion of criteria) {
    const value = score.criteria[criterion.criterion];
    const quotes = score.evidence[criterion.criterion] ?? [];
    const row = make("tr");
    const scoreCell = make("td", "number");
    if (value === null) {
      scoreCell.textContent = "Not scored";
      scoreCell.classList.add("unscored");
    } else if (value === undefined) {
      scoreCell.textContent = format.NOT_KNOWN;
    } else {
      const meter = make("meter");
      meter.min = 0;
      meter.max = 10;
      meter.value = value;
      scoreCell.append(meter, String(value));
    }
    const evidenceCell = make("td", "evidence-cell");
    if (quotes.length) evidenceCell.append(quoteList(quotes));
    else evidenceCell.append(make("span", "status", "No quote"));
    const why = score.rationale[criterion.criterion];
    if (why) evidenceCell.append(make("p", "status rationale", why));
    row.append(make("th", "criterion-name", criterion.name), scoreCell, evidenceCell);
    row.firstElementChild?.setAttribute("scope", "row");
    body.append(row);
  }
  return table;
}

/** The response delay in words, as the Markdown report says it (server/evaluation/report.py). */
export function responseDelayText(m: ConversationMetrics): string {
  if (m.spoken_answers === 0) return "Not measured (no spoken answers)";
  if (m.response_delay_ms_mean === null) {
    return `Not recorded for the ${m.spoken_answers} spoken answer${m.spoken_answers === 1 ? "" : "s"}`;
  }
  const over = `${m.response_delays_measured} spoken answer${m.response_delays_measured === 1 ? "" : "s"}`;
  return (
    `mean ${format.milliseconds(m.response_delay_ms_mean)}, median ${format.milliseconds(m.response_delay_ms_median)}, ` +
    `longest ${format.milliseconds(m.response_delay_ms_max)} over ${over}, from the end of the question to the ` +
    `start of the answer${m.response_delay_estimated ? " (some question lengths estimated from their words)" : ""}`
  );
}

function renderMetrics(report: Report): void {
  const m = report.metrics;
  ui.metrics.replaceChildren();
  const talk = make("meter");
  talk.min = 0;
  talk.max = 1;
  talk.value = m.talk_time_ratio;
  addDefinition(
    ui.metrics,
    "Talk time",
    talk,
    ` Candidate's share ${format.percent(m.talk_time_ratio)} (candidate ${format.seconds(m.candidate_speaking_s)}, ` +
      `interviewer ${format.seconds(m.interviewer_speaking_s)}${m.interviewer_speech_estimated ? ", estimated" : ""})`,
  ).id = "talk-time";
  addDefinition(
    ui.metrics,
    "Speaking rate",
    m.words_per_minute === null ? "No spoken answers" : `${Math.round(m.words_per_minute)} words per minute`,
  ).id = "words-per-minute";
  addDefinition(ui.metrics, "Response delay", responseDelayText(m)).id = "response-delay";
  addDefinition(ui.metrics, "Spoken answers", String(m.spoken_answers));
  addDefinition(ui.metrics, "Typed answers", String(m.typed_answers));
  addDefinition(ui.metrics, "Interruptions", String(m.interruptions));
  addDefinition(ui.metrics, "Length", m.duration_s === null ? format.NOT_KNOWN : format.seconds(m.duration_s));
}

function renderUsage(report: Report): void {
  const u = report.usage;
  ui.usage.replaceChildren();
  addDefinition(
    ui.usage,
    "Model requests",
    `${u.model_requests} (${u.prompt_tokens} tokens in, ${u.completion_tokens} out)`,
  );
  addDefinition(ui.usage, "Audio transcribed", format.seconds(u.transcribed_seconds));
  addDefinition(
    ui.usage,
    "Speech synthesized",
    `${format.seconds(u.synthesized_seconds)} (${u.synthesized_characters} characters)`,
  );
  addDefinition(ui.usage, "Engine fallbacks", String(u.fallbacks));
  addDefinition(ui.usage, "Estimated cost", format.dollars(report.estimated_cost_usd)).id = "estimated-cost";
}

const OBSERVER_ACTIONS: Record<string, string> = {
  note: "Note",
  ask_question: "Asked the interviewer to ask",
  skip_topic: "Skipped the topic",
  end_interview: "Ended the interview",
};

/** Observers' private notes and steering, in order, as the Markdown report lists them. */
function renderObserverActions(actions: ObserverAction[]): void {
  ui.observersSection.hidden = actions.length === 0;
  ui.observerActions.replaceChildren(
    ...actions.map((action) => {
      const item = make("li", `observer-action ${action.action}`);
      const head = make("p");
      head.append(
        make("time", "status", format.dateTime(action.at)),
        " ",
        make("strong", "", OBSERVER_ACTIONS[action.action] ?? format.label(action.action)),
      );
      if (action.by) head.append(make("span", "status", ` (${action.by})`));
      item.append(head);
      if (action.text) item.append(make("p", "observer-text", action.text));
      return item;
    }),
  );
}

function transcriptEntry(speaker: "interviewer" | "candidate", title: string, text: string): HTMLLIElement {
  const item = make("li", `entry ${speaker}`);
  item.append(make("span", "speaker", title), make("p", "text", text));
  return item;
}

function answerTitle(turn: ReportTurn): string {
  const parts = [turn.answered_by === "text" ? "Candidate (typed)" : "Candidate"];
  if (turn.answer_duration_ms > 0) parts.push(`spoke ${format.milliseconds(turn.answer_duration_ms)}`);
  if (turn.response_gap_ms !== null) parts.push(`after ${format.milliseconds(turn.response_gap_ms)}`);
  return parts.join(" · ");
}

function renderTranscript(turns: ReportTurn[]): void {
  ui.transcriptEmpty.hidden = turns.length > 0;
  ui.transcript.replaceChildren();
  for (const turn of turns) {
    const interrupted = turn.interrupted ? " · interrupted" : "";
    const asked = transcriptEntry(
      "interviewer",
      `Interviewer · ${format.label(turn.kind)} · question ${turn.question_number}${interrupted}`,
      turn.question,
    );
    ui.transcript.append(asked, transcriptEntry("candidate", answerTitle(turn), turn.answer));
  }
}
