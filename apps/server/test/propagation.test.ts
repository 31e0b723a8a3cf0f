import { describe, expect, it } from "vitest";
import { StoredArgs } from "../src/multi/StoredArgs.js";
import { type PropagationTarget, Propagator } from "../src/propagation/Propagator.js";

/** The Propagator alone (Redis's alsoPropagate + propagatePendingCommands): units, SELECT, MULTI/EXEC. */
function setup() {
  const depth = { executionNesting: 1 };
  const p = new Propagator(depth);
  let stream = "";
  const target: PropagationTarget = {
    feed: (bytes, off, len) => {
      stream += Buffer.from(bytes.subarray(off, off + len)).toString("latin1");
    },
  };
  const read = () => {
    const s = stream
      .replace(/\$\d+\r\n/g, "")
      .replace(/\*\d+\r\n/g, "|")
      .replace(/\r\n/g, " ");
    stream = "";
    return s.trim();
  };
  return { p, depth, target, read };
}

function args(...argv: string[]): StoredArgs {
  const offsets = new Int32Array(argv.length);
  const lengths = new Int32Array(argv.length);
  const buffer = Buffer.from(argv.join(""), "latin1");
  let at = 0;
  argv.forEach((a, i) => {
    offsets[i] = at;
    lengths[i] = a.length;
    at += a.length;
  });
  return new StoredArgs({
    argc: argv.length,
    buffer,
    offsets,
    lengths,
    argEquals: () => false,
    argString: () => "",
    argView: () => buffer,
  });
}

describe("Propagator", () => {
  it("does nothing without a target", () => {
    const { p, target, read } = setup();
    p.command(0, args("set", "a", "1"));
    p.endCommand();
    p.addTarget(target);
    p.endCommand();
    expect(read()).toBe("");
  });

  it("one operation: SELECT first time, then alone; several: MULTI … EXEC", () => {
    const { p, target, read } = setup();
    p.addTarget(target);
    p.command(0, args("set", "a", "1"));
    p.endCommand();
    expect(read()).toBe("|SELECT 0 |set a 1");
    p.command(0, args("set", "a", "1"));
    p.replaceWith(0, "SREM", Buffer.from("s"), "m");
    p.endCommand();
    expect(read()).toBe("|MULTI |set a 1 |SREM s m |EXEC");
  });

  it("SELECT before MULTI for the first op's db and between ops of different dbs; reset forces it again", () => {
    const { p, target, read } = setup();
    p.addTarget(target);
    p.command(2, args("set", "a", "1"));
    p.command(3, args("set", "b", "1"));
    p.endCommand();
    expect(read()).toBe("|SELECT 2 |MULTI |set a 1 |SELECT 3 |set b 1 |EXEC");
    p.resetSelectedDb();
    p.command(3, args("del", "b"));
    p.endCommand();
    expect(read()).toBe("|SELECT 3 |del b");
  });

  it("deletions outside a command go out alone at once; an eviction before any write of the unit too", () => {
    const { p, depth, target, read } = setup();
    p.addTarget(target);
    depth.executionNesting = 0;
    p.deletion(0, Buffer.from("xk"), 1, 1, false);
    p.deletion(0, Buffer.from("j"), 0, 1, true);
    expect(read()).toBe("|SELECT 0 |DEL k |UNLINK j");
    depth.executionNesting = 1;
    p.deletion(0, Buffer.from("e"), 0, 1, false, true);
    expect(read()).toBe("|DEL e");
    p.command(0, args("set", "a", "1"));
    p.deletion(0, Buffer.from("x"), 0, 1, false);
    p.endCommand();
    expect(read()).toBe("|MULTI |set a 1 |DEL x |EXEC");
  });

  it("removing the last target drops what was pending", () => {
    const { p, target, read } = setup();
    p.addTarget(target);
    p.command(0, args("set", "a", "1"));
    p.removeTarget(target);
    expect(p.active).toBe(false);
    p.addTarget(target);
    p.endCommand();
    expect(read()).toBe("");
  });
});
