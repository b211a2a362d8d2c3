#pragma once
// A Service backed by a fixed number of ready replicas: each replica serves up to
// `concurrency` requests at once; requests beyond that wait in one FIFO queue (the kube-proxy
// view of a Deployment whose pods all take traffic). One LP per Service.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/quantile_sketch.hpp"
#include "engine/simulation.hpp"
#include "models/common/interval_histogram.hpp"

namespace kt::models {

// Per-workload request statistics, collected from the warm-up time on.
struct RequestStats {
  std::uint64_t arrivals = 0;   // arrivals at or after warm-up
  std::uint64_t completed = 0;  // completions at or after warm-up
  std::uint64_t dropped = 0;    // refused: the queue was at its safety limit
  std::uint64_t failed = 0;     // failed: no endpoint, or their pod's node went down
  double latency_sum_ns = 0;
  double wait_sum_ns = 0;
  QuantileSketch latency_ns;
  // Live state, for the time series.
  std::uint32_t in_service = 0;
  std::uint64_t queued = 0;
  IntervalHistogram interval_latency;  // since the last sample
  // Adds another workload's counts and latencies (for the global figures).
  void merge(const RequestStats& other) {
    arrivals += other.arrivals;
    completed += other.completed;
    dropped += other.dropped;
    failed += other.failed;
    latency_sum_ns += other.latency_sum_ns;
    wait_sum_ns += other.wait_sum_ns;
    latency_ns.merge(other.latency_ns);
  }
};

// Writes requests.*, latency.* and wait.mean_ms under `prefix` (latency and wait only when
// some request completed: absent keys mean "does not apply").
void export_request_stats(const RequestStats& stats, const std::string& prefix,
                          std::map<std::string, double>& out);

class ServicePool final : public LogicalProcess {
 public:
  static constexpr EventKind kArrive = 1;  // aux: request class (workload index); payload:
                                           // service demand in ns (models/workload/arrival_source)
  static constexpr EventKind kDepart = 2;  // payload: server slot

  // `classes` holds, per workload index, its statistics; entries for workloads that target
  // other Services are never used.
  struct RequestClass {
    RequestStats* stats = nullptr;
  };

  ServicePool(std::uint32_t replicas, std::uint32_t concurrency, SimTime warmup,
              std::size_t queue_limit, std::vector<RequestClass> classes);

  void handle(const Event& event, Context& ctx) override;

  std::uint32_t replicas() const { return replicas_; }
  std::uint32_t busy() const { return busy_; }
  std::size_t queued() const { return queue_size_; }

 private:
  struct Waiting {
    SimTime arrival;
    SimTime service;
    std::uint32_t klass;
  };
  void start(std::uint32_t slot, const Waiting& request, Context& ctx);
  void push(const Waiting& w);
  Waiting pop();

  std::uint32_t replicas_;
  SimTime warmup_;
  std::size_t queue_limit_;
  std::vector<RequestClass> classes_;
  // Server slots: who is in service since when.
  std::vector<SimTime> slot_arrival_;
  std::vector<SimTime> slot_start_;
  std::vector<std::uint32_t> slot_class_;
  std::vector<std::uint32_t> free_slots_;
  std::uint32_t busy_ = 0;
  // FIFO queue as a power-of-two ring buffer.
  std::vector<Waiting> queue_;
  std::size_t queue_head_ = 0;
  std::size_t queue_size_ = 0;
};

}  // namespace kt::models
