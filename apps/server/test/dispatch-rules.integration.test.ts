import { describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget();

describe("checks made before a command runs", () => {
  it("a MONITOR client may not touch the keyspace", async () => {
    const { text } = await rawExchange(target.port, "MONITOR\r\nGET k\r\nSET k v\r\n", {
      until: (t) => t.split("\r\n").length > 3,
    });
    expect(text).toBe(
      "+OK\r\n-ERR Replica can't interact with the keyspace\r\n-ERR Replica can't interact with the keyspace\r\n",
    );
  });

  it("DEBUG refused by enable-debug-command counts as a rejected call, like Redis's protected commands", async () => {
    const r = target.client();
    await r.call("CONFIG", "RESETSTAT");
    await expect(r.call("DEBUG", "SLEEP", "0")).rejects.toThrow("ERR DEBUG command not allowed.");
    const stats = (await r.call("INFO", "commandstats")) as string;
    expect(stats).toMatch(/cmdstat_debug:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0/);
  });

  it("inside MULTI a refused DEBUG aborts the transaction", async () => {
    const { text } = await rawExchange(target.port, "MULTI\r\nDEBUG SLEEP 0\r\nEXEC\r\n", {
      until: (t) => t.includes("EXECABORT"),
    });
    expect(text).toMatch(
      /^\+OK\r\n-ERR DEBUG command not allowed\..*\r\n-EXECABORT Transaction discarded because of previous errors\.\r\n$/,
    );
  });
});
