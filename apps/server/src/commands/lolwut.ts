import type { Client } from "../net/Client.js";
import { REDIS_VERSION } from "../version.js";
import { type CommandArgs, defineCommand } from "./CommandSpec.js";
import { getLongFromObjectOrReply } from "./support/numbers.js";

/**
 * LOLWUT [VERSION v] [args …], ported from Redis 7.0's lolwut.c, lolwut5.c and lolwut6.c:
 * version 5 draws Georg Nees's "Schotter" in Braille characters, version 6 a skyline in four
 * terminal grays, and any other version (7.0's own) prints the version line. The art is random,
 * as in Redis; the geometry, limits and texts are Redis's.
 */

/** A canvas of pixels holding small color numbers (lolwut.h `lwCanvas`). */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  set(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }

  /** Bresenham's line (lwDrawLine). */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  /** lwDrawSquare: a square of side `size` centered on x,y rotated by `angle` (C floats). */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    const side = cRound(f32(f32(size) / 1.4142135623));
    const px: number[] = [];
    const py: number[] = [];
    let k = f32(Math.PI / 4 + angle);
    for (let j = 0; j < 4; j++) {
      px.push(cRound(Math.sin(k) * side + x));
      py.push(cRound(Math.cos(k) * side + y));
      k = f32(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j]!, py[j]!, px[(j + 1) % 4]!, py[(j + 1) % 4]!, color);
  }
}

const f32 = Math.fround;
/** C's round(): halves away from zero. */
const cRound = (v: number) => (v < 0 ? -Math.round(-v) : Math.round(v));
/** C's rand(): 0..RAND_MAX. */
const RAND_MAX = 2147483647;
const rand = () => Math.floor(Math.random() * (RAND_MAX + 1));

/** lwDrawSchotter: rows of squares that get more disordered further down. */
function drawSchotter(cols: number, perRow: number, perCol: number): Canvas {
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f32((width - padding * 2) / perRow);
  const canvas = new Canvas(width, Math.trunc(f32(side * perCol + padding * 2)), 0);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f32(f32(x * side) + side / 2 + padding));
      let sy = Math.trunc(f32(f32(y * side) + side / 2 + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f32((f32(rand()) / f32(RAND_MAX) / perCol) * y);
        let r2 = f32((f32(rand()) / f32(RAND_MAX) / perCol) * y);
        let r3 = f32((f32(rand()) / f32(RAND_MAX) / perCol) * y);
        if (rand() % 2) r1 = -r1;
        if (rand() % 2) r2 = -r2;
        if (rand() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f32(sx + f32(r2 * side) / 3));
        sy = Math.trunc(f32(sy + f32(r3 * side) / 3));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** lolwut5's renderCanvas: each 2x4 block of pixels is one Braille character. */
function renderBraille(canvas: Canvas): string {
  let text = "";
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let byte = 0;
      if (canvas.get(x, y)) byte |= 1 << 0;
      if (canvas.get(x, y + 1)) byte |= 1 << 1;
      if (canvas.get(x, y + 2)) byte |= 1 << 2;
      if (canvas.get(x + 1, y)) byte |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) byte |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) byte |= 1 << 5;
      if (canvas.get(x, y + 3)) byte |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) byte |= 1 << 7;
      text += String.fromCharCode(0x2800 + byte);
    }
    if (y !== canvas.height - 1) text += "\n";
  }
  return text;
}

/** lolwut6's skyscraper: rows of windows in random grays, the roof two pixels narrower per side. */
function drawSkyscraper(
  canvas: Canvas,
  xoff: number,
  width: number,
  height: number,
  windows: boolean,
  color: number,
): void {
  const starty = canvas.height - 1;
  const endy = starty - height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = xoff; x < xoff + width; x++) {
      if (y === endy && (x <= xoff + 1 || x >= xoff + width - 2)) continue;
      let c = color;
      if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (xoff + 1);
        const rely = y - (endy + 1);
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do c = 1 + (rand() % 2);
          while (c === color);
          if (relx % 2) c = canvas.get(x - 1, y);
        }
      }
      canvas.set(x, y, c);
    }
  }
}

/** generateSkyline: two gray background layers, then the black foreground with windows. */
function drawSkyline(canvas: Canvas): void {
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width; ) {
      offset += rand() % 8;
      const width = 10 + (rand() % 9);
      // C precedence: rand()%h/2 is (rand()%h)/2.
      const height = Math.trunc(h / 2) + (color === 2 ? Math.trunc((rand() % h) / 2) : Math.trunc((rand() % h) / 3));
      drawSkyscraper(canvas, offset, width, height, false, color);
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width; ) {
    offset += rand() % 8;
    let width = 5 + (rand() % 14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand() % h) / 2);
    drawSkyscraper(canvas, offset, width, height, true, 0);
    offset += width + 5;
  }
}

const GRAYS = ["0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"];

function renderGrays(canvas: Canvas): string {
  let text = "";
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${GRAYS[canvas.get(x, y)] ?? GRAYS[0]} \x1b[0m`;
    if (y !== canvas.height - 1) text += "\n";
  }
  return text;
}

/** getLongFromObjectOrReply over arguments `first…`; null after replying the error. */
function longArgs(client: Client, args: CommandArgs, first: number, defaults: number[]): number[] | null {
  const out = [...defaults];
  for (let i = 0; i < defaults.length && first + i < args.argc; i++) {
    const n = getLongFromObjectOrReply(client, args, first + i);
    if (n === null) return null;
    out[i] = Number(n); // clamped by every caller
  }
  return out;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function lolwut5(client: Client, args: CommandArgs, first: number): void {
  const values = longArgs(client, args, first, [66, 8, 12]);
  if (values === null) return;
  const [cols, perRow, perCol] = [clamp(values[0]!, 1, 1000), clamp(values[1]!, 1, 200), clamp(values[2]!, 1, 200)];
  const art = renderBraille(drawSchotter(cols, perRow, perCol));
  client.writer.verbatim(`${art}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`);
}

function lolwut6(client: Client, args: CommandArgs, first: number): void {
  const values = longArgs(client, args, first, [80, 20]);
  if (values === null) return;
  const canvas = new Canvas(clamp(values[0]!, 1, 1000), clamp(values[1]!, 1, 1000), 3);
  drawSkyline(canvas);
  client.writer.verbatim(
    `${renderGrays(canvas)}\nDedicated to the 8 bit game developers of past and present.\n` +
      `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`,
  );
}

export const lolwutCommands = [
  /** LOLWUT [VERSION version] */
  defineCommand({
    name: "lolwut",
    handler(_server, client, args) {
      let version = REDIS_VERSION;
      let first = 1;
      if (args.argc >= 3 && args.argEquals(1, "version")) {
        // getLongFromObjectOrReply, then "%u.0.0" of the value cast to unsigned int.
        const v = getLongFromObjectOrReply(client, args, 2);
        if (v === null) return;
        version = `${Number(BigInt.asUintN(32, BigInt(v)))}.0.0`;
        first = 3;
      }
      const [a, b, c] = [version[0], version[1], version[2]];
      if ((a === "5" && b === "." && c !== "9") || (a === "4" && b === "." && c === "9")) lolwut5(client, args, first);
      else if ((a === "6" && b === "." && c !== "9") || (a === "5" && b === "." && c === "9"))
        lolwut6(client, args, first);
      else client.writer.verbatim(`Redis ver. ${REDIS_VERSION}\n`);
    },
  }),
];
