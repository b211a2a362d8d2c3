#pragma once
// Per-workload (and per-place) request statistics, collected from the warm-up on, and their
// export under the SPEC metric keys.

#include <cstdint>
#include <map>
#include <string>

#include "engine/quantile_sketch.hpp"
#include "models/common/interval_histogram.hpp"

namespace kt::models {

struct RequestStats {
  std::uint64_t arrivals = 0;   // arrivals at or after warm-up
  std::uint64_t completed = 0;  // completions at or after warm-up
  std::uint64_t failed = 0;     // failed: no endpoint, or their pod's node went down
  std::uint64_t retries = 0;    // extra tries of retried requests (a mesh's retry policy)
  bool retried = false;         // a retry policy applies: requests.retries is reported
  // Refused by a full bounded buffer (Knative's activator or queue-proxy: a 503); also
  // counted in failed.
  std::uint64_t dropped = 0;
  bool bounded = false;  // its path has a bounded buffer: requests.dropped is reported
  // From an edge site cut off from the cloud: served there or buffered (edge.requests.offline).
  std::uint64_t offline = 0;
  double latency_sum_ns = 0;
  double wait_sum_ns = 0;
  QuantileSketch latency_ns;
  // Live state, for the time series.
  std::uint32_t in_service = 0;
  std::uint64_t queued = 0;
  IntervalHistogram interval_latency;  // since the last sample
  // Completions since the last sample per bucket of FleetConfig::latency_buckets (the last
  // entry: above every bound); empty unless buckets were asked for.
  std::vector<std::uint64_t> interval_buckets;
  // Adds another workload's counts and latencies (for the global figures).
  void merge(const RequestStats& other) {
    arrivals += other.arrivals;
    completed += other.completed;
    failed += other.failed;
    retries += other.retries;
    retried = retried || other.retried;
    dropped += other.dropped;
    offline += other.offline;
    bounded = bounded || other.bounded;
    latency_sum_ns += other.latency_sum_ns;
    wait_sum_ns += other.wait_sum_ns;
    latency_ns.merge(other.latency_ns);
  }
};

// Writes requests.*, latency.* and wait.mean_ms under `prefix` (latency and wait only when
// some request completed: absent keys mean "does not apply").
void export_request_stats(const RequestStats& stats, const std::string& prefix,
                          std::map<std::string, double>& out);

}  // namespace kt::models
