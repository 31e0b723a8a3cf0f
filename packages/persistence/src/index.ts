/**
 * @nedis/persistence: Redis 7.0's persistence files, usable without the server.
 * RDB snapshots (rdb/) and the append-only file (aof/) are added by their own modules.
 */
export {};
