export { Arena, ARENA_EXHAUSTED, type ArenaExhausted, type ArenaMark, type ArenaOptions, type ArenaStats } from "./Arena.js";
