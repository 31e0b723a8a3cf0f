import { measure } from "mitata";
import RedisParser from "redis-parser";
import { RequestParser } from "../dist/index.js";
import { requestWorkload } from "./workloads.mjs";

const w = requestWorkload(Number(process.argv[2] ?? 1000), 20000);
const ours = new RequestParser();
let sink = 0;
const oursRun = () => {
  for (const c of w.chunks) {
    ours.feed(c);
    while (ours.next()) sink += ours.argc + ours.lengths[1];
  }
};
const rp = new RedisParser({ returnReply: (r) => { sink += r.length + r[1].length; }, returnError() {}, returnFatalError(e) { throw e; }, returnBuffers: true });
const rpRun = () => { for (const c of w.chunks) rp.execute(c); };
for (let round = 0; round < 3; round++) {
  const a = await measure(oursRun);
  const b = await measure(rpRun);
  console.log(`ours ${(a.avg / 1e6).toFixed(2)} ms, redis-parser(buffers) ${(b.avg / 1e6).toFixed(2)} ms, ratio ${(b.avg / a.avg).toFixed(2)}x, cmds/s ours ${(w.commands / (a.avg / 1e9) / 1e6).toFixed(1)}M`);
}
console.log(sink > 0);
