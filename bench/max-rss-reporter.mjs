// Preloaded with `node --import` into a benchmarked process: reports its peak resident set size
// on exit, so the benchmark measures the real process rather than sampling it from outside.
process.on('exit', () => {
  process.stderr.write(`\nWARDFLOW_BENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
