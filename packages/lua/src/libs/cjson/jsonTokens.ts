/** lua_cjson's decoding tables: token kinds, what each first byte starts, escape meanings. */

/** `json_token_type_t`. */
export const Token = {
  ObjBegin: 0,
  ObjEnd: 1,
  ArrBegin: 2,
  ArrEnd: 3,
  String: 4,
  Number: 5,
  Boolean: 6,
  Null: 7,
  Colon: 8,
  Comma: 9,
  End: 10,
  Whitespace: 11,
  Error: 12,
  Unknown: 13,
} as const;
export type Token = (typeof Token)[keyof typeof Token];

/** The names lua_cjson's errors give tokens ("found T_END"), by `Token`. */
export const TOKEN_NAMES = [
  "T_OBJ_BEGIN",
  "T_OBJ_END",
  "T_ARR_BEGIN",
  "T_ARR_END",
  "T_STRING",
  "T_NUMBER",
  "T_BOOLEAN",
  "T_NULL",
  "T_COLON",
  "T_COMMA",
  "T_END",
  "T_WHITESPACE",
  "T_ERROR",
  "T_UNKNOWN",
];

/** The token each first byte starts (`ch2token`). */
export const CHAR_TOKENS: Token[] = (() => {
  const table = new Array<Token>(256).fill(Token.Error);
  const set = (chars: string, token: Token): void => {
    for (const c of chars) table[c.charCodeAt(0)] = token;
  };
  table[0] = Token.End;
  set("{", Token.ObjBegin);
  set("}", Token.ObjEnd);
  set("[", Token.ArrBegin);
  set("]", Token.ArrEnd);
  set(",", Token.Comma);
  set(":", Token.Colon);
  set(" \t\n\r", Token.Whitespace);
  set('fiInNt"+-0123456789', Token.Unknown);
  return table;
})();

/** The byte each escape stands for (`escape2char`); 0: invalid; 'u': a \uXXXX escape. */
export const ESCAPE_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  const pairs: [string, number][] = [
    ['"', 0x22],
    ["\\", 0x5c],
    ["/", 0x2f],
    ["b", 8],
    ["t", 9],
    ["n", 10],
    ["f", 12],
    ["r", 13],
    ["u", 0x75],
  ];
  for (const [c, byte] of pairs) table[c.charCodeAt(0)] = byte;
  return table;
})();

export const hexDigit = (c: number): number => {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? 10 + lower - 0x61 : -1;
};
