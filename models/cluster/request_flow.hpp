#pragma once
// One replication of request workloads against Services with fixed replicas: sources generate
// arrivals, each Service is a ServicePool, a sampler records the time series. This is the
// first model `kubetwin run` drives; later models (autoscaling, serverless, ...) replace the
// fixed replica count.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/time.hpp"
#include "models/common/metrics.hpp"
#include "models/common/progress.hpp"
#include "models/workload/arrival_process.hpp"

namespace kt::models {

struct ServiceConfig {
  std::string name;
  std::uint32_t replicas = 1;
  std::uint32_t concurrency = 1;  // requests one replica serves at once
};

struct WorkloadConfig {
  std::string name;
  std::uint32_t service = 0;  // index into FlowConfig::services
  ArrivalConfig arrival;
  Distribution service_time = Distribution::deterministic(0);  // seconds
};

struct FlowConfig {
  SimTime duration = 0;
  SimTime warmup = 0;
  SimTime sample_interval = kMinute;  // widened so a run keeps at most kMaxRows rows
  std::vector<ServiceConfig> services;
  std::vector<WorkloadConfig> workloads;
  std::size_t queue_limit = 10'000'000;  // per Service: beyond it requests are dropped
  static constexpr std::size_t kMaxRows = 20'000;
};

struct FlowResult {
  MetricMap metrics;
  TimeSeries series;
  std::uint64_t events = 0;
};

// Runs one replication. `seed` and `replication` select the random streams; `threads` above
// one runs the arrival sources beside the Services (the result is the same either way).
FlowResult run_request_flow(const FlowConfig& config, std::uint64_t seed, std::uint64_t replication,
                            RunProgress* progress = nullptr, unsigned threads = 1);

// The interval the time series actually uses for a run of `duration`.
SimTime effective_sample_interval(SimTime requested, SimTime duration);

}  // namespace kt::models
