#pragma once
// The Job controller (batch/v1) as a fleet component: each arrival of a workload that
// targets a Job runs the Job once. Like upstream's controller it keeps up to `parallelism`
// pods running until `completions` have succeeded, replacing failed ones after an
// exponential back-off (10 s, doubling, at most 6 min) until more than `backoffLimit` have
// failed. A run is reported as one request: its latency is the makespan, its wait the time
// until its first pod ran.

#include <cstdint>
#include <vector>

#include "models/cluster/fleet_component.hpp"

namespace kt::models {

class JobController final : public FleetComponent {
 public:
  explicit JobController(FleetCore& core) : FleetComponent(core) {}
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;
  bool on_arrival(std::uint32_t workload, SimTime service) override;
  void on_pod_ready(std::uint32_t pod) override;
  void on_pod_evicted(std::uint32_t deployment, std::uint32_t run) override;

 private:
  static constexpr EventKind kPodDone = 0;  // payload: pod, aux: generation
  static constexpr EventKind kRetry = 1;    // payload: run; its back-off is over

  struct JobRun {
    std::uint32_t deployment = 0;
    std::uint32_t workload = 0;
    SimTime submitted = 0;
    SimTime first_running = -1;
    std::uint32_t active = 0;
    std::uint32_t succeeded = 0;
    std::uint32_t failed = 0;
    bool finished = false;
  };

  void fill(std::uint32_t run);
  void pod_done(std::uint32_t pod, std::uint16_t generation);
  void finish(std::uint32_t run, bool success);
  std::vector<JobRun> runs_;
};

}  // namespace kt::models
