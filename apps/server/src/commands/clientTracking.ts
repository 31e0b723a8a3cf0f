import { SharedReplies } from "@nedis/resp-codec";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";
import type { CommandArgs } from "./CommandSpec.js";
import { Errors } from "./support/errors.js";
import { getLongLongFromObjectOrReply } from "./support/numbers.js";

/** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p …] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
export function clientTracking(server: ServerContext, client: Client, args: CommandArgs): void {
  let redirect = 0;
  const options = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < args.argc; j++) {
    const more = args.argc - 1 - j;
    if (args.argEquals(j, "redirect") && more > 0) {
      j++;
      if (redirect !== 0) return client.writer.error("ERR A client can only redirect to a single other client");
      const n = getLongLongFromObjectOrReply(client, args, j);
      if (n === null) return;
      const id = Number(n); // client ids are far below 2^53
      if (!server.clients.has(id)) return client.writer.error("ERR The client ID you want redirect to does not exist");
      redirect = id;
    } else if (args.argEquals(j, "bcast")) {
      options.bcast = true;
    } else if (args.argEquals(j, "optin")) {
      options.optin = true;
    } else if (args.argEquals(j, "optout")) {
      options.optout = true;
    } else if (args.argEquals(j, "noloop")) {
      options.noloop = true;
    } else if (args.argEquals(j, "prefix") && more > 0) {
      prefixes.push(args.argString(++j));
    } else {
      return client.writer.error(Errors.syntax);
    }
  }
  const w = client.writer;
  if (args.argEquals(2, "on")) {
    const state = client.tracking;
    if (!options.bcast && prefixes.length > 0) return w.error("ERR PREFIX option requires BCAST mode to be enabled");
    if (state !== null && state.bcast !== options.bcast) {
      return w.error(
        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
      );
    }
    if (options.bcast && (options.optin || options.optout))
      return w.error("ERR OPTIN and OPTOUT are not compatible with BCAST");
    if (options.optin && options.optout) return w.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
    if (state !== null && ((options.optin && state.optout) || (options.optout && state.optin))) {
      return w.error(
        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
      );
    }
    if (options.bcast) {
      const collision = server.tracking.prefixCollision(client, prefixes);
      if (collision !== null) return w.error(collision);
    }
    server.tracking.enable(client, redirect, options, prefixes);
  } else if (args.argEquals(2, "off")) {
    server.tracking.disable(client);
  } else {
    return w.error(Errors.syntax);
  }
  w.raw(SharedReplies.ok);
}

/** CLIENT CACHING YES|NO: overrides OPTIN/OPTOUT for the next command. */
export function clientCaching(_server: ServerContext, client: Client, args: CommandArgs): void {
  const state = client.tracking;
  if (state === null) {
    return client.writer.error(
      "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
    );
  }
  if (args.argEquals(2, "yes")) {
    if (!state.optin)
      return client.writer.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
  } else if (args.argEquals(2, "no")) {
    if (!state.optout)
      return client.writer.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
  } else {
    return client.writer.error(Errors.syntax);
  }
  state.caching = true;
  client.writer.raw(SharedReplies.ok);
}

/** CLIENT TRACKINGINFO */
export function clientTrackingInfo(_server: ServerContext, client: Client): void {
  const state = client.tracking;
  const flags = [state === null ? "off" : "on"];
  if (state !== null) {
    if (state.bcast) flags.push("bcast");
    if (state.optin) flags.push("optin");
    if (state.optin && state.caching) flags.push("caching-yes");
    if (state.optout) flags.push("optout");
    if (state.optout && state.caching) flags.push("caching-no");
    if (state.noloop) flags.push("noloop");
    if (state.brokenRedirect) flags.push("broken_redirect");
  }
  const w = client.writer;
  w.mapHeader(3);
  w.bulkString("flags");
  w.setHeader(flags.length);
  for (const f of flags) w.bulkString(f);
  w.bulkString("redirect");
  w.integer(state === null ? -1 : state.redirect);
  w.bulkString("prefixes");
  const prefixes = state?.prefixes ?? [];
  w.arrayHeader(prefixes.length);
  for (const p of prefixes) w.bulkString(p);
}
