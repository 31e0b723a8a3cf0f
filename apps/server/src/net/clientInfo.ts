import { fullNameOf } from "../commands/keySpecs.js";
import type { Client } from "./Client.js";

/** Redis's client types for CLIENT LIST TYPE / CLIENT KILL TYPE. */
export type ClientType = "normal" | "replica" | "pubsub" | "master";

/** Redis's `getClientTypeByName`; null for an unknown name. */
export function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case "normal":
      return "normal";
    case "slave":
    case "replica":
      return "replica";
    case "pubsub":
      return "pubsub";
    case "master":
      return "master";
    default:
      return null;
  }
}

export function clientType(client: Client): ClientType {
  return client.subscriptionCount() > 0 ? "pubsub" : "normal";
}

function fdOf(client: Client): number {
  const handle: unknown = Reflect.get(client.socket, "_handle");
  const fd: unknown = handle !== null && typeof handle === "object" ? Reflect.get(handle, "fd") : undefined;
  return typeof fd === "number" ? fd : -1;
}

/** The request a client is executing: Redis keeps it in the query buffer (and argv) until it returns. */
export interface RunningRequest {
  queryBytes: number;
  argvBytes: number;
}

/** One CLIENT LIST line in Redis 7.0's field order (without the trailing newline). */
export function clientInfoLine(client: Client, now = Date.now(), running: RunningRequest | null = null): string {
  const cmd =
    client.lastCommand === null ? "NULL" : fullNameOf(client.lastCommand, client.lastContainer ?? client.lastCommand);
  const qbuf = client.parser.bufferedBytes + (running === null ? 0 : running.queryBytes);
  const obl = client.writer.length;
  const omem = client.socket.writableLength;
  const flags = client.flagsString();
  return [
    `id=${client.id}`,
    `addr=${client.addr}`,
    `laddr=${client.laddr}`,
    `fd=${fdOf(client)}`,
    `name=${client.name}`,
    `age=${Math.floor((now - client.createdAt) / 1000)}`,
    `idle=${Math.floor((now - client.lastInteraction) / 1000)}`,
    `flags=${flags}`,
    `db=${client.db}`,
    `sub=${client.channelCount}`,
    `psub=${client.patternCount}`,
    `ssub=${client.shardChannelCount}`,
    `multi=${client.multiQueueLength()}`,
    `qbuf=${qbuf}`,
    `qbuf-free=0`,
    `argv-mem=${running === null ? 0 : running.argvBytes}`,
    `multi-mem=${client.multi === null ? 0 : client.multi.memory}`,
    `rbs=${client.writer.buffer.length}`,
    `rbp=${obl}`,
    `obl=${obl}`,
    `oll=0`,
    `omem=${omem}`,
    `tot-mem=${qbuf + client.writer.buffer.length + omem}`,
    `events=${omem > 0 ? "rw" : "r"}`,
    `cmd=${cmd}`,
    `user=${client.user}`,
    `redir=${client.tracking === null ? -1 : client.tracking.redirect}`,
    `resp=${client.resp}`,
  ].join(" ");
}
