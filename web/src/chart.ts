// A horizontal bar chart as inline SVG, built with DOM calls (no chart library, no markup from data):
// one row per bar, its label above it and its value at its end, on a 0..max scale.
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 440;
const ROW_HEIGHT = 42;
const LABEL_HEIGHT = 16;
const BAR_HEIGHT = 16;
/** Room right of the longest bar for its value. */
const VALUE_ROOM = 44;

export interface Bar {
  label: string;
  value: number;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text = "",
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text) element.textContent = text;
  return element;
}

/** Bars scored 0..max, with a class by level (low, mid, high) so the stylesheet can colour them. */
export function barChart(title: string, bars: Bar[], max = 10): SVGSVGElement {
  const height = Math.max(bars.length, 1) * ROW_HEIGHT;
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img", class: "chart" });
  chart.setAttribute("aria-label", title);
  chart.append(svg("title", {}, title));
  const span = WIDTH - VALUE_ROOM;
  bars.forEach((bar, row) => {
    const top = row * ROW_HEIGHT;
    const value = Math.min(Math.max(bar.value, 0), max);
    const level = value >= 7 ? "high" : value >= 5 ? "mid" : "low";
    const barTop = top + LABEL_HEIGHT + 4;
    const group = svg("g", { class: "chart-row" });
    group.append(
      svg("text", { x: 0, y: top + LABEL_HEIGHT - 3, class: "chart-label" }, bar.label),
      svg("rect", { x: 0, y: barTop, width: span, height: BAR_HEIGHT, rx: 3, class: "track" }),
      svg("rect", {
        x: 0,
        y: barTop,
        width: (span * value) / max,
        height: BAR_HEIGHT,
        rx: 3,
        class: `bar ${level}`,
      }),
      svg("text", { x: (span * value) / max + 6, y: barTop + BAR_HEIGHT - 3, class: "chart-value" }, value.toFixed(1)),
    );
    group.append(svg("title", {}, `${bar.label}: ${value.toFixed(1)} / ${max}`));
    chart.append(group);
  });
  return chart;
}
