#pragma once
// The results of `kubetwin run`: one record per policy x replication, their summaries per
// policy (mean, 95 % CI, min, max over replications), and the SLO verdicts.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/replication.hpp"
#include "models/common/metrics.hpp"
#include "scenarios/scenario.hpp"

namespace kt::runs {

struct RunRecord {
  std::string policy;
  std::uint64_t replication = 0;
  std::uint64_t seed = 0;
  models::MetricMap metrics;
  models::TimeSeries series;
  std::uint64_t events = 0;
};

struct SloVerdict {
  std::string metric;
  std::string policy;
  std::optional<double> value;  // absent when no run produced the metric
  std::optional<double> max;
  std::optional<double> min;
  bool pass = false;
};

struct RunResults {
  std::string scenario;
  std::string version;
  std::vector<std::string> policies;  // in scenario order
  std::vector<RunRecord> runs;        // policy-major, then replication
  std::map<std::string, std::map<std::string, ReplicationSummary>> summary;  // policy -> key
  std::vector<SloVerdict> slos;
  std::vector<std::string> not_simulated;
  bool all_slos_pass() const;
};

// Fills `summary` and `slos` from `runs`.
void summarize_runs(RunResults& results, const std::vector<scenario::Slo>& slos);

}  // namespace kt::runs
