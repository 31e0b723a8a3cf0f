// Times one candidate of one suite in this process and prints { avg } (ns per call) as JSON.
// The clock is the process's CPU time, not wall time: on a shared machine a benchmark process
// is often descheduled, which wall time would charge to whichever candidate was running.
import { measure } from "mitata";
import { suites } from "./suites.mjs";

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
};

const [suiteName, candidateId, cpuMs] = process.argv.slice(2);
const suite = suites[suiteName]();
const run = suite.candidates[candidateId].setup();
const stats = await measure(run, { min_cpu_time: Number(cpuMs) * 1e6, now: cpuNow });
process.stdout.write(JSON.stringify({ avg: stats.avg }));
