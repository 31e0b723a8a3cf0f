import { SharedReplies } from "@nedis/resp-codec";
import { unixMicros } from "../observe/clock.js";
import { observersOf } from "../observe/ServerObservers.js";
import { rdbPersistenceOf } from "../persistence/RdbPersistence.js";
import { defineCommand } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";

/** SHUTDOWN flags (Redis's SHUTDOWN_*). */
const SAVE = 1;
const NOSAVE = 2;
const NOW = 4;
const FORCE = 8;

/** TIME, MONITOR and SHUTDOWN (Redis's `server` group; LASTSAVE is in persistence.ts). */
export const serverAdminCommands = [
  /** TIME: [unix seconds, microseconds] as bulk strings. */
  defineCommand({
    name: "time",
    handler(_server, client) {
      const micros = unixMicros();
      const seconds = Math.floor(micros / 1e6);
      client.writer.arrayHeader(2);
      client.writer.bulkString(String(seconds));
      client.writer.bulkString(String(micros - seconds * 1e6));
    },
  }),
  /**
   * MONITOR: from now on the client receives a line per command executed by anyone. A second
   * MONITOR gets no reply at all (Redis returns early for a client already in replica mode).
   */
  defineCommand({
    name: "monitor",
    handler(server, client) {
      // Inside EXEC the client must get one reply per command (Redis's CLIENT_DENY_BLOCKING).
      if (client.multi !== null) return client.writer.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
      const feed = observersOf(server).monitor;
      if (feed.has(client)) return;
      feed.add(client);
      client.writer.raw(SharedReplies.ok);
    },
  }),
  /**
   * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. Saves first when save points exist (or SAVE),
   * unless NOSAVE; a failed save stops the shutdown unless FORCE. With no replicas to wait for, a shutdown
   * never stays in progress: it completes at once, so ABORT always finds nothing to abort.
   * Every connection closes without a reply (the client's own included), then the owner of the
   * server (main) exits.
   */
  defineCommand({
    name: "shutdown",
    handler(server, client, args) {
      let flags = 0;
      let abort = false;
      for (let i = 1; i < args.argc; i++) {
        if (args.argEquals(i, "nosave")) flags |= NOSAVE;
        else if (args.argEquals(i, "save")) flags |= SAVE;
        else if (args.argEquals(i, "now")) flags |= NOW;
        else if (args.argEquals(i, "force")) flags |= FORCE;
        else if (args.argEquals(i, "abort")) abort = true;
        else return client.writer.error(Errors.syntax);
      }
      if ((abort && flags !== 0) || ((flags & NOSAVE) !== 0 && (flags & SAVE) !== 0)) {
        return client.writer.error(Errors.syntax);
      }
      if (abort) return client.writer.error("ERR No shutdown in progress.");
      // A paused busy script: only SHUTDOWN NOSAVE may end the server under it.
      if (server.scriptBusy !== null && (flags & NOSAVE) === 0) return client.writer.error(Errors.busyEval);
      // Redis's prepareForShutdown: the final save when save points exist (or SAVE), unless NOSAVE.
      const rdb = rdbPersistenceOf(server);
      if (!rdb.prepareForShutdown((flags & SAVE) !== 0, (flags & NOSAVE) !== 0, (flags & FORCE) !== 0))
        return client.writer.error(Errors.shutdownFailed);
      client.closeAfterReply = true;
      for (const c of server.clients.values()) c.socket.destroy();
      server.shutdown(
        `Received SHUTDOWN${(flags & FORCE) !== 0 ? " FORCE" : ""} from client id=${client.id} addr=${client.addr}, shutting down...`,
      );
    },
  }),
];
