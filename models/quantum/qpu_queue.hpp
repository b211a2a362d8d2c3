#pragma once
// A QPU's queue of waiting jobs and the policy that picks the next (docs/models/quantum.md):
//   fifo                by submission;
//   priority            the highest priority first, by submission within one;
//   shortest_job_first  the shortest expected execution first (non-preemptive);
//   fair_share          the tenant whose past QPU time, decaying with a half-life, is least
//                       first (equal shares), by submission within a tenant: our reading of
//                       IBM Quantum's fair-share scheduling.

#include <cstdint>
#include <vector>

#include "engine/time.hpp"
#include "models/quantum/quantum_config.hpp"

namespace kt::quantum {

struct QueuedJob {
  std::uint32_t job = 0;
  std::uint32_t tenant = 0;
  std::int32_t priority = 0;
  SimTime exec = 0;
  std::uint64_t seq = 0;  // submission order
};

class QpuQueue {
 public:
  QpuQueue(QueuePolicy policy, SimTime half_life, std::size_t tenants)
      : policy_(policy), half_life_(half_life), usage_(tenants) {}

  bool empty() const { return jobs_.empty(); }
  std::size_t size() const { return jobs_.size(); }
  SimTime queued_work() const { return work_; }
  void push(const QueuedJob& job) {
    jobs_.push_back(job);
    work_ += job.exec;
  }
  // Removes and returns the job the policy runs next (the queue is not empty).
  QueuedJob pop(SimTime now);
  // Fair share: `tenant` used the QPU for `used` from `now` on.
  void charge(std::uint32_t tenant, SimTime used, SimTime now);
  // A tenant's decayed past QPU time, in seconds, at `now`.
  double usage(std::uint32_t tenant, SimTime now) const;

 private:
  struct Usage {
    double seconds = 0;
    SimTime at = 0;
  };
  QueuePolicy policy_;
  SimTime half_life_;
  std::vector<QueuedJob> jobs_;
  SimTime work_ = 0;
  std::vector<Usage> usage_;  // per tenant
};

}  // namespace kt::quantum
