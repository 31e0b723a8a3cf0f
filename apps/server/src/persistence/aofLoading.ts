import { Socket } from "node:net";
import { type AofCommand, type AofLoadResult, loadAofBytes } from "@nedis/persistence";
import { asciiEqualsLower } from "@nedis/resp-codec";
import type { CommandArgs } from "../commands/CommandSpec.js";
import { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";

/** A loaded command's arguments: views into the file's bytes (no copy). */
class AofArgs implements CommandArgs {
  argc = 0;
  buffer: Uint8Array = new Uint8Array(0);
  offsets: Int32Array = new Int32Array(0);
  lengths: Int32Array = new Int32Array(0);

  set(cmd: AofCommand): this {
    this.argc = cmd.argc;
    this.buffer = cmd.buffer;
    this.offsets = cmd.offsets;
    this.lengths = cmd.lengths;
    return this;
  }

  argEquals(i: number, lowerName: string): boolean {
    return asciiEqualsLower(this.buffer, this.offsets[i]!, this.lengths[i]!, lowerName);
  }

  argString(i: number): string {
    const off = this.offsets[i]!;
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset + off, this.lengths[i]!).toString("latin1");
  }

  argView(i: number): Uint8Array {
    const off = this.offsets[i]!;
    return this.buffer.subarray(off, off + this.lengths[i]!);
  }
}

/** Redis's `createAOFClient`: a client without a connection whose replies are dropped. */
function createAofClient(server: ServerContext): Client {
  return new Client(-1, new Socket(), {
    maxBulkLength: Number.MAX_SAFE_INTEGER,
    authenticated: true,
    pubsub: server.pubsub,
    errorStats: server.errorStats,
    unixSocketPath: "",
  });
}

/**
 * Replays one AOF file into the keyspace, as Redis's `loadSingleAppendOnlyFile`: each command
 * runs its handler for a fake client (Redis calls `cmd->proc` there, not `call()`: no stats, no
 * propagation — the AOF feed is detached while loading). Unknown commands fail the load.
 */
export function replayAofFile(
  server: ServerContext,
  bytes: Uint8Array,
  name: string,
  loadRdb: ((bytes: Uint8Array) => number) | null,
): AofLoadResult {
  const client = createAofClient(server);
  const args = new AofArgs();
  const previous = server.currentClient;
  server.currentClient = client;
  try {
    return loadAofBytes(bytes, name, {
      execute(cmd) {
        args.set(cmd);
        const container = server.commands.lookup(args);
        if (container === undefined) return false;
        const spec =
          container.subcommands !== undefined && args.argc >= 2
            ? (server.commands.lookupSubcommand(container, args) ?? container)
            : container;
        server.executionNesting++;
        try {
          spec.handler(server, client, args);
        } finally {
          server.executionNesting--;
        }
        client.writer.length = 0;
        return true;
      },
      ...(loadRdb === null ? {} : { loadRdb }),
      log(level, message) {
        if (level === "warning") server.log.warning(message);
        else server.log.notice(message);
      },
    });
  } finally {
    server.currentClient = previous;
  }
}
