// `kubetwin run SCENARIO`: every policy x replication, in parallel; a side-by-side table;
// summary.json, timeseries.csv, report.md and junit.xml written atomically into the output
// folder.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/interrupts.hpp"
#include "headless/output_folder.hpp"
#include "headless/progress_bar.hpp"
#include "runs/report_html.hpp"
#include "runs/reports.hpp"
#include "runs/result_tables.hpp"
#include "runs/run_results.hpp"
#include "runs/runner.hpp"
#include "runs/summary_json.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/units.hpp"

#ifndef KUBETWIN_VERSION
#define KUBETWIN_VERSION "0.0.0"
#endif

namespace kt::cli {

using namespace runs;  // the run library: planning, execution, results, reports

namespace {

constexpr const char* kRunUsage =
    "usage: kubetwin run SCENARIO [--policy NAME]... [--seed N] [--replications N]\n"
    "                    [--threads N] [--out DIR] [--format table|json|md] [--sample DURATION]\n"
    "                    [--latency-buckets S1,S2,...] [--all] [--quiet]\n"
    "  the table shows the global metrics and SLOs; --all adds every per-scope row\n"
    "  --latency-buckets: per workload and sample, completions at or below each bound\n"
    "                     (seconds, ascending; Prometheus `le`) as timeseries.csv columns\n"
    "  exit 0 when every SLO holds, 1 when one fails, 2 on invalid input, 3 on internal error\n";

// "0.05,0.1,0.25": bucket bounds in seconds, each > 0 and above the one before.
std::vector<SimTime> parse_bucket_bounds(const std::string& text) {
  std::vector<SimTime> bounds;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const scenario::Parsed<double> v = scenario::parse_number(item);
    const SimTime t = v.ok() && v.value > 0 && v.value < 1e6 ? from_seconds(v.value) : 0;
    if (t <= 0 || (!bounds.empty() && t <= bounds.back())) {
      throw UsageError(
          "--latency-buckets needs ascending bounds in seconds, each > 0, e.g. "
          "0.05,0.1,0.25; got '" +
          item + "' in '" + text + "'");
    }
    bounds.push_back(t);
    start = comma + 1;
  }
  return bounds;
}

}  // namespace

int run_command(const std::vector<std::string>& argv) {
  const Args args(argv,
                  {"seed", "replications", "threads", "out", "format", "sample", "latency-buckets"},
                  {"help", "quiet", "all"}, {"policy"});
  if (args.flag("help")) {
    std::fputs(kRunUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1) {
    throw UsageError(std::string("run needs exactly one SCENARIO file\n") + kRunUsage);
  }
  const std::string format = args.value("format").value_or("table");
  if (format != "table" && format != "json" && format != "md") {
    throw UsageError("--format must be table, json or md, got '" + format + "'");
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t threads = args.get_uint("threads", cores, 1, 4096);
  const bool quiet = args.flag("quiet");
  InterruptDeferral::install();

  scenario::Diagnostics diags;
  PreparedRun prepared;
  scenario::Scenario& sc = prepared.scenario;
  const bool loaded = scenario::load_scenario_file(args.positionals().front(), sc, diags);
  if (!loaded) {
    print_diagnostics(diags);
    return 2;
  }
  if (args.value("seed")) sc.seed = args.get_uint("seed", 0, 0, UINT64_MAX);
  if (args.value("replications")) {
    sc.replications = static_cast<std::int64_t>(args.get_uint("replications", 1, 1, 10000));
  }
  if (!prepare_run(prepared, args.values("policy"), diags)) {
    print_diagnostics(diags);
    return 2;
  }
  if (!quiet) print_diagnostics(diags);  // warnings
  if (const auto sample = args.value("sample")) {
    const DurationParse d = parse_duration(*sample);
    if (!d.ok() || d.value_ns < kMillisecond) {
      throw UsageError("--sample must be a duration of at least 1ms, e.g. 10s, got '" + *sample +
                       "'");
    }
    for (scenario::RunPlan& plan : prepared.plans) {
      plan.fleet_config.sample_interval = d.value_ns;
    }
  }
  if (const auto buckets = args.value("latency-buckets")) {
    const std::vector<SimTime> bounds = parse_bucket_bounds(*buckets);
    for (scenario::RunPlan& plan : prepared.plans)
      plan.fleet_config.latency_buckets = bounds;
  }

  const std::string out_dir =
      args.value("out").value_or((std::filesystem::path("kubetwin-out") / sc.name).string());
  OutputFolder folder(out_dir);
  RunResults& results = prepared.results;
  if (!quiet) {
    for (const std::string& line : results.not_simulated) {
      std::fprintf(stderr, "kubetwin: %s\n", line.c_str());
    }
  }
  const std::size_t reps = static_cast<std::size_t>(sc.replications);
  const auto started = std::chrono::steady_clock::now();
  // The bar only for a person watching: stderr a terminal, and not --quiet.
  TerminalProgress bar(!quiet && ProgressBar::stderr_is_terminal());
  execute_runs({&prepared}, threads, &bar);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const std::string json = summary_json(results);
  InterruptDeferral::begin();  // from here to the rename, an interrupt waits
  folder.write("summary.json", json);
  folder.write("timeseries.csv", timeseries_csv(results));
  folder.write("report.md", report_markdown(results, reps));
  folder.write("junit.xml", junit_xml(results));
  folder.write("report.html", report_html(results, reps));
  folder.commit();
  InterruptDeferral::end();

  if (format == "json") {
    std::fputs(json.c_str(), stdout);
  } else {
    // Colour only for a person at a terminal (and never with NO_COLOR, https://no-color.org).
    const char* term = std::getenv("TERM");
    const bool colour = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") &&
                        !(term && std::string(term) == "dumb");
    std::fputs(format == "md" ? markdown_table(results).c_str()
                              : text_table(results, colour, args.flag("all")).c_str(),
               stdout);
  }
  if (!quiet) {
    std::uint64_t events = 0;
    double requests = 0;
    for (const RunRecord& run : results.runs) {
      events += run.events;
      const auto it = run.metrics.find("requests.completed");
      if (it != run.metrics.end()) requests += it->second;
    }
    std::fprintf(stderr,
                 "kubetwin: %zu run%s, %llu events, %.0f requests completed in %.2f s wall; "
                 "results in %s\n",
                 results.runs.size(), results.runs.size() == 1 ? "" : "s",
                 static_cast<unsigned long long>(events), requests, wall_s, out_dir.c_str());
  }
  return results.all_slos_pass() ? 0 : 1;
}

}  // namespace kt::cli
