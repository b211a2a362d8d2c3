#include "models/serverless/serverless_controller.hpp"

#include <algorithm>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

ServerlessController::ServerlessController(FleetCore& core) : FleetComponent(core) {
  const FleetConfig& config = core.config();
  revision_index_.assign(config.deployments.size(), kNotOurs);
  for (std::uint32_t d = 0; d < config.deployments.size(); ++d) {
    const FleetDeployment& dep = config.deployments[d];
    if (!dep.serverless) continue;
    revision_index_[d] = static_cast<std::uint32_t>(revisions_.size());
    Revision rev;
    rev.deployment = d;
    rev.place = dep.places.front();
    rev.cfg = &*dep.serverless;
    const SimTime window = rev.cfg->kpa.stable_window;
    rev.stable = autoscaling::WindowBuckets(window);
    rev.panic = autoscaling::WindowBuckets(std::max<SimTime>(kSecond, window / 10));
    if (rev.cfg->keep_alive.kind == serverless::KeepAliveConfig::Kind::hybrid_histogram) {
      rev.histogram.emplace(rev.cfg->keep_alive.hybrid);
    }
    revisions_.push_back(std::move(rev));
  }
  cold_.assign(config.workloads.size(), 0);
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    if (revision_index_[config.workloads[w].deployment] != kNotOurs) {
      core.workload_stats(w).bounded = true;  // the activator's buffer and queue-proxies
    }
  }
}

void ServerlessController::start() {
  for (std::uint32_t i = 0; i < revisions_.size(); ++i) {
    Revision& rev = revisions_[i];
    const serverless::RevisionConfig& cfg = *rev.cfg;
    rev.decider.emplace(cfg.kpa, 0, 0);
    // A new revision starts at its initial scale (1 by default) and scales to zero only
    // after a stable window without traffic.
    std::int32_t initial = std::max(cfg.min_scale, cfg.initial_scale);
    if (cfg.max_scale > 0) initial = std::min(initial, cfg.max_scale);
    rev.want = initial;
    rev.reached_initial = initial == 0;
    rev.active_since = initial > 0 ? 0 : -1;
    rev.inactive_since = initial > 0 ? -1 : 0;
    rev.idle_since = 0;
    core_.init_desired(rev.deployment, initial);
    core_.track_busy(rev.deployment);
    if (!on_demand(rev)) {
      rev.ticking = true;
      rev.decide_next = false;
      schedule_at(kSecond, kScrape, i);
    }
    if (uses_windows(rev)) went_idle(rev, 0);  // before the run: no clock yet
  }
}

void ServerlessController::handle(EventKind kind, std::uint64_t payload, std::uint16_t aux) {
  if (kind == kInstanceIdle) return instance_idle(static_cast<std::uint32_t>(payload), aux);
  Revision& rev = revisions_[payload];
  switch (kind) {
    case kScrape:
      scrape(rev);
      break;
    case kPoke:
      decide(rev);
      break;
    case kWindow:
      if (aux != rev.window_generation) return;  // the revision was busy since
      if (on_demand(rev)) return fit_idle_on_demand(rev);
      if (!rev.ticking) start_ticking(rev);
      decide(rev);
      break;
    default:
      break;
  }
}

std::uint32_t ServerlessController::in_flight(const Revision& rev) const {
  return core_.deployment(rev.deployment).outstanding + static_cast<std::uint32_t>(rev.held.size());
}

bool ServerlessController::uses_windows(const Revision& rev) const {
  using Kind = serverless::KeepAliveConfig::Kind;
  const Kind k = rev.cfg->keep_alive.kind;
  return k == Kind::fixed || k == Kind::hybrid_histogram;
}

void ServerlessController::reconcile(std::uint32_t deployment) {
  const Revision& rev = revision_of(deployment);
  const DeploymentRuntime& rt = core_.deployment(deployment);
  const auto& live = rt.pods[rev.place];
  while (static_cast<std::int32_t>(live.size()) < rt.desired)
    core_.create_pod(deployment, rev.place);
  // On demand, the component deletes the very instances that went idle.
  if (on_demand(rev)) return;
  while (static_cast<std::int32_t>(live.size()) > rt.desired) {
    // The ReplicaSet's ranking: pending, then starting, then the least loaded ready pod.
    std::uint32_t victim = live.back();
    int victim_rank = 99;
    std::uint32_t victim_load = 0xFFFFFFFFu;
    for (std::uint32_t p : live) {
      const Pod& pod = core_.pod(p);
      const int rank = pod.state == PodState::pending ? 0 : pod.state == PodState::starting ? 1 : 2;
      if (rank < victim_rank || (rank == victim_rank && pod.outstanding < victim_load)) {
        victim = p;
        victim_rank = rank;
        victim_load = pod.outstanding;
      }
    }
    core_.delete_pod(victim);
  }
}

void ServerlessController::became_busy(Revision& rev) {
  if (rev.idle_since < 0) return;
  if (rev.histogram) rev.histogram->observe(core_.now() - rev.idle_since);
  rev.idle_since = -1;
  ++rev.window_generation;  // its windows no longer apply
}

void ServerlessController::went_idle(Revision& rev, SimTime now) {
  rev.idle_since = now;
  if (!uses_windows(rev)) return;
  const serverless::KeepAliveConfig& ka = rev.cfg->keep_alive;
  if (ka.kind == serverless::KeepAliveConfig::Kind::fixed) {
    rev.windows = {0, ka.duration, serverless::KeepAliveWindows::Basis::standard};
  } else {
    rev.windows = rev.histogram->windows();
  }
  ++rev.window_generation;
  const auto index = revision_index_[rev.deployment];
  // A decision at each edge of the window: unload now when it pre-warms later.
  if (rev.windows.prewarm > 0) {
    schedule_at(now, kWindow, index, rev.window_generation);
    schedule_at(now + rev.windows.prewarm, kWindow, index, rev.window_generation);
  }
  if (rev.windows.keep_alive != kTimeMax) {
    schedule_at(now + rev.windows.prewarm + rev.windows.keep_alive, kWindow, index,
                rev.window_generation);
  }
}

bool ServerlessController::on_arrival(std::uint32_t workload, SimTime service) {
  const std::uint32_t d = core_.config().workloads[workload].deployment;
  Revision& rev = revision_of(d);
  ++rev.arrivals;
  became_busy(rev);
  if (!on_demand(rev)) {
    if (!rev.ticking) start_ticking(rev);
    if (!rev.proxy && core_.deployment(d).ready > 0) return false;  // straight to the pods
  }
  admit(rev, {workload, service, core_.now()});
  return true;
}

// A retry goes through the ingress again: to the activator while it is in the path (the
// gateway, on demand), else straight to the pods.
bool ServerlessController::on_retry(std::uint32_t workload, std::uint32_t request) {
  const std::uint32_t d = core_.config().workloads[workload].deployment;
  Revision& rev = revision_of(d);
  became_busy(rev);
  if (!on_demand(rev) && !rev.proxy && core_.deployment(d).ready > 0) return false;
  admit(rev, {workload, 0, core_.request_arrival(request), request});
  return true;
}

void ServerlessController::on_pod_ready(std::uint32_t pod) {
  if (ready_at_.size() <= pod) ready_at_.resize(pod + 1, 0);
  ready_at_[pod] = core_.now();
  Revision& rev = revision_of(core_.pod(pod).deployment);
  if (on_demand(rev)) count_idle(pod, true);
  drain(rev);
  // Started with nothing to do (a pre-warmed instance): its keep-alive runs from now.
  if (on_demand(rev) && core_.pod(pod).outstanding == 0) on_request_done_idle(rev, pod);
}

void ServerlessController::on_pod_removed(std::uint32_t pod) {
  const std::uint32_t index = revision_index_[core_.pod(pod).deployment];
  if (index != kNotOurs && on_demand(revisions_[index])) count_idle(pod, false);
}

void ServerlessController::on_request_done(std::uint32_t pod) {
  Revision& rev = revision_of(core_.pod(pod).deployment);
  drain(rev);
  if (in_flight(rev) == 0 && rev.idle_since < 0) went_idle(rev, core_.now());
  if (on_demand(rev) && core_.pod(pod).outstanding == 0 &&
      core_.pod(pod).state == PodState::ready) {
    on_request_done_idle(rev, pod);
  }
}

}  // namespace kt::models
