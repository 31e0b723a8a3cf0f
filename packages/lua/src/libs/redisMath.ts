import { LUA_GLOBALSINDEX, type LuaVM } from "../LuaVM.js";
import { argError, checkInt, errorAt } from "./base/libSupport.js";

/**
 * Redis's `math.random` and `math.randomseed` (script_lua.c): Lua's own functions with `rand()`
 * replaced by Redis's portable lrand48 (rand.c), so every platform gives the same sequence.
 *
 * Redis 7.0 keeps one generator per process and does NOT reseed it before each script (6.x
 * reseeded with 0 when scripts were replicated verbatim): a fresh server starts from lrand48's
 * default seed and consecutive scripts continue the sequence. Share one `RedisRand48` between the
 * EVAL and FUNCTION Lua states to match that.
 */

const INT32_MAX = 2147483647;
const TWO_24 = 2 ** 24;
/** The multiplier 0x5DEECE66D split at bit 24, and the increment. */
const A_LOW = 0xece66d;
const A_HIGH = 0x5de;
const C = 0xb;

/** The 48-bit linear congruential generator of rand.c, kept as two 24-bit halves. */
export class RedisRand48 {
  private high = 0;
  private low = 0;

  constructor() {
    // rand.c's initial state {0x330E, 0xABCD, 0x1234}: srand48(0x1234ABCD).
    this.seed(0x1234abcd);
  }

  /** `redisSrand48(seed)`: the state becomes seed << 16 | 0x330E. */
  seed(seed: number): void {
    const s = seed >>> 0;
    this.high = s >>> 8;
    this.low = ((s & 0xff) << 16) | 0x330e;
  }

  /** `redisLrand48()`: advances the state and returns its top 31 bits. */
  next(): number {
    const low = A_LOW * this.low + C;
    const carry = Math.floor(low / TWO_24);
    this.high = (A_LOW * this.high + A_HIGH * this.low + carry) % TWO_24;
    this.low = low % TWO_24;
    return this.high * 128 + Math.floor(this.low / 131072);
  }
}

export interface RedisMathOptions {
  /** The generator (one per server process in Redis); a new one by default. */
  rand?: RedisRand48;
  /**
   * Whether a script is running; outside one (a FUNCTION LOAD body) both functions raise
   * "math.random can only be called inside a script invocation". Always by default.
   */
  inScript?: () => boolean;
}

/** Replaces `math.random` and `math.randomseed` with Redis's. Returns the generator. */
export function openRedisMath(vm: LuaVM, options: RedisMathOptions = {}): RedisRand48 {
  const rand = options.rand ?? new RedisRand48();
  const inScript = options.inScript ?? (() => true);
  const x = vm.x;
  const L = vm.L;

  const random = (L: number): number => {
    if (!inScript()) return errorAt(vm, L, "math.random can only be called inside a script invocation");
    // The generator advances before the arguments are checked, as in the C.
    const r = (rand.next() % INT32_MAX) / INT32_MAX;
    switch (x.lua_gettop(L)) {
      case 0:
        x.lua_pushnumber(L, r);
        break;
      case 1: {
        const u = checkInt(vm, L, 1);
        if (!(1 <= u)) argError(vm, L, 1, "interval is empty");
        x.lua_pushnumber(L, Math.floor(r * u) + 1);
        break;
      }
      case 2: {
        const l = checkInt(vm, L, 1);
        const u = checkInt(vm, L, 2);
        if (!(l <= u)) argError(vm, L, 2, "interval is empty");
        // `u - l + 1` is int arithmetic in C: it wraps.
        x.lua_pushnumber(L, Math.floor(r * ((u - l + 1) | 0)) + l);
        break;
      }
      default:
        return errorAt(vm, L, "wrong number of arguments");
    }
    return 1;
  };

  const randomseed = (L: number): number => {
    if (!inScript()) return errorAt(vm, L, "math.randomseed can only be called inside a script invocation");
    rand.seed(checkInt(vm, L, 1));
    return 0;
  };

  vm.getField(L, LUA_GLOBALSINDEX, "math");
  vm.setFunction(L, "random", random);
  vm.setFunction(L, "randomseed", randomseed);
  x.lua_settop(L, -2);
  return rand;
}
