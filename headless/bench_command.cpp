// `kubetwin bench phold`: the engine benchmark as SPEC.md defines it.

#include <tbb/global_control.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/process_memory.hpp"
#include "models/synthetic/phold.hpp"

namespace kt::cli {
namespace {

constexpr const char* kPholdUsage =
    "usage: kubetwin bench phold [--lps N] [--events-per-lp E] [--remote P] [--end T]\n"
    "                            [--lookahead L] [--threads K] [--seed S]\n";
constexpr const char* kBenchUsage =
    "usage: kubetwin bench phold [--lps N] [--events-per-lp E] [--remote P] [--end T]\n"
    "                            [--lookahead L] [--threads K] [--seed S]\n"
    "       kubetwin bench schedule [--nodes N] [--pods P] [--seed S] (--help for more)\n";

int bench_phold(const std::vector<std::string>& argv) {
  const Args args(argv, {"lps", "events-per-lp", "remote", "end", "lookahead", "threads", "seed"},
                  {"help"});
  if (args.flag("help")) {
    std::fputs(kPholdUsage, stdout);
    return 0;
  }
  if (!args.positionals().empty()) {
    throw UsageError("unexpected argument '" + args.positionals().front() + "'\n" + kPholdUsage);
  }
  models::PholdConfig config;
  config.lps = static_cast<std::uint32_t>(args.get_uint("lps", 1024, 1, 16'777'216));
  config.events_per_lp =
      static_cast<std::uint32_t>(args.get_uint("events-per-lp", 16, 1, 1'000'000));
  if (static_cast<std::uint64_t>(config.lps) * config.events_per_lp > 1'000'000'000) {
    throw UsageError("--lps x --events-per-lp must not exceed 1e9 pending events");
  }
  config.remote_probability = args.get_double("remote", 0.5, 0, 1);
  config.end_time = args.get_double("end", 1000, 0, 1e9);
  config.lookahead = args.get_double("lookahead", 0, 0, 1e9);
  config.seed = args.get_uint("seed", 1, 0, UINT64_MAX);
  const auto threads = args.get_uint("threads", 1, 1, 4096);
  config.threads = static_cast<unsigned>(threads);

  const std::size_t rss_before_model = resident_bytes();
  models::PholdModel model(config);  // the arguments were range-checked above
  const std::size_t rss_lps = resident_bytes();
  model.schedule_initial_events();
  const std::size_t rss_events = resident_bytes();
  const auto pending = model.simulation().pending();
  const double set_bytes = static_cast<double>(model.simulation().event_set_bytes());

  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const auto start = std::chrono::steady_clock::now();
  model.run();
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::uint64_t events = model.events_handled();
  const std::size_t partitions = model.partitions();
  // After the run the ladder's rungs exist too: this is the steady-state figure.
  const double set_bytes_end = static_cast<double>(model.simulation().event_set_bytes()) /
                               static_cast<double>(model.simulation().pending());

  std::printf(
      "phold lps=%u events_per_lp=%u remote=%g end=%g lookahead=%g threads=%llu seed=%llu "
      "partitions=%zu\n",
      config.lps, config.events_per_lp, config.remote_probability, config.end_time,
      config.lookahead, static_cast<unsigned long long>(threads),
      static_cast<unsigned long long>(config.seed), partitions);
  std::printf(
      "pending_events=%zu event_set_bytes_per_event=%.1f (after run %.1f) "
      "rss_bytes_per_event=%.1f\n",
      pending, set_bytes / static_cast<double>(pending), set_bytes_end,
      static_cast<double>(rss_events - std::min(rss_events, rss_lps)) /
          static_cast<double>(pending));
  std::printf("rss_model_mib=%.1f peak_rss_mib=%.1f\n",
              static_cast<double>(rss_events - std::min(rss_events, rss_before_model)) / 1048576.0,
              static_cast<double>(peak_resident_bytes()) / 1048576.0);
  std::printf("events=%llu wall_s=%.6f events_per_sec=%.0f\n",
              static_cast<unsigned long long>(events), wall_s,
              wall_s > 0 ? std::floor(static_cast<double>(events) / wall_s) : 0.0);
  return 0;
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError(std::string("bench needs a benchmark name\n") + kBenchUsage);
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args.front() == "phold") return bench_phold(rest);
  if (args.front() == "schedule") return bench_schedule(rest);
  throw UsageError("unknown benchmark '" + args.front() + "'\n" + kBenchUsage);
}

}  // namespace kt::cli
