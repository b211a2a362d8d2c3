#include "models/quantum/qpu_queue.hpp"

#include <cmath>

namespace kt::quantum {

double QpuQueue::usage(std::uint32_t tenant, SimTime now) const {
  const Usage& u = usage_[tenant];
  if (half_life_ <= 0) return u.seconds;
  return u.seconds * std::exp2(-static_cast<double>(now - u.at) / static_cast<double>(half_life_));
}

void QpuQueue::charge(std::uint32_t tenant, SimTime used, SimTime now) {
  Usage& u = usage_[tenant];
  u.seconds = usage(tenant, now) + to_seconds(used);
  u.at = now;
}

QueuedJob QpuQueue::pop(SimTime now) {
  std::size_t best = 0;
  // Whether job a goes before job b under the policy.
  const auto before = [&](const QueuedJob& a, const QueuedJob& b) {
    switch (policy_) {
      case QueuePolicy::fifo:
        break;
      case QueuePolicy::priority:
        if (a.priority != b.priority) return a.priority > b.priority;
        break;
      case QueuePolicy::shortest_job_first:
        if (a.exec != b.exec) return a.exec < b.exec;
        break;
      case QueuePolicy::fair_share:
        if (a.tenant != b.tenant) {
          const double ua = usage(a.tenant, now);
          const double ub = usage(b.tenant, now);
          if (ua != ub) return ua < ub;
        }
        break;
    }
    return a.seq < b.seq;
  };
  for (std::size_t i = 1; i < jobs_.size(); ++i) {
    if (before(jobs_[i], jobs_[best])) best = i;
  }
  const QueuedJob out = jobs_[best];
  jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(best));
  work_ -= out.exec;
  return out;
}

}  // namespace kt::quantum
