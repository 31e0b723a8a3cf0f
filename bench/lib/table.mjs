// Markdown tables and number formats for the bench reports.

/**
 * Renders a GitHub-flavoured markdown table; columns whose alignment is 'right' are padded
 * on the left so the raw text lines up too.
 * @param {readonly string[]} headers
 * @param {readonly (readonly string[])[]} rows
 * @param {readonly ('left' | 'right')[]} [align]
 */
export function markdownTable(headers, rows, align = []) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length), 3));
  const pad = (/** @type {string} */ text, /** @type {number} */ i) =>
    align[i] === 'right' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const line = (/** @type {readonly string[]} */ cells) =>
    `| ${headers.map((_, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  const rule = `|${headers.map((_, i) => (align[i] === 'right' ? `${'-'.repeat((widths[i] ?? 0) + 1)}:` : '-'.repeat((widths[i] ?? 0) + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Integer with thousands separators; '—' for a missing value. @param {number} n */
export function formatInt(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** @param {number} n @param {number} [digits] */
export function formatFixed(n, digits = 2) {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

/** A ratio such as "0.87×". @param {number} n */
export function formatRatio(n) {
  return Number.isFinite(n) ? `${n.toFixed(2)}×` : '—';
}

/** Bytes in MiB with one decimal. @param {number} n */
export function formatMiB(n) {
  return Number.isFinite(n) ? `${(n / 1048576).toFixed(1)} MiB` : '—';
}

/** Two values side by side, "a / b". @param {string} a @param {string} b */
export function pair(a, b) {
  return `${a} / ${b}`;
}
