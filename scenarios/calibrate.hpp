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
  // The service time the calibrated scenario gets: the chosen fit, corrected for the wait in
  // the pods' queues when runs::correct_for_queueing ran (then twin_latency_mean_s > 0: the
  // mean latency the twin gave with the uncorrected fit as service time).
  std::string service_family;
  double service_mean_s = 0, service_cv = 0;
  double twin_latency_mean_s = 0, twin_latency_cv = 0;
  int yaml_index = -1;  // its place in the scenario document's spec.workloads
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
  int correction_runs = 0;  // replications run by runs::correct_for_queueing (0: none)
};

// Reads the scenario and the exports, fits every workload that has series, and writes the
// calibrated scenario for `out_dir` (relative paths are rewritten to be read from there).
// False, with errors in `diags`, on bad input (the exports' own errors included).
bool calibrate(const std::string& scenario_path, const std::vector<std::string>& exports,
               const std::string& out_dir, const CalibrationOptions& options, Calibration& out,
               Diagnostics& diags);

// The calibrated scenario's text for `out_dir`, from `cal`'s current service and arrival
// values (calibrate() calls it; call it again after changing them).
bool render_calibrated_scenario(Calibration& cal, const std::string& out_dir, Diagnostics& diags);

// The calibrated values as --set settings on the input scenario (PATH, VALUE): the run window,
// and each workload's diurnal arrival (also in replay mode: the replayed file is written
// only with the output) and service time.
std::vector<std::pair<std::string, std::string>> calibrated_settings(const Calibration& cal);

// Reads and maps exports onto a loaded scenario (shared with the back-test).
bool observe_exports(const Scenario& sc, const std::vector<std::string>& exports,
                     const ObservationOptions& options, std::vector<WorkloadObservation>& out,
                     Diagnostics& diags);

}  // namespace kt::scenario
