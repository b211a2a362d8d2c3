#pragma once
// `kubetwin calibrate`: a scenario's workloads fitted to what Prometheus observed. Each
// workload aimed at a Service gets an arrival process fitted to its request rate (a diurnal
// curve by least squares, or the observed curve replayed as a non-homogeneous Poisson
// process) and a service-time distribution fitted to its latency histogram (lognormal and
// gamma by maximum likelihood on the buckets; the one with the lower AIC is kept). The
// calibrated scenario is the input with those fields replaced, its run window set to the
// export's, and its relative paths rewritten for the output folder.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/fitting/bucket_fit.hpp"
#include "models/fitting/diurnal_fit.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/prometheus_export.hpp"
#include "scenarios/rate_trace.hpp"

namespace kt::scenario {

struct CalibrationOptions {
  std::string arrival = "diurnal";  // or "replay"
  double period_s = 86400;          // the diurnal curve's period
  ObservationOptions observe;
};

struct WorkloadCalibration {
  std::string workload;
  WorkloadObservation observed;
  double requests = 0;  // observed in the window (rate x step, summed)
  models::DiurnalFit diurnal;
  std::string rate_file;  // replay: the rate trace written, relative to the output folder
  RateTrace trace;
  std::optional<models::BucketFit> lognormal, gamma;
  const models::BucketFit* chosen() const;  // the lower AIC, or null when nothing was fitted
  std::vector<double> bucket_counts;        // requests per bucket over the window
};

struct Calibration {
  std::string scenario_file;
  std::vector<std::string> exports;
  CalibrationOptions options;
  double window_start_unix = 0;
  double window_s = 0;
  double step_s = 0;
  std::vector<WorkloadCalibration> workloads;
  std::string scenario_yaml;                               // the calibrated scenario
  std::vector<std::pair<std::string, std::string>> files;  // more files: path, content
};

// Reads the scenario and the exports, fits every workload that has series, and writes the
// calibrated scenario for `out_dir` (relative paths are rewritten to be read from there).
// False, with errors in `diags`, on bad input (the exports' own errors included).
bool calibrate(const std::string& scenario_path, const std::vector<std::string>& exports,
               const std::string& out_dir, const CalibrationOptions& options, Calibration& out,
               Diagnostics& diags);

// Reads and maps exports onto a loaded scenario (shared with the back-test).
bool observe_exports(const Scenario& sc, const std::vector<std::string>& exports,
                     const ObservationOptions& options, std::vector<WorkloadObservation>& out,
                     Diagnostics& diags);

}  // namespace kt::scenario
