#!/usr/bin/env node
// Long fuzz run (default 1,000,000 cases) of both parsers against hostile input:
//  - RequestParser on valid, random and mutated request streams, random chunking, random limits:
//    the result never depends on chunking, equals a port of Redis's networking.c (the same
//    reference the unit tests use), and the only exception ever thrown is ProtocolError;
//  - RespDecoder on random bytes and mutated encodings of random RESP3 values: values or a
//    ProtocolError only, the same for any chunking.
// Usage: pnpm --filter @nedis/resp-codec build && node scripts/fuzz.mjs [cases] [seed]
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import {
  encodeValue,
  ProtocolError,
  RequestParser,
  RespAttributed,
  RespDecoder,
  RespError,
  RespPush,
  RespVerbatim,
} from "../dist/index.js";

const cases = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);

// The reference port is TypeScript (test/support); transpile it once.
const source = readFileSync(new URL("../test/utils/redisReferenceParser.ts", import.meta.url), "utf8");
const js = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;
const refFile = join(mkdtempSync(join(tmpdir(), "resp-fuzz-")), "reference.mjs");
writeFileSync(refFile, js);
const { referenceParse } = await import(refFile);

function parseChunks(chunks, limits) {
  const parser = new RequestParser(limits);
  parser.authenticated = limits.authenticated;
  const commands = [];
  try {
    for (const chunk of chunks) {
      parser.feed(chunk);
      while (parser.next()) {
        const args = [];
        for (let i = 0; i < parser.argc; i++) args.push(parser.argString(i));
        commands.push(args);
      }
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { commands, error: err.reason };
  }
  return { commands, error: null };
}

function split(bytes, cuts) {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

function mutate(bytes, edits) {
  const out = [...bytes];
  for (const [at, kind, byte] of edits) {
    const i = at % (out.length + 1);
    if (kind === 0 && i < out.length) out[i] = byte;
    else if (kind === 1) out.splice(i, 0, byte);
    else out.splice(i, 1);
  }
  return Uint8Array.from(out);
}

const edits = (byte) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), byte), { minLength: 1, maxLength: 5 });
const requestByte = fc.oneof(
  fc.constantFrom(...Buffer.from("*$\r\n\r\n0123456789-+ \"'\\x\0aZ")),
  fc.integer({ min: 0, max: 255 }),
);
const multibulk = fc
  .array(fc.uint8Array({ maxLength: 20 }), { maxLength: 5 })
  .map((args) =>
    Buffer.concat([
      Buffer.from(`*${args.length}\r\n`),
      ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), Buffer.from(a), Buffer.from("\r\n")]),
    ]),
  );
const inline = fc
  .tuple(
    fc.array(fc.constantFrom(..."ab x0F9 \t\"'\\\rnrtv\x0b".split("")), { maxLength: 24 }),
    fc.constantFrom("\n", "\r\n"),
  )
  .map(([c, eol]) => Buffer.from(c.join("") + eol, "latin1"));
const validRequests = fc
  .array(fc.oneof(multibulk, multibulk, inline), { maxLength: 6 })
  .map((p) => new Uint8Array(Buffer.concat(p)));
const requestStream = fc.oneof(
  validRequests,
  fc.array(requestByte, { maxLength: 100 }).map((b) => Uint8Array.from(b)),
  fc.tuple(validRequests, edits(requestByte)).map(([s, e]) => mutate(s, e)),
);
const limits = fc.oneof(
  fc.constant({ maxBulkLength: 512 * 1024 * 1024, maxInlineLength: 64 * 1024, authenticated: true }),
  fc.record({
    maxBulkLength: fc.integer({ min: 0, max: 40 }),
    maxInlineLength: fc.integer({ min: 1, max: 60 }),
    authenticated: fc.boolean(),
  }),
);

const requestProperty = fc.property(
  requestStream,
  fc.array(fc.nat(), { maxLength: 6 }),
  limits,
  (stream, cuts, lim) => {
    const whole = parseChunks([stream], lim);
    const chunked = parseChunks(split(stream, cuts), lim);
    const expected = referenceParse(stream, lim);
    return JSON.stringify(whole) === JSON.stringify(chunked) && JSON.stringify(whole) === JSON.stringify(expected);
  },
);

const text = fc.string({ unit: "grapheme", maxLength: 8 });
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    text,
    fc.maxSafeInteger(),
    fc.double(),
    fc.bigInt(),
    fc.boolean(),
    fc.constant(null),
    text.map((m) => new RespError(m)),
    text.map((t) => new RespVerbatim("txt", t)),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.array(tie("v"), { maxLength: 3 }).map((a) => new Set(a)),
    fc.array(fc.tuple(tie("v"), tie("v")), { maxLength: 3 }).map((p) => new Map(p)),
    fc.array(tie("v"), { maxLength: 3 }).map((a) => new RespPush(a)),
    fc.tuple(text, tie("v")).map(([k, v]) => new RespAttributed(new Map([[k, 1]]), v)),
  ),
})).v;
const respByte = fc.oneof(
  fc.constantFrom(...Buffer.from("$*%~>|!=,(#_:+-.;?\r\n\r\n0123456789tf")),
  fc.integer({ min: 0, max: 255 }),
);
const responseStream = fc.oneof(
  fc.array(respByte, { maxLength: 100 }).map((b) => Uint8Array.from(b)),
  fc
    .tuple(value, fc.constantFrom(2, 3), edits(respByte))
    .map(([v, protocol, e]) => mutate(encodeValue(v, protocol), e)),
);

function decodeChunks(chunks) {
  const decoder = new RespDecoder({ attributes: "wrap", verbatim: "object" });
  const values = [];
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk);
      for (let v = decoder.next(); v !== undefined; v = decoder.next()) values.push(v);
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    return { values, error: err.reason };
  }
  return { values, error: null };
}
const show = (r) =>
  JSON.stringify(r, (_, v) =>
    typeof v === "bigint" ? `${v}n` : v instanceof Map || v instanceof Set ? [...v] : Number.isNaN(v) ? "NaN" : v,
  );
const responseProperty = fc.property(responseStream, fc.array(fc.nat(), { maxLength: 6 }), (stream, cuts) => {
  return show(decodeChunks([stream])) === show(decodeChunks(split(stream, cuts)));
});

const started = performance.now();
const batch = 50_000;
let done = 0;
for (let b = 0; done < cases; b++) {
  const n = Math.min(batch, cases - done);
  const half = Math.ceil(n / 2);
  fc.assert(requestProperty, { numRuns: half, seed: seed + 2 * b, endOnFailure: true });
  fc.assert(responseProperty, { numRuns: n - half, seed: seed + 2 * b + 1, endOnFailure: true });
  done += n;
  console.log(
    `${done.toLocaleString("en")} cases, ${((performance.now() - started) / 1000).toFixed(0)} s (seed ${seed})`,
  );
}
console.log("no failure");
