// Preloaded with `node --import` into a benchmarked process: reports its peak resident set size
// and the CPU time of all its threads on exit, so the benchmark measures the real process rather
// than sampling it from outside. CPU time moves less than wall time on a shared machine.
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\nWARDFLOW_BENCH_MAX_RSS_KB=${usage.maxRSS}\nWARDFLOW_BENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`,
  );
});
