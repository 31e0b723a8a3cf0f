import type { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTarget } from "../utils/target.js";
import { errorOf, evalErrorSuffix } from "./scripting.js";

/** The Lua libraries Redis loads (cjson, cmsgpack, bit, struct, string, math) and the redis table. */

const target = useTarget();
let r: Redis;
beforeAll(() => {
  r = target.client();
});
beforeEach(async () => {
  await r.flushall();
});

const evalScript = (script: string, ...rest: (string | number)[]) => r.call("EVAL", script, 0, ...rest);

/** Prefixes a script with a `hex(s)` helper, as scripting.tcl does to show packed bytes. */
const withHex = (body: string) =>
  `local function hex(s) local h = '' for i = 1, #s do h = h .. string.format('%02x', string.byte(s, i)) end return h end ${body}`;

/** The exact error of a Lua runtime error raised at line 1 of an EVAL script. */
const luaError = (script: string, message: string) => `ERR user_script:1: ${message}${evalErrorSuffix(script)}`;

describe("cjson", () => {
  it("encodes arrays, objects, nesting, an empty table as {} and sparse arrays with nulls", async () => {
    expect(await evalScript("return cjson.encode({1,2,3})")).toBe("[1,2,3]");
    expect(await evalScript("return cjson.encode({})")).toBe("{}");
    expect(await evalScript("return cjson.encode({a={b={1,'x',true,false}}})")).toBe('{"a":{"b":[1,"x",true,false]}}');
    expect(await evalScript("return cjson.encode({[1]=1,[3]=3})")).toBe("[1,null,3]");
    expect(await evalScript("return cjson.encode({1,2,nil,4})")).toBe("[1,2,null,4]");
    expect(await evalScript("return cjson.encode({['1']=1})")).toBe('{"1":1}');
    expect(await evalScript("return cjson.encode({[1.5]=1})")).toBe('{"1.5":1}');
    expect(await evalScript("return cjson.encode(cjson.null)")).toBe("null");
  });

  it("formats numbers with 14 significant digits", async () => {
    const numbers = ["0.1", "1/3", "100", "1e20", "2^53", "123456789012345", "1e15", "1.5e300"];
    const encoded = await evalScript(`return {${numbers.map((n) => `cjson.encode(${n})`).join(",")}}`);
    expect(encoded).toEqual([
      "0.1",
      "0.33333333333333",
      "100",
      "1e+20",
      "9.007199254741e+15",
      "1.2345678901234e+14",
      "1e+15",
      "1.5e+300",
    ]);
  });

  it("escapes strings like Redis's lua_cjson", async () => {
    expect(await evalScript("return cjson.encode('a\"b\\\\c/d\\n')")).toBe('"a\\"b\\\\c\\/d\\n"');
    expect(await evalScript("return cjson.encode('\\1\\127')")).toBe('"\\u0001\\u007f"');
  });

  it("refuses what JSON cannot hold", async () => {
    const sparse = "return cjson.encode({[1]=1,[20]=3})";
    expect(await errorOf(evalScript(sparse))).toBe(
      luaError(sparse, "Cannot serialise table: excessively sparse array"),
    );
    const fn = "return cjson.encode(function() end)";
    expect(await errorOf(evalScript(fn))).toBe(luaError(fn, "Cannot serialise function: type not supported"));
    const key = "return cjson.encode({[true]=1})";
    expect(await errorOf(evalScript(key))).toBe(
      luaError(key, "Cannot serialise boolean: table key must be a number or string"),
    );
  });

  it("decodes numbers, strings, nesting, null and unicode escapes", async () => {
    const numbers = 'return table.concat(cjson.decode("[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]"), " ")';
    expect(await evalScript(numbers)).toBe("0 -5000 -1 0.0003 1023.2 0");
    const object = 'local decoded = cjson.decode(\'{"keya": "a", "keyb": "b"}\') return {decoded.keya, decoded.keyb}';
    expect(await evalScript(object)).toEqual(["a", "b"]);
    expect(await evalScript('return cjson.decode(\'{"a":[1,{"b":"c"}]}\').a[2].b')).toBe("c");
    expect(await evalScript("local t = cjson.decode('[1, null, 3]') return {#t, type(t[2])}")).toEqual([3, "userdata"]);
    expect(await evalScript("return cjson.decode('\"\\\\u00e9\"')")).toBe("é");
    expect(await evalScript("return tostring(cjson.decode('123456789012345678'))")).toBe("1.2345678901235e+17");
  });

  it("reports malformed JSON with its position", async () => {
    for (const [json, message] of [
      ["{", "Expected object key string but found T_END at character 2"],
      ["[1,]", "Expected value but found T_ARR_END at character 4"],
      ["nope", "Expected value but found invalid token at character 1"],
    ]) {
      const script = `return cjson.decode('${json}')`;
      expect(await errorOf(evalScript(script))).toBe(luaError(script, message as string));
    }
  });

  it("passes Redis's cjson smoke test (keys, depth limits, invalid numbers)", async () => {
    const script = `
      local some_map = {s1="Some string", n1=100, a1={"Some","String","Array"}, nil1=nil, b1=true, b2=false}
      local encoded = cjson.encode(some_map)
      local decoded = cjson.decode(encoded)
      assert(table.concat(some_map) == table.concat(decoded))
      cjson.encode_keep_buffer(false)
      encoded = cjson.encode(some_map)
      decoded = cjson.decode(encoded)
      assert(table.concat(some_map) == table.concat(decoded))
      local table1 = {one="one", [1]="one"}
      decoded = cjson.decode(cjson.encode(table1))
      assert(decoded["one"] == table1["one"])
      assert(decoded["1"] == table1[1])
      local array1 = {[1]="one", [2]="two"}
      decoded = cjson.decode(cjson.encode(array1))
      assert(table.concat(array1) == table.concat(decoded))
      local invalid_map = {}
      invalid_map[false] = "false"
      local ok = pcall(cjson.encode, invalid_map)
      assert(ok == false)
      cjson.encode_max_depth(1)
      ok = pcall(cjson.encode, some_map)
      assert(ok == false)
      cjson.decode_max_depth(1)
      ok = pcall(cjson.decode, '{"obj": {"array": [1,2,3,4]}}')
      assert(ok == false)
      ok = pcall(cjson.encode, {num1=0/0})
      assert(ok == false)
      cjson.encode_invalid_numbers(true)
      ok = pcall(cjson.encode, {num1=0/0})
      assert(ok == true)
      cjson.decode_max_depth(1000)
      cjson.encode_max_depth(1000)
      cjson.encode_invalid_numbers(false)
      return 'passed'`;
    expect(await evalScript(script)).toBe("passed");
  });
});

describe("cmsgpack", () => {
  it("packs doubles and negative int64 as Redis's tests expect", async () => {
    expect(await evalScript(withHex("return hex(cmsgpack.pack(0.1))"))).toBe("cb3fb999999999999a");
    expect(await evalScript(withHex("return hex(cmsgpack.pack(-1099511627776))"))).toBe("d3ffffff0000000000");
  });

  it("picks the smallest integer and float encodings", async () => {
    const ints =
      "return hex(cmsgpack.pack(1, -1, 127, 128, 255, 256, 65536, -32, -33, -128, -129, -32768, -32769, 4294967296))";
    expect(await evalScript(withHex(ints))).toBe(
      "01ff7fcc80ccffcd0100ce00010000e0d0dfd080d1ff7fd18000d2ffff7fffcf0000000100000000",
    );
    expect(await evalScript(withHex("return hex(cmsgpack.pack(1.5, 3.0, 2^53, -0.5, 0/0))"))).toBe(
      "ca3fc0000003cf0020000000000000cabf000000cbfff8000000000000",
    );
  });

  it("packs tables, booleans, nil and strings", async () => {
    expect(await evalScript(withHex("return hex(cmsgpack.pack({}, {1,2}, {a=1}, true, false, nil))"))).toBe(
      "9092010281a16101c3c2c0",
    );
    expect(
      await evalScript(withHex("return {hex(cmsgpack.pack({1,2,nil,4})), hex(cmsgpack.pack({[1]=1,[3]=3}))}")),
    ).toEqual(["83010102020404", "8201010303"]);
    expect(await evalScript(withHex("return hex(cmsgpack.pack('abc', string.rep('x',32)))"))).toBe(
      `a3616263d920${"78".repeat(32)}`,
    );
  });

  it("unpacks several values, with offsets and limits", async () => {
    expect(await evalScript("return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3}))}")).toEqual([1, "two", [3]]);
    expect(await evalScript("return tostring(cmsgpack.unpack(cmsgpack.pack(1.5)))")).toBe("1.5");
    expect(await evalScript("return cmsgpack.unpack(cmsgpack.pack(2^40)) == 2^40")).toBe(1);
    expect(await evalScript("return {cmsgpack.unpack_one('\\1\\2')}")).toEqual([1, 1]);
    expect(await evalScript("return {cmsgpack.unpack_one('\\1\\2', 1)}")).toEqual([-1, 2]);
    expect(await evalScript("return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2)}")).toEqual([2, 1, 2]);
    expect(await evalScript("return {cmsgpack.unpack_limit('\\1\\2\\3', 0)}")).toEqual([1, 2, 3]);
  });

  it("reports bad input", async () => {
    for (const [script, message] of [
      ["return cmsgpack.unpack('\\193')", "Bad data format in input."],
      ["return cmsgpack.unpack('\\146\\1')", "Missing bytes in input."],
      ["return cmsgpack.pack()", "bad argument #0 to 'pack' (MessagePack pack needs input.)"],
      ["return cmsgpack.unpack()", "bad argument #1 to 'unpack' (string expected, got no value)"],
      ["return {cmsgpack.unpack_limit('\\1\\2\\3', 1, 5)}", "Start offset 5 greater than input length 3."],
    ] as const) {
      expect(await errorOf(evalScript(script))).toBe(luaError(script, message));
    }
  });

  it("passes Redis's pack/unpack smoke test", async () => {
    const script = `
      local str_lt_65535 = string.rep("x", 65530)
      local str_long = string.rep("x", 100000)
      local array_big = {}
      for i=1, 100000 do array_big[i] = i end
      local map_big = {}
      for i=1, 100000 do map_big[tostring(i)] = i end
      local some_map = {s1=string.rep("x", 30), s2=string.rep("x", 250), s3=str_lt_65535, s4=str_long,
        d1=0.1, i1=1, i2=250, i3=65530, i4=100000, i5=2^40, i6=-1, i7=-120, i8=-32000, i9=-100000,
        i10=-3147483648, a1={1, 2, 3, 4, 5}, a2={1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18}, a3=array_big,
        m1={a=1, b=2}, m2=map_big, b1=false, b2=true, n=nil}
      local encoded = cmsgpack.pack(some_map)
      local decoded = cmsgpack.unpack(encoded)
      assert(table.concat(some_map) == table.concat(decoded))
      assert(decoded.m2["77777"] == 77777 and decoded.a3[99999] == 99999 and #decoded.s4 == 100000)
      local offset, decoded_one = cmsgpack.unpack_one(encoded, 0)
      assert(table.concat(some_map) == table.concat(decoded_one))
      assert(offset == -1)
      local encoded_multiple = cmsgpack.pack(some_map.s1, some_map.s2, str_lt_65535, str_long)
      local offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, 0)
      assert(obj == some_map.s1)
      offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
      assert(obj == some_map.s2)
      offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
      assert(obj == str_lt_65535)
      offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
      assert(obj == str_long)
      assert(offset == -1)
      return 'passed'`;
    expect(await evalScript(script)).toBe("passed");
  });

  it("packs circular references as a 16-level deep copy", async () => {
    const script = withHex(`
      local a = {x=nil,y=5}
      local b = {x=a}
      a['x'] = b
      local encoded = cmsgpack.pack(a)
      local re = cmsgpack.unpack(encoded)
      assert(re.x.x.y == re.y)
      assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.y == re.y)
      assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x)
      assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x == nil)
      return {hex(encoded), re.x.x.x.x.x.x.x.x.y == re.y, re.y == 5}`);
    expect(await evalScript(script)).toEqual([
      "82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178" +
        "82a17905a17881a17882a17905a17881a178c0",
      1,
      1,
    ]);
  });
});

describe("bit and struct", () => {
  it("bit operates on 32-bit signed integers", async () => {
    const script =
      "return {bit.band(0xff, 0x0f), bit.bor(1,2,4), bit.bxor(5,3), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), " +
      "bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.tobit(2^32+5), bit.bswap(0x12345678), " +
      "bit.tobit(0xffffffff), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.bor(1,2,4,8,16,32,64,128)}";
    expect(await evalScript(script)).toEqual([
      15, 7, 6, -1, -2147483648, 15, -16, 878082066, 2014458966, 5, 2018915346, -1, 2, 2, -2, 255,
    ]);
    expect(await evalScript("return {bit.tohex(65535), bit.tohex(-1), bit.tohex(255, 2), bit.tohex(255, -4)}")).toEqual(
      ["0000ffff", "ffffffff", "ff", "00FF"],
    );
    const missing = "return bit.band()";
    expect(await errorOf(evalScript(missing))).toBe(
      luaError(missing, "bad argument #1 to 'band' (number expected, got no value)"),
    );
  });

  it("struct packs, unpacks and sizes binary records", async () => {
    const packed = withHex(
      "return {hex(struct.pack('>I2', 258)), hex(struct.pack('<i4', -2)), hex(struct.pack('b B h H', -1, 255, -2, 65535)), " +
        "hex(struct.pack('s', 'ab')), hex(struct.pack('c3', 'abcdef')), hex(struct.pack('>d', 1.5)), hex(struct.pack('<f', 0.5))}",
    );
    expect(await evalScript(packed)).toEqual([
      "0102",
      "feffffff",
      "fffffeffffff",
      "616200",
      "616263",
      "3ff8000000000000",
      "0000003f",
    ]);
    expect(await evalScript("return {struct.unpack('>I2', '\\1\\2')}")).toEqual([258, 3]);
    expect(await evalScript("return {struct.unpack('<i4 B', struct.pack('<i4 B', -2, 7))}")).toEqual([-2, 7, 6]);
    expect(await evalScript("return {struct.unpack('s', 'hello\\0world')}")).toEqual(["hello", 7]);
    expect(await evalScript("return {struct.size('>I2'), struct.size('i4 b d'), struct.size('!4 b i4')}")).toEqual([
      2, 13, 8,
    ]);
    for (const [script, message] of [
      ["return struct.unpack('>I4', 'ab')", "bad argument #2 to 'unpack' (data string too short)"],
      ["return struct.pack('z')", "bad argument #1 to 'pack' (invalid format option 'z')"],
      ["return struct.size('s')", "bad argument #1 to 'size' (option 's' has no fixed size)"],
    ] as const) {
      expect(await errorOf(evalScript(script))).toBe(luaError(script, message));
    }
  });
});

describe("string and math", () => {
  it("string.format %d handles numbers beyond 32 bits", async () => {
    const script =
      "return {string.format('%d', 2^31), string.format('%d', 2^53), string.format('%d', -2^31-1), string.format('%5.2f', 3.14159), " +
      "string.format('%x', 255), string.format('%q', 'a\\nb'), string.format('%s %s', 1, 'x'), string.format('%g', 0.1), string.format('%d', 3.9)}";
    expect(await evalScript(script)).toEqual([
      "2147483648",
      "9007199254740992",
      "-2147483649",
      " 3.14",
      "ff",
      '"a\\\nb"',
      "1 x",
      "0.1",
      "3",
    ]);
  });

  it("tostring prints numbers with %.14g", async () => {
    expect(await evalScript("return {tostring(1/3), tostring(2^53), tostring(1e15), tostring(123456789012)}")).toEqual([
      "0.33333333333333",
      "9.007199254741e+15",
      "1e+15",
      "123456789012",
    ]);
  });

  it("math.random differs between scripts but math.randomseed makes it repeatable", async () => {
    const first = await evalScript("return tostring(math.random())");
    let differs = false;
    for (let i = 0; i < 100 && !differs; i++) differs = (await evalScript("return tostring(math.random())")) !== first;
    expect(differs).toBe(true);
    const seeded = "math.randomseed(ARGV[1]); return tostring(math.random())";
    const ten = await r.call("EVAL", seeded, 0, 10);
    expect(await r.call("EVAL", seeded, 0, 10)).toBe(ten);
    expect(await r.call("EVAL", seeded, 0, 20)).not.toBe(ten);
  });
});
