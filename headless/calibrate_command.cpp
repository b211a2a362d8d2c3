// `kubetwin calibrate SCENARIO --prometheus EXPORT... --out DIR`: the scenario's workloads
// fitted to Prometheus exports; the calibrated scenario and a report of every fit.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/output_folder.hpp"
#include "runs/calibration_report.hpp"
#include "runs/queueing_correction.hpp"
#include "scenarios/calibrate.hpp"
#include "scenarios/units.hpp"

namespace kt::cli {

namespace {

constexpr const char* kCalibrateUsage =
    "usage: kubetwin calibrate SCENARIO --prometheus EXPORT... --out DIR\n"
    "                          [--arrival diurnal|replay] [--period DURATION] [--match LABEL]\n"
    "                          [--no-queueing-correction] [--threads N]\n"
    "  EXPORT: the JSON of Prometheus's /api/v1/query_range (a file, or a folder of *.json):\n"
    "          request rates per Service, latency buckets (le), kube-state-metrics replicas\n"
    "  --arrival: diurnal (a least-squares fit, default) or replay (the observed rate curve\n"
    "             as a non-homogeneous Poisson process); --period: the diurnal period (24h)\n"
    "  --match: the series label that names a workload's Service (default: service)\n"
    "  --no-queueing-correction: keep the histogram's fit as service time (by default the\n"
    "             twin is run with it and the service time scaled so that the twin's latency\n"
    "             matches the observed: the histogram includes the wait in pods' queues)\n"
    "  writes DIR/scenario.yaml, DIR/calibration.md, DIR/calibration.json (and DIR/rates/)\n"
    "  exit 0 when calibrated, 2 on invalid input\n";

}  // namespace

std::vector<std::string> export_files(const std::vector<std::string>& given) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : given) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.path().extension() == ".json") found.push_back(entry.path().string());
      }
      if (found.empty()) throw UsageError("--prometheus " + path + ": no *.json in this folder");
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

int calibrate_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"prometheus", "out", "arrival", "period", "match", "threads"},
                  {"help", "no-queueing-correction"}, {"prometheus"});
  if (args.flag("help")) {
    std::fputs(kCalibrateUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1) {
    throw UsageError(std::string("calibrate needs exactly one SCENARIO\n") + kCalibrateUsage);
  }
  const std::vector<std::string> exports = export_files(args.values("prometheus"));
  if (exports.empty()) {
    throw UsageError(std::string("calibrate needs --prometheus EXPORT\n") + kCalibrateUsage);
  }
  const auto out_dir = args.value("out");
  if (!out_dir) throw UsageError(std::string("calibrate needs --out DIR\n") + kCalibrateUsage);
  scenario::CalibrationOptions options;
  options.arrival = args.value("arrival").value_or("diurnal");
  if (options.arrival != "diurnal" && options.arrival != "replay") {
    throw UsageError("--arrival must be diurnal or replay, got '" + options.arrival + "'");
  }
  if (const auto period = args.value("period")) {
    const DurationParse d = parse_duration(*period);
    if (!d.ok() || d.value_ns < kMinute) {
      throw UsageError("--period must be a duration of at least 1m, e.g. 24h, got '" + *period +
                       "'");
    }
    options.period_s = to_seconds(d.value_ns);
  }
  options.observe.match_label = args.value("match").value_or("service");
  OutputFolder folder(*out_dir);
  scenario::Diagnostics diags;
  scenario::Calibration cal;
  if (!scenario::calibrate(args.positionals().front(), exports, *out_dir, options, cal, diags)) {
    print_diagnostics(diags);
    return 2;
  }
  if (!args.flag("no-queueing-correction")) {
    // Four runs: the correction's own noise is then well below the fit's (docs/twin.md).
    const std::uint64_t threads =
        args.get_uint("threads", std::max(1u, std::thread::hardware_concurrency()), 1, 4096);
    if (!runs::correct_for_queueing(cal, *out_dir, 4, threads, diags)) {
      print_diagnostics(diags);
      return 2;
    }
  }
  print_diagnostics(diags);  // warnings
  folder.write("scenario.yaml", cal.scenario_yaml);
  for (const auto& [path, content] : cal.files)
    folder.write(path, content);
  folder.write("calibration.md", runs::calibration_markdown(cal));
  folder.write("calibration.json", runs::calibration_json(cal));
  folder.commit();
  std::fputs(runs::calibration_summary(cal).c_str(), stdout);
  std::fprintf(stderr,
               "kubetwin: %zu workload%s calibrated; scenario in %s/scenario.yaml, fits in "
               "%s/calibration.md\n",
               cal.workloads.size(), cal.workloads.size() == 1 ? "" : "s", out_dir->c_str(),
               out_dir->c_str());
  return 0;
}

}  // namespace kt::cli
