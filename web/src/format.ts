// How numbers, times and labels read on the interviewer's pages. "—" stands for a value that is not known.

export const NOT_KNOWN = "—";

export function score(value: number | null): string {
  return value === null ? NOT_KNOWN : value.toFixed(1);
}

export function seconds(value: number): string {
  if (value < 60) return `${Math.round(value)} s`;
  const minutes = Math.floor(value / 60);
  return `${minutes} min ${Math.round(value - minutes * 60)} s`;
}

export function milliseconds(value: number | null): string {
  return value === null ? NOT_KNOWN : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

export function dollars(value: number): string {
  return `$${value.toFixed(4)}`;
}

/** A server timestamp in the reader's locale, or "—". */
export function dateTime(iso: string | null): string {
  if (iso === null) return NOT_KNOWN;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "follow_up" -> "Follow-up", "in_progress" -> "In progress". */
export function label(identifier: string): string {
  const words = identifier === "follow_up" ? "follow-up" : identifier.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}
