import { type AofManifest, incrFileName } from "@nedis/persistence";

/** A copy of `m` whose lists can be edited without touching `m`. */
function copyManifest(m: AofManifest): AofManifest {
  return { base: m.base, history: [...m.history], incr: [...m.incr], baseSeq: m.baseSeq, incrSeq: m.incrSeq };
}

/** `m` with one more incr file (Redis's `getNewIncrAofName`), named after `appendfilename`. */
export function withNewIncr(m: AofManifest, appendFilename: string): AofManifest {
  const next = copyManifest(m);
  const name = incrFileName(appendFilename, ++next.incrSeq);
  next.incr.push({ name, seq: next.incrSeq, type: "i" });
  return next;
}

/**
 * The manifest once a rewrite's base `baseName` is in place (Redis's
 * `getNewBaseFileNameAndMarkPreAsHistory` and `markRewrittenIncrAofAsHistory`): the previous
 * base becomes history; `incrName`, when given, is the temp incr file (the first rewrite after
 * `appendonly yes`) renamed as the next incr file; the incr files the new base covers become history,
 * all but the one being written when `writing`.
 */
export function afterRewrite(m: AofManifest, baseName: string, incrName: string | null, writing: boolean): AofManifest {
  const next = copyManifest(m);
  next.baseSeq++;
  if (next.base !== null) next.history.push({ ...next.base, type: "h" });
  next.base = { name: baseName, seq: next.baseSeq, type: "b" };
  if (incrName !== null) next.incr.push({ name: incrName, seq: ++next.incrSeq, type: "i" });
  const rewritten = next.incr.splice(0, next.incr.length - (writing ? 1 : 0));
  for (const f of rewritten) next.history.push({ ...f, type: "h" });
  return next;
}
