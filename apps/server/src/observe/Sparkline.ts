/**
 * ASCII sparklines for LATENCY GRAPH, ported from Redis's sparkline.c (itself from
 * antirez/aspark) so the graph is drawn character for character as Redis draws it.
 */
export interface SparklineSample {
  value: number;
  /** Printed vertically under the column; empty for none. */
  label: string;
}

const CHARSET_FILL = "_o#";
const CHARSET_LEN = 3;
const LABEL_MARGIN_TOP = 1;

/** sparklineRender with SPARKLINE_FILL: `columns` samples per block, `rows` rows of bars. */
export function renderSparkline(samples: readonly SparklineSample[], columns: number, rows: number): string {
  let min = 0;
  let max = 0;
  let labels = 0;
  samples.forEach((s, i) => {
    if (i === 0) {
      min = max = s.value;
    } else if (s.value < min) {
      min = s.value;
    } else if (s.value > max) {
      max = s.value;
    }
    if (s.label !== "") labels++;
  });
  let out = "";
  for (let j = 0; j < samples.length; j += columns) {
    if (j !== 0) out += "\n";
    out += renderRange(samples, min, max, labels, rows, j, Math.min(samples.length - j, columns));
  }
  return out;
}

function renderRange(
  samples: readonly SparklineSample[],
  min: number,
  max: number,
  labels: number,
  rows: number,
  offset: number,
  len: number,
): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = CHARSET_LEN * rows;
  let out = "";
  for (let row = 0; ; row++) {
    const chars: string[] = new Array<string>(len).fill(" ");
    let more = false;
    for (let j = 0; j < len; j++) {
      const s = samples[j + offset]!;
      // C: step = (int)(relval*steps)/relmax, truncated again on assignment to int.
      let step = Math.trunc(Math.trunc((s.value - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charIdx = step - (rows - row - 1) * CHARSET_LEN;
        more = true;
        if (charIdx >= 0 && charIdx < CHARSET_LEN) chars[j] = CHARSET_FILL[charIdx]!;
        else if (charIdx >= CHARSET_LEN) chars[j] = "|";
      } else {
        // One blank row between the bars and the labels.
        if (labels > 0 && row - rows < LABEL_MARGIN_TOP) {
          more = true;
          break;
        }
        const labelChar = row - rows - LABEL_MARGIN_TOP;
        if (s.label !== "" && s.label.length > labelChar) {
          more = true;
          chars[j] = s.label[labelChar]!;
        }
      }
    }
    if (!more) break;
    out += `${chars.join("")}\n`;
  }
  return out;
}
