// `kubetwin backtest SCENARIO --prometheus EXPORT... --out DIR`: the twin against what was
// observed, interval by interval; exit 1 when too few observed intervals fall in its band.

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/interrupts.hpp"
#include "headless/output_folder.hpp"
#include "runs/backtest_report.hpp"

namespace kt::cli {

namespace {

constexpr const char* kBacktestUsage =
    "usage: kubetwin backtest SCENARIO --prometheus EXPORT... --out DIR [--min-coverage F]\n"
    "                         [--replications N] [--policy NAME] [--seed N] [--set PATH=V]...\n"
    "                         [--threads N] [--match LABEL]\n"
    "  runs SCENARIO (calibrated: kubetwin calibrate) over the exports' window, N times\n"
    "  (default 39: a 95 % band from the lowest to the highest), and compares per workload\n"
    "  and interval its p50 and p99 latency and replicas with the observed ones\n"
    "  writes DIR/report.md, DIR/report.html, DIR/backtest.json, DIR/backtest.csv\n"
    "  exit 0, or 1 when the share of observed intervals inside the band is below\n"
    "  --min-coverage (0..1); 2 on invalid input\n";

}  // namespace

int backtest_command(const std::vector<std::string>& argv) {
  const Args args(argv,
                  {"prometheus", "out", "min-coverage", "replications", "policy", "seed", "set",
                   "threads", "match"},
                  {"help", "quiet"}, {"prometheus", "set"});
  if (args.flag("help")) {
    std::fputs(kBacktestUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1) {
    throw UsageError(std::string("backtest needs exactly one SCENARIO\n") + kBacktestUsage);
  }
  const std::vector<std::string> exports = export_files(args.values("prometheus"));
  if (exports.empty()) {
    throw UsageError(std::string("backtest needs --prometheus EXPORT\n") + kBacktestUsage);
  }
  const auto out_dir = args.value("out");
  if (!out_dir) throw UsageError(std::string("backtest needs --out DIR\n") + kBacktestUsage);
  runs::BacktestOptions options;
  options.replications = args.get_uint("replications", 39, 1, 10000);
  options.threads =
      args.get_uint("threads", std::max(1u, std::thread::hardware_concurrency()), 1, 4096);
  options.policy = args.value("policy").value_or("");
  options.seed = args.get_uint("seed", 0, 1, UINT64_MAX);
  options.observe.match_label = args.value("match").value_or("service");
  const double min_coverage =
      args.value("min-coverage") ? args.get_double("min-coverage", 0, 0, 1) : -1;
  for (const std::string& set : args.values("set")) {
    const std::size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError("--set needs PATH=VALUE, got '" + set + "'");
    }
    options.settings.emplace_back(set.substr(0, eq), set.substr(eq + 1));
  }
  OutputFolder folder(*out_dir);
  InterruptDeferral::install();
  scenario::Diagnostics diags;
  runs::Backtest bt;
  if (!runs::run_backtest(args.positionals().front(), exports, options, bt, diags)) {
    print_diagnostics(diags);
    return 2;
  }
  if (!args.flag("quiet")) print_diagnostics(diags);  // warnings
  InterruptDeferral::begin();
  folder.write("backtest.json", runs::backtest_json(bt, min_coverage));
  folder.write("backtest.csv", runs::backtest_csv(bt));
  folder.write("report.md", runs::backtest_markdown(bt, min_coverage));
  folder.write("report.html", runs::backtest_html(bt, min_coverage));
  folder.commit();
  InterruptDeferral::end();
  std::fputs(runs::backtest_table(bt).c_str(), stdout);
  const bool pass = min_coverage < 0 || bt.coverage() >= min_coverage;
  if (min_coverage >= 0) {
    std::printf("--min-coverage %.3g: %s\n", min_coverage, pass ? "pass" : "FAIL");
  }
  if (!args.flag("quiet")) {
    std::fprintf(stderr, "kubetwin: report in %s/report.html\n", out_dir->c_str());
  }
  return pass ? 0 : 1;
}

}  // namespace kt::cli
