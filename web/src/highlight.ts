// The candidate's answer with the words a judgement quotes marked: quotes are found in the answer (exactly,
// else ignoring case), overlapping finds are merged, and the result is text nodes and <mark> elements.
import { make } from "./dom";

interface Span {
  start: number;
  end: number;
}

function find(text: string, quote: string): Span | null {
  let start = text.indexOf(quote);
  if (start < 0) {
    const lower = text.toLowerCase();
    // Lower-casing can change a string's length (rare letters); then positions would not line up.
    if (lower.length === text.length) start = lower.indexOf(quote.toLowerCase());
  }
  return start < 0 ? null : { start, end: start + quote.length };
}

/** Where the quotes occur in the text, sorted and merged; quotes not found are left out. */
export function quotedSpans(text: string, quotes: string[]): Span[] {
  const found = quotes
    .map((quote) => quote.trim())
    .filter((quote) => quote !== "")
    .map((quote) => find(text, quote))
    .filter((span): span is Span => span !== null)
    .sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of found) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The text as nodes, with each quoted part in a <mark>. */
export function highlighted(text: string, quotes: string[]): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  for (const span of quotedSpans(text, quotes)) {
    if (span.start > at) nodes.push(document.createTextNode(text.slice(at, span.start)));
    nodes.push(make("mark", "evidence", text.slice(span.start, span.end)));
    at = span.end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}
