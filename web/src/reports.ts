// The interviewer-facing REST calls (results of one interview, the history) and the shapes they return, as
// server/http/schemas.py (ResultsResponse, HistoryPage) and server/evaluation/report.py (Report) send them.
// They go with the observer link's token when the page has one, else as the signed-in recruiter (the cookie).
import { bearer, call, callText } from "./api";
import type { InterviewType } from "./api";

export type InterviewStatus = "created" | "in_progress" | "completed" | "ended";

export const STATUS_LABELS: Record<InterviewStatus, string> = {
  created: "Not started",
  in_progress: "In progress",
  completed: "Completed",
  ended: "Ended early",
};

export interface Judgement {
  text: string;
  quotes: string[];
}

export interface CriterionSummary {
  criterion: string;
  name: string;
  /** Mean over the questions that scored it; null when none could. */
  score: number | null;
  scored_questions: number;
}

/** What a reader must know about an answer: server/evaluation/base.py Flag. */
export interface Flag {
  kind: string;
  detail: string;
  criterion: string | null;
  quotes: string[];
}

export interface QuestionResult {
  question_number: number;
  question: string;
  overall: number;
  scores: Record<string, number | null>;
  evidence: Record<string, string[]>;
  strength: Judgement;
  improvement: Judgement;
  engine: string;
  fallback_reason: string | null;
  flags: Flag[];
}

/** A strength or an improvement of the interview; its quotes are on its question's card. */
export interface Highlight {
  question_number: number;
  text: string;
}

export interface ReportFlag {
  question_number: number;
  flag: Flag;
}

export interface ObserverAction {
  at: string;
  action: string;
  text: string;
  by: string;
}

export interface ConversationMetrics {
  candidate_speaking_s: number;
  interviewer_speaking_s: number;
  talk_time_ratio: number;
  words_per_minute: number | null;
  response_delay_ms_mean: number | null;
  response_delay_ms_median: number | null;
  response_delay_ms_max: number | null;
  response_delays_measured: number;
  response_delay_estimated: boolean;
  interviewer_speech_estimated: boolean;
  spoken_answers: number;
  typed_answers: number;
  interruptions: number;
  duration_s: number | null;
}

export interface Usage {
  model_requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  transcribed_seconds: number;
  synthesized_seconds: number;
  synthesized_characters: number;
  fallbacks: number;
}

export interface ReportTurn {
  index: number;
  kind: string;
  question_number: number;
  question: string;
  answer: string;
  answered_by: string;
  answer_duration_ms: number;
  response_gap_ms: number | null;
  interrupted: boolean;
}

export interface Report {
  candidate_name: string;
  job_title: string;
  interview_type: string;
  rubric: string;
  overall: number | null;
  questions_planned: number;
  questions_scored: number;
  criteria: CriterionSummary[];
  questions: QuestionResult[];
  strengths: Highlight[];
  improvements: Highlight[];
  flags: ReportFlag[];
  recommendation: { band: string; label: string; reasons: string[] };
  metrics: ConversationMetrics;
  usage: Usage;
  estimated_cost_usd: number;
  notes: string[];
  transcript: ReportTurn[];
  observer_actions: ObserverAction[];
}

export interface QuestionScore {
  question_number: number;
  question_text: string;
  grounding: { source: string; quote: string } | null;
  answer: string;
  score: number | null;
  feedback: string;
  criteria: Record<string, number | null>;
  evidence: Record<string, string[]>;
  rationale: Record<string, string>;
  flags: Flag[];
  rubric_version: string;
  engine: string;
  evaluated_at: string;
}

export interface Results {
  interview_id: string;
  status: InterviewStatus;
  complete: boolean;
  candidate_name: string;
  job_title: string;
  interview_type: InterviewType;
  final_score: number | null;
  rubric_version: string;
  evaluated_at: string;
  questions: QuestionScore[];
  report: Report;
}

export interface HistoryItem {
  interview_id: string;
  candidate_name: string;
  job_title: string;
  interview_type: InterviewType;
  num_questions: number;
  status: InterviewStatus;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  turn_count: number;
  final_score: number | null;
}

export interface HistoryPage {
  items: HistoryItem[];
  total: number;
  limit: number;
  offset: number;
  next_offset: number | null;
}

export interface HistoryFilters {
  job_title: string;
  status: InterviewStatus | "";
  offset: number;
}

export const PAGE_SIZE = 20;

function resultsUrl(interviewId: string): string {
  return `/api/v1/interview/results/${encodeURIComponent(interviewId)}`;
}

export function fetchResults(interviewId: string, token: string | null): Promise<Results> {
  return call<Results>(resultsUrl(interviewId), { headers: bearer(token) });
}

export function fetchMarkdownReport(interviewId: string, token: string | null): Promise<string> {
  return callText(`${resultsUrl(interviewId)}?format=markdown`, { headers: bearer(token) });
}

export function fetchHistory(filters: HistoryFilters): Promise<HistoryPage> {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(filters.offset) });
  if (filters.job_title) query.set("job_title", filters.job_title);
  if (filters.status) query.set("status", filters.status);
  return call<HistoryPage>(`/api/v1/interviews?${query}`);
}

export function isInterviewStatus(value: string): value is InterviewStatus {
  return Object.hasOwn(STATUS_LABELS, value);
}
