import { describe, expect, it } from "vitest";
import { openRedisMath, RedisRand48 } from "../src/index.js";
import { newScriptVM, runInVM } from "./baseHarness.js";

/** Expected values read from redis-server 7.0.15. */
describe("Redis's math.random", () => {
  it("starts where a fresh redis-server starts and follows redisSrand48 seeds", () => {
    const vm = newScriptVM((vm) => openRedisMath(vm));
    const draw = "return string.format('%.17g %.17g', math.random(), math.random())";
    expect(runInVM(vm, draw).toString()).toBe("0.39646477363839039 0.84048536971234034");
    const seeded =
      "math.randomseed(0) return string.format('%.17g %.17g %d %d', math.random(), math.random(), math.random(1000), math.random(-50, 50))";
    expect(runInVM(vm, seeded).toString()).toBe("0.1708280361121651 0.74990198051086721 97 37");
  });

  it("shares one generator between states, and refuses to run outside a script", () => {
    const rand = new RedisRand48();
    let running = false;
    const a = newScriptVM((vm) => openRedisMath(vm, { rand, inScript: () => running }));
    const b = newScriptVM((vm) => openRedisMath(vm, { rand }));
    expect(runInVM(a, "return tostring(math.random())").toString()).toBe(
      "ERR user_script:1: math.random can only be called inside a script invocation",
    );
    running = true;
    expect(runInVM(a, "return tostring(math.random())").toString()).toBe("0.39646477363839");
    expect(runInVM(b, "return tostring(math.random())").toString()).toBe("0.84048536971234");
  });
});
