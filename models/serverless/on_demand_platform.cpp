// The on-demand FaaS platform (ServerlessController): an instance more when a request finds no
// free slot, idle instances removed by the keep-alive policy, counted exactly as idle memory.

#include <algorithm>

#include "models/cluster/fleet_core.hpp"
#include "models/serverless/serverless_controller.hpp"

namespace kt::models {

void ServerlessController::count_idle(std::uint32_t pod, bool idle) {
  if (counted_idle_.size() <= pod) counted_idle_.resize(pod + 1, 0);
  if ((counted_idle_[pod] != 0) == idle) return;
  counted_idle_[pod] = idle ? 1 : 0;
  Revision& rev = revisions_[revision_index_[core_.pod(pod).deployment]];
  const SimTime now = core_.now();
  const SimTime from = std::max(rev.idle_changed, core_.config().warmup);
  if (now > from)
    rev.idle_pod_ns += static_cast<double>(rev.idle_pods) * static_cast<double>(now - from);
  rev.idle_changed = now;
  rev.idle_pods = idle ? rev.idle_pods + 1 : rev.idle_pods - 1;
}

// An instance went idle: it goes after its keep-alive unless a request comes first.
void ServerlessController::on_request_done_idle(Revision& rev, std::uint32_t pod) {
  count_idle(pod, true);
  if (idle_epoch_.size() <= pod) idle_epoch_.resize(pod + 1, 0);
  const std::uint16_t epoch = ++idle_epoch_[pod];
  const SimTime keep = instance_keep_alive(rev);
  if (keep != kTimeMax) schedule_in(keep, kInstanceIdle, pod, epoch);
}

// Held requests beyond what the instances starting will take: one more instance.
void ServerlessController::scale_up_for_held(Revision& rev) {
  const DeploymentRuntime& rt = core_.deployment(rev.deployment);
  const std::int32_t live = live_pods(rev);
  const auto starting = static_cast<std::int32_t>(live - static_cast<std::int32_t>(rt.ready));
  const std::uint32_t cc = rev.cfg->container_concurrency;
  const double capacity = cc == 0 ? (starting > 0 ? 1e18 : 0) : static_cast<double>(starting) * cc;
  if (static_cast<double>(rev.held.size()) <= capacity) return;
  if (rev.cfg->max_scale > 0 && live >= rev.cfg->max_scale) return;
  rev.want = live + 1;
  core_.set_desired(rev.deployment, rev.want);
}

// How long an idle instance stays: the fixed keep-alive, none, the hybrid policy's keep-alive
// window (while the function is busy), or for ever (the platform's default: OpenFaaS and
// Kubeless keep their replicas).
SimTime ServerlessController::instance_keep_alive(const Revision& rev) const {
  using Kind = serverless::KeepAliveConfig::Kind;
  switch (rev.cfg->keep_alive.kind) {
    case Kind::none:
      return 0;
    case Kind::fixed:
      return rev.cfg->keep_alive.duration;
    case Kind::hybrid_histogram:
      return rev.idle_since >= 0 ? kTimeMax : rev.windows.keep_alive;  // idle: the windows rule
    case Kind::platform:
      break;
  }
  return kTimeMax;
}

void ServerlessController::instance_idle(std::uint32_t pod, std::uint16_t epoch) {
  if (pod >= idle_epoch_.size() || idle_epoch_[pod] != epoch) return;
  const Pod& p = core_.pod(pod);
  if (p.state != PodState::ready || p.outstanding > 0) return;
  const std::uint32_t index = revision_index_[p.deployment];
  if (index == kNotOurs) return;
  Revision& rev = revisions_[index];
  const std::int32_t live = live_pods(rev);
  if (live <= rev.cfg->min_scale) return;
  ++idle_epoch_[pod];
  rev.want = live - 1;
  core_.init_desired(rev.deployment, rev.want);
  core_.delete_pod(pod);
}

// An idle function under the hybrid policy: no instance before its pre-warm, one in its
// keep-alive window, none after (never below the platform's minimum).
void ServerlessController::fit_idle_on_demand(Revision& rev) {
  if (rev.idle_since < 0 || in_flight(rev) > 0) return;
  const SimTime now = core_.now();
  const SimTime from = rev.idle_since + rev.windows.prewarm;
  const bool in_window =
      now >= from && (rev.windows.keep_alive == kTimeMax || now < from + rev.windows.keep_alive);
  const std::int32_t target = std::max(rev.cfg->min_scale, in_window ? 1 : 0);
  if (live_pods(rev) < target) {
    rev.want = target;
    core_.set_desired(rev.deployment, target);
    return;
  }
  while (live_pods(rev) > target) {
    const std::uint32_t victim = core_.deployment(rev.deployment).pods[rev.place].back();
    rev.want = live_pods(rev) - 1;
    core_.init_desired(rev.deployment, rev.want);
    core_.delete_pod(victim);
  }
}

std::int32_t ServerlessController::live_pods(const Revision& rev) const {
  return static_cast<std::int32_t>(core_.deployment(rev.deployment).pods[rev.place].size());
}

}  // namespace kt::models
