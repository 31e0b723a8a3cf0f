export {
  ARENA_EXHAUSTED,
  Arena,
  type ArenaExhausted,
  type ArenaMark,
  type ArenaOptions,
  type ArenaStats,
} from "./Arena.js";
