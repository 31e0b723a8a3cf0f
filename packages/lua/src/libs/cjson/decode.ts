import type { LuaVM } from "../../LuaVM.js";
import type { CjsonConfig } from "./CjsonConfig.js";
import * as tokens from "./jsonTokens.js";
import { type StrtodResult, strtod } from "./strtod.js";

// Module-local aliases: the hot loops read these constantly, and a module namespace binding can
// cost a getter call per read under some loaders (vitest's among them).
const Token = tokens.Token;
type Token = tokens.Token;
const { CHAR_TOKENS, ESCAPE_CHARS, TOKEN_NAMES, hexDigit } = tokens;

/**
 * `cjson.decode` as lua_cjson.c's tokenizer and parser: the same tokens, the same error
 * messages and character positions, the same Lua API calls building the tables (so they iterate
 * as Redis's do). The input is read in place from the Lua string (arg 1, anchored on the stack and
 * NUL-terminated, which ends the document as in C); strings without escapes are pushed straight
 * from it, the others through a reused JS buffer.
 */

export class JsonDecoder {
  private config!: CjsonConfig;
  private L = 0;
  /** The input: its address in wasm memory and length (the byte at `length` reads as NUL). */
  private base = 0;
  private length = 0;
  private pos = 0;
  private depth = 0;
  /** The current token (lua_cjson's `json_token_t`, one shared: each is consumed before the next). */
  private type: Token = Token.End;
  private index = 0;
  private number = 0;
  private boolean = 0;
  private errorText = "";
  /** A string token: where it is in the input, or in `tmp` when it had escapes. */
  private stringStart = 0;
  private stringLength = 0;
  private stringEscaped = false;
  private tmp = new Uint8Array(256);
  private readonly numberResult: StrtodResult = { value: 0, end: 0 };
  /** Open containers, innermost last: 0 for an object, else the array index of the next value. */
  private readonly openContainers: number[] = [];

  constructor(private readonly vm: LuaVM) {}

  /** Decodes the `length` bytes at wasm address `base` and pushes the value. */
  decode(L: number, config: CjsonConfig, base: number, length: number): void {
    this.L = L;
    this.config = config;
    this.base = base;
    this.length = length;
    this.pos = 0;
    this.depth = 0;
    this.openContainers.length = 0;
    // Give back a buffer a huge document left behind.
    if (this.tmp.length > 1 << 20 && length <= 1 << 20) this.tmp = new Uint8Array(256);
    const u8 = this.vm.u8;
    if (length >= 2 && (u8[base] === 0 || u8[base + 1] === 0)) {
      this.vm.errorAt(L, "JSON parser does not support UTF-16 or UTF-32");
    }
    this.nextToken();
    this.processValue();
    if (this.nextToken() !== Token.End) this.throwParseError("the end");
  }

  /**
   * `json_process_value` and the object/array contexts it recurses into, as a loop over an
   * explicit stack of open containers: documents may nest until Lua's stack limit (~8000 levels),
   * deeper than JS recursion can safely go. Tokens are read and values pushed in C's order.
   */
  private processValue(): void {
    const x = this.vm.x;
    const L = this.L;
    const open = this.openContainers;
    const base = open.length;
    for (;;) {
      // A value starts at the current token.
      let complete = true;
      switch (this.type) {
        case Token.String:
          this.pushString();
          break;
        case Token.Number:
          x.lua_pushnumber(L, this.number);
          break;
        case Token.Boolean:
          x.lua_pushboolean(L, this.boolean);
          break;
        case Token.Null:
          x.lua_pushlightuserdata(L, 0);
          break;
        case Token.ObjBegin:
          this.descend(3);
          x.lua_createtable(L, 0, 0);
          if (this.nextToken() === Token.ObjEnd) {
            this.depth--;
          } else {
            this.objectKey();
            open.push(0);
            complete = false;
          }
          break;
        case Token.ArrBegin:
          this.descend(2);
          x.lua_createtable(L, 0, 0);
          if (this.nextToken() === Token.ArrEnd) {
            this.depth--;
          } else {
            open.push(1);
            complete = false;
          }
          break;
        default:
          this.throwParseError("value");
      }
      if (!complete) continue;
      // A value is complete: store it in its container; close containers that end here.
      for (;;) {
        if (open.length === base) return;
        const top = open.length - 1;
        const arrayIndex = open[top]!;
        if (arrayIndex > 0) {
          x.lua_rawseti(L, -2, arrayIndex);
          const token = this.nextToken();
          if (token === Token.ArrEnd) {
            this.depth--;
            open.pop();
            continue;
          }
          if (token !== Token.Comma) this.throwParseError("comma or array end");
          this.nextToken();
          open[top] = arrayIndex + 1;
        } else {
          x.lua_rawset(L, -3);
          const token = this.nextToken();
          if (token === Token.ObjEnd) {
            this.depth--;
            open.pop();
            continue;
          }
          if (token !== Token.Comma) this.throwParseError("comma or object end");
          this.nextToken();
          this.objectKey();
        }
        break;
      }
    }
  }

  /** At an object key: pushes it, checks the colon, and moves to the value's first token. */
  private objectKey(): void {
    if (this.type !== Token.String) this.throwParseError("object key string");
    this.pushString();
    if (this.nextToken() !== Token.Colon) this.throwParseError("colon");
    this.nextToken();
  }

  private descend(slots: number): void {
    this.depth++;
    if (this.depth <= this.config.decodeMaxDepth && this.vm.x.lua_checkstack(this.L, slots) !== 0) return;
    this.vm.errorAt(this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  private pushString(): void {
    if (this.stringEscaped) this.vm.pushBytes(this.L, this.tmp, 0, this.stringLength);
    else this.vm.x.lua_pushlstring(this.L, this.base + this.stringStart, this.stringLength);
  }

  private throwParseError(expected: string): never {
    const found = this.type === Token.Error ? this.errorText : TOKEN_NAMES[this.type]!;
    return this.vm.errorAt(this.L, `Expected ${expected} but found ${found} at character ${this.index + 1}`);
  }

  private setTokenError(text: string): void {
    this.type = Token.Error;
    this.index = this.pos;
    this.errorText = text;
  }

  /** `json_next_token`. Reads a fresh view of memory: pushing values may have grown it. */
  private nextToken(): Token {
    this.scanToken();
    return this.type;
  }

  private scanToken(): void {
    const u8 = this.vm.u8;
    const base = this.base;
    const length = this.length;
    let c = 0;
    for (;;) {
      c = this.pos < length ? u8[base + this.pos]! : 0;
      this.type = CHAR_TOKENS[c]!;
      if (this.type !== Token.Whitespace) break;
      this.pos++;
    }
    this.index = this.pos;
    if (this.type === Token.Error) {
      this.setTokenError("invalid token");
      return;
    }
    if (this.type === Token.End) return;
    if (this.type !== Token.Unknown) {
      this.pos++;
      return;
    }
    if (c === 0x22) {
      this.stringToken(u8);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!this.config.decodeInvalidNumbers && this.isInvalidNumber(u8)) {
        this.setTokenError("invalid number");
        return;
      }
      this.numberToken(u8);
    } else if (this.startsWith(u8, "true")) {
      this.type = Token.Boolean;
      this.boolean = 1;
      this.pos += 4;
    } else if (this.startsWith(u8, "false")) {
      this.type = Token.Boolean;
      this.boolean = 0;
      this.pos += 5;
    } else if (this.startsWith(u8, "null")) {
      this.type = Token.Null;
      this.pos += 4;
    } else if (this.config.decodeInvalidNumbers && this.isInvalidNumber(u8)) {
      this.numberToken(u8);
    } else {
      this.setTokenError("invalid token");
    }
  }

  private byteAt(u8: Uint8Array, i: number): number {
    return i < this.length ? u8[this.base + i]! : 0;
  }

  private startsWith(u8: Uint8Array, word: string): boolean {
    for (let k = 0; k < word.length; k++) {
      if (this.byteAt(u8, this.pos + k) !== word.charCodeAt(k)) return false;
    }
    return true;
  }

  /** `json_is_invalid_number`: numbers strtod takes but strict JSON does not. */
  private isInvalidNumber(u8: Uint8Array): boolean {
    let p = this.pos;
    const first = this.byteAt(u8, p);
    if (first === 0x2b) return true;
    if (first === 0x2d) p++;
    const c = this.byteAt(u8, p);
    if (c === 0x30) {
      const c2 = this.byteAt(u8, p + 1);
      return (c2 | 0x20) === 0x78 || (c2 >= 0x30 && c2 <= 0x39);
    }
    // A signed char: bytes from 0x80 are negative, so "<= '9'" as well.
    if (c <= 0x39 || c >= 0x80) return false;
    return this.matchesCaseless(u8, p, "inf") || this.matchesCaseless(u8, p, "nan");
  }

  private matchesCaseless(u8: Uint8Array, p: number, word: string): boolean {
    for (let k = 0; k < word.length; k++) {
      if ((this.byteAt(u8, p + k) | 0x20) !== word.charCodeAt(k)) return false;
    }
    return true;
  }

  private numberToken(u8: Uint8Array): void {
    const result = this.numberResult;
    strtod(u8, this.base + this.pos, this.base + this.length, result);
    if (result.end === this.base + this.pos) {
      this.setTokenError("invalid number");
      return;
    }
    this.type = Token.Number;
    this.number = result.value;
    this.pos = result.end - this.base;
  }

  /** `json_next_string_token`: escapes are decoded into `tmp`, only when there are some. */
  private stringToken(u8: Uint8Array): void {
    const base = this.base;
    const length = this.length;
    const start = ++this.pos;
    let p = start;
    // The common case: no escape before the closing quote.
    while (p < length) {
      const c = u8[base + p]!;
      if (c === 0x22 || c === 0x5c || c === 0) break;
      p++;
    }
    if (p < length && u8[base + p] === 0x22) {
      this.type = Token.String;
      this.stringStart = start;
      this.stringLength = p - start;
      this.stringEscaped = false;
      this.pos = p + 1;
      return;
    }
    if (this.tmp.length < length) this.tmp = new Uint8Array(Math.max(length, this.tmp.length * 2));
    const tmp = this.tmp;
    tmp.set(u8.subarray(base + start, base + p));
    let n = p - start;
    this.pos = p;
    for (;;) {
      let c = this.byteAt(u8, this.pos);
      if (c === 0x22) break;
      if (c === 0) {
        this.setTokenError("unexpected end of string");
        return;
      }
      if (c === 0x5c) {
        c = ESCAPE_CHARS[this.byteAt(u8, this.pos + 1)]!;
        if (c === 0x75) {
          const written = this.unicodeEscape(u8, tmp, n);
          if (written > 0) {
            n += written;
            continue;
          }
          this.setTokenError("invalid unicode escape code");
          return;
        }
        if (c === 0) {
          this.setTokenError("invalid escape code");
          return;
        }
        this.pos++;
      }
      tmp[n++] = c;
      this.pos++;
    }
    this.pos++;
    this.type = Token.String;
    this.stringLength = n;
    this.stringEscaped = true;
  }

  /** `json_append_unicode_escape`: writes UTF-8 at `tmp[n]`; returns its length, 0 if invalid. */
  private unicodeEscape(u8: Uint8Array, tmp: Uint8Array, n: number): number {
    let codepoint = this.hex4(u8, this.pos + 2);
    if (codepoint < 0) return 0;
    let escapeLength = 6;
    if ((codepoint & 0xf800) === 0xd800) {
      if (codepoint & 0x400) return 0;
      if (this.byteAt(u8, this.pos + 6) !== 0x5c || this.byteAt(u8, this.pos + 7) !== 0x75) return 0;
      const low = this.hex4(u8, this.pos + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return 0;
      codepoint = (((codepoint & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      escapeLength = 12;
    }
    let written: number;
    if (codepoint <= 0x7f) {
      tmp[n] = codepoint;
      written = 1;
    } else if (codepoint <= 0x7ff) {
      tmp[n] = (codepoint >> 6) | 0xc0;
      tmp[n + 1] = (codepoint & 0x3f) | 0x80;
      written = 2;
    } else if (codepoint <= 0xffff) {
      tmp[n] = (codepoint >> 12) | 0xe0;
      tmp[n + 1] = ((codepoint >> 6) & 0x3f) | 0x80;
      tmp[n + 2] = (codepoint & 0x3f) | 0x80;
      written = 3;
    } else {
      tmp[n] = (codepoint >> 18) | 0xf0;
      tmp[n + 1] = ((codepoint >> 12) & 0x3f) | 0x80;
      tmp[n + 2] = ((codepoint >> 6) & 0x3f) | 0x80;
      tmp[n + 3] = (codepoint & 0x3f) | 0x80;
      written = 4;
    }
    this.pos += escapeLength;
    return written;
  }

  private hex4(u8: Uint8Array, p: number): number {
    let value = 0;
    for (let k = 0; k < 4; k++) {
      const digit = hexDigit(this.byteAt(u8, p + k));
      if (digit < 0) return -1;
      value = (value << 4) | digit;
    }
    return value;
  }
}
