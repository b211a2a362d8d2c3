#pragma once
// `kubetwin backtest`: the twin run over an exported window, replicated, and compared with
// what Prometheus observed there, interval by interval: per workload the p50 and p99 latency
// (both sides through Prometheus's histogram_quantile on the export's own buckets, so that
// the estimator is the same) and the replica count.
//
// The band: with R replications and the observed interval exchangeable with them (the twin
// is right), the observed value falls below the j-th smallest of the R with probability
// j / (R + 1); the band [j-th smallest, j-th largest] with j = floor(0.025 (R + 1)) therefore
// covers it with probability 1 - 2j / (R + 1): 95 % for R = 39 (the default), [min, max].

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/diagnostics.hpp"
#include "scenarios/prometheus_export.hpp"

namespace kt::runs {

struct BacktestOptions {
  std::uint64_t replications = 39;
  std::uint64_t threads = 1;
  std::string policy;                                         // "" = the first
  std::vector<std::pair<std::string, std::string>> settings;  // --set PATH=VALUE
  std::uint64_t seed = 0;                                     // 0 = the scenario's
  scenario::ObservationOptions observe;
};

struct MetricComparison {
  std::string metric;                                  // latency.p50_ms, latency.p99_ms, replicas
  std::vector<double> observed, predicted, low, high;  // per interval; NaN: not compared
  int compared = 0;
  int covered = 0;
  double mape = 0;  // mean |observed - predicted| / observed, over compared intervals
  double coverage() const { return compared ? static_cast<double>(covered) / compared : 0; }
};

struct WorkloadBacktest {
  std::string workload;
  std::vector<double> times;  // unix time at each interval's end
  std::vector<MetricComparison> metrics;
};

struct Backtest {
  std::string scenario_file;
  std::vector<std::string> exports;
  std::string policy;
  std::uint64_t replications = 0;
  int band_rank = 0;            // j: the band is the j-th smallest to the j-th largest
  double nominal_coverage = 0;  // 1 - 2j / (R + 1)
  double window_start_unix = 0, window_s = 0, step_s = 0;
  std::vector<WorkloadBacktest> workloads;
  int compared = 0, covered = 0;  // every metric of every workload
  double coverage() const { return compared ? static_cast<double>(covered) / compared : 0; }
};

// Prometheus's histogram_quantile (promql/quantile.go, bucketQuantile) over cumulative
// counts at `bounds` and a last +Inf count: linear within the bucket holding rank q x total,
// 0 as the lowest bucket's lower edge, the highest finite bound when the rank falls in +Inf.
// NaN when there are no observations.
double histogram_quantile(double q, const std::vector<double>& bounds,
                          const std::vector<double>& cumulative);

// Loads the scenario (with `settings` applied), maps the exports onto it, runs it over their
// window and compares. False, with errors in `diags`, on bad input.
bool run_backtest(const std::string& scenario_path, const std::vector<std::string>& exports,
                  const BacktestOptions& options, Backtest& out, scenario::Diagnostics& diags);

}  // namespace kt::runs
