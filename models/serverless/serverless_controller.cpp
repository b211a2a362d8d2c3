#include "models/serverless/serverless_controller.hpp"

#include <algorithm>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

namespace {
constexpr std::uint32_t kNotOurs = 0xFFFFFFFFu;
}  // namespace

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

std::vector<std::uint32_t> ServerlessController::deployments() const {
  std::vector<std::uint32_t> out;
  for (const Revision& rev : revisions_)
    out.push_back(rev.deployment);
  return out;
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

void ServerlessController::start_ticking(Revision& rev) {
  rev.ticking = true;
  rev.decide_next = false;
  rev.last_scrape = core_.now();
  core_.take_outstanding_area(rev.deployment);  // nothing was outstanding while it slept
  note_held(rev);
  rev.held_area = 0;
  schedule_in(kSecond, kScrape, revision_index_[rev.deployment]);
}

void ServerlessController::note_held(Revision& rev) {
  const SimTime now = core_.now();
  rev.held_area += static_cast<double>(rev.held.size()) * static_cast<double>(now - rev.held_since);
  rev.held_since = now;
}

// Ready pods with nothing outstanding hold memory for nothing (Shahrad et al.'s wasted
// memory); sampled each scrape.
void ServerlessController::sample_idle(Revision& rev, SimTime elapsed) {
  const SimTime now = core_.now();
  if (now > core_.config().warmup) {
    const SimTime counted = std::min(elapsed, now - core_.config().warmup);
    rev.idle_pod_ns += static_cast<double>(rev.idle_pods) * static_cast<double>(counted);
  }
  std::uint32_t idle = 0;
  for (std::uint32_t p : core_.deployment(rev.deployment).ready_sets[rev.place].pods)
    idle += core_.pod(p).outstanding == 0 ? 1 : 0;
  rev.idle_pods = idle;
}

// Each second: the concurrency (or rate) of the last second into the windows, held requests
// past the revision's timeout failed, and every other second a decision.
void ServerlessController::scrape(Revision& rev) {
  const SimTime now = core_.now();
  const SimTime elapsed = std::max<SimTime>(1, now - rev.last_scrape);
  rev.last_scrape = now;
  note_held(rev);
  const double area = core_.take_outstanding_area(rev.deployment) + rev.held_area;
  rev.held_area = 0;
  const double value = rev.cfg->rps_metric ? static_cast<double>(rev.arrivals) / to_seconds(elapsed)
                                           : area / static_cast<double>(elapsed);
  rev.arrivals = 0;
  rev.stable.record(now, value);
  rev.panic.record(now, value);
  sample_idle(rev, elapsed);
  // Held too long: the revision's timeoutSeconds ends the request (the activator's 504).
  while (!rev.held.empty() && now - rev.held.front().arrived >= rev.cfg->revision_timeout) {
    note_held(rev);
    const Held& h = rev.held.front();
    if (h.request != kNone) {
      core_.fail_held_request(h.request);
    } else {
      core_.fail_request_of(h.workload);
    }
    rev.held.pop_front();
  }
  if (rev.decide_next) decide(rev);
  rev.decide_next = !rev.decide_next;
  if (in_flight(rev) == 0 && rev.idle_since < 0) went_idle(rev, core_.now());
  const DeploymentRuntime& rt = core_.deployment(rev.deployment);
  bool has_pods = false;
  for (const auto& list : rt.pods)
    has_pods = has_pods || !list.empty();
  // Nothing to watch: asleep until its next request (or a keep-alive window) wakes it.
  if (rev.want == 0 && !has_pods && in_flight(rev) == 0 && rev.stable.empty(now)) {
    rev.ticking = false;
    return;
  }
  schedule_in(kSecond, kScrape, revision_index_[rev.deployment]);
}

// The scaler's bounds and its rules for scaling to zero (scaler.go), or an idle revision's
// keep-alive windows.
std::int32_t ServerlessController::apply_scale_rules(Revision& rev, std::int32_t want,
                                                     std::int32_t ready) {
  const serverless::RevisionConfig& cfg = *rev.cfg;
  const SimTime now = core_.now();
  if (ready >= cfg.initial_scale) rev.reached_initial = true;
  std::int32_t floor = cfg.min_scale;
  if (!rev.reached_initial) floor = std::max(floor, cfg.initial_scale);
  if (uses_windows(rev) && rev.idle_since >= 0 && in_flight(rev) == 0) {
    // Idle under a keep-alive policy: one pod inside its window, none outside.
    const SimTime from = rev.idle_since + rev.windows.prewarm;
    const bool in_window =
        now >= from && (rev.windows.keep_alive == kTimeMax || now < from + rev.windows.keep_alive);
    want = in_window ? std::max(want, 1) : 0;
    want = std::max(want, floor);
    if (cfg.max_scale > 0) want = std::min(want, cfg.max_scale);
    return want;
  }
  want = std::max(want, floor);
  if (cfg.max_scale > 0) want = std::min(want, cfg.max_scale);
  if (want > 0) {
    rev.inactive_since = -1;
    if (rev.active_since < 0) rev.active_since = now;
    return want;
  }
  if (!cfg.enable_scale_to_zero) return 1;
  // Active for less than a stable window: held at one pod.
  if (rev.active_since >= 0 && now - rev.active_since < cfg.kpa.stable_window) return 1;
  if (rev.inactive_since < 0) {
    rev.inactive_since = now;
    rev.active_since = -1;
  }
  const SimTime inactive_for = now - rev.inactive_since;
  const SimTime proxy_for = rev.proxy ? now - rev.proxy_since : 0;
  const bool zero_ok =
      inactive_for >= cfg.pod_retention &&
      (inactive_for >= cfg.scale_to_zero_grace || proxy_for >= cfg.scale_to_zero_grace);
  // Inactive: the activator goes in the path first; the last pod goes after the grace period.
  return zero_ok ? 0 : 1;
}

void ServerlessController::decide(Revision& rev) {
  const SimTime now = core_.now();
  const auto ready = static_cast<std::int32_t>(core_.deployment(rev.deployment).ready);
  const autoscaling::KpaDecision d =
      rev.decider->scale(now, ready, rev.stable.average(now), rev.panic.average(now));
  const std::int32_t want = apply_scale_rules(rev, d.desired, ready);
  // Serve mode only with pods wanted, ready, and enough spare capacity for a burst.
  const bool proxy =
      want == 0 || ready == 0 || d.excess_burst_capacity < 0 || rev.inactive_since >= 0;
  if (proxy && !rev.proxy) rev.proxy_since = now;
  rev.proxy = proxy;
  if (want != rev.want) {
    rev.want = want;
    core_.set_desired(rev.deployment, want);
  }
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

// The activator's choice of a pod with a free slot (throttler.go): with unlimited
// concurrency the less loaded of two drawn at random; up to 3 slots the first available;
// else round-robin over those with a free slot.
std::uint32_t ServerlessController::pick_free(Revision& rev) {
  const std::vector<std::uint32_t>& ready =
      core_.deployment(rev.deployment).ready_sets[rev.place].pods;
  if (ready.empty()) return kNone;
  const std::uint32_t cc = rev.cfg->container_concurrency;
  if (cc == 0) {
    const std::uint32_t a = ready[rng().next_below(ready.size())];
    const std::uint32_t b = ready[rng().next_below(ready.size())];
    return core_.pod(b).outstanding < core_.pod(a).outstanding ? b : a;
  }
  const auto free = [&](std::uint32_t p) { return core_.pod(p).outstanding < cc; };
  if (cc <= 3) {
    for (std::uint32_t p : ready) {
      if (free(p)) return p;
    }
    return kNone;
  }
  for (std::size_t i = 0; i < ready.size(); ++i) {
    const std::uint32_t p = ready[(rev.rr + i) % ready.size()];
    if (free(p)) {
      rev.rr = (rev.rr + i + 1) % ready.size();
      return p;
    }
  }
  return kNone;
}

void ServerlessController::forward(Revision& rev, const Held& h, std::uint32_t pod) {
  if (on_demand(rev)) count_idle(pod, false);
  // It waited for this pod to start: a cold start.
  if (pod < ready_at_.size() && ready_at_[pod] > h.arrived &&
      core_.now() >= core_.config().warmup) {
    ++cold_[h.workload];
  }
  if (h.request != kNone) {
    core_.resend_request(h.request, pod);
  } else {
    core_.send_request_to(h.workload, h.service, h.arrived, pod);
  }
}

void ServerlessController::drain(Revision& rev) {
  while (!rev.held.empty()) {
    const std::uint32_t pod = pick_free(rev);
    if (pod == kNone) return;
    note_held(rev);
    const Held h = rev.held.front();
    rev.held.pop_front();
    forward(rev, h, pod);
  }
}

void ServerlessController::hold(Revision& rev, const Held& h) {
  if (rev.held.size() >= rev.cfg->activator_queue) {
    // The activator's breaker is full: 503.
    if (h.request != kNone) {
      core_.drop_held_request(h.request);
    } else {
      core_.drop_request_of(h.workload);
    }
    return;
  }
  note_held(rev);
  rev.held.push_back(h);
  // At zero the activator's first request pokes the autoscaler: its stat (the concurrency it
  // holds) is recorded at once and a decision follows (the activator's concurrency reporter
  // and the autoscaler's Poke).
  if (!on_demand(rev) && rev.want == 0 && rev.held.size() == 1) {
    rev.stable.record(core_.now(), 1);
    rev.panic.record(core_.now(), 1);
    schedule_in(0, kPoke, revision_index_[rev.deployment]);
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
  const Held h{workload, service, core_.now()};
  // The activator: a pod with a free slot now, else held until one frees or starts.
  if (rev.held.empty()) {
    if (const std::uint32_t pod = pick_free(rev); pod != kNone) {
      forward(rev, h, pod);
      return true;
    }
  }
  hold(rev, h);
  if (on_demand(rev)) scale_up_for_held(rev);
  return true;
}

// A retry goes through the ingress again: to the activator while it is in the path (the
// gateway, on demand), else straight to the pods.
bool ServerlessController::on_retry(std::uint32_t workload, std::uint32_t request) {
  const std::uint32_t d = core_.config().workloads[workload].deployment;
  Revision& rev = revision_of(d);
  became_busy(rev);
  if (!on_demand(rev) && !rev.proxy && core_.deployment(d).ready > 0) return false;
  const Held h{workload, 0, core_.request_arrival(request), request};
  if (rev.held.empty()) {
    if (const std::uint32_t pod = pick_free(rev); pod != kNone) {
      forward(rev, h, pod);
      return true;
    }
  }
  hold(rev, h);
  if (on_demand(rev)) scale_up_for_held(rev);
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

void ServerlessController::on_request_done(std::uint32_t pod) {
  Revision& rev = revision_of(core_.pod(pod).deployment);
  drain(rev);
  if (in_flight(rev) == 0 && rev.idle_since < 0) went_idle(rev, core_.now());
  if (on_demand(rev) && core_.pod(pod).outstanding == 0 &&
      core_.pod(pod).state == PodState::ready) {
    on_request_done_idle(rev, pod);
  }
}

// An instance went idle: it goes after its keep-alive unless a request comes first.
void ServerlessController::on_request_done_idle(Revision& rev, std::uint32_t pod) {
  count_idle(pod, true);
  if (idle_epoch_.size() <= pod) idle_epoch_.resize(pod + 1, 0);
  const std::uint16_t epoch = ++idle_epoch_[pod];
  const SimTime keep = instance_keep_alive(rev);
  if (keep != kTimeMax) schedule_in(keep, kInstanceIdle, pod, epoch);
}

std::int32_t ServerlessController::live_pods(const Revision& rev) const {
  return static_cast<std::int32_t>(core_.deployment(rev.deployment).pods[rev.place].size());
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

void ServerlessController::restart_statistics(SimTime at) {
  (void)at;
  std::fill(cold_.begin(), cold_.end(), 0);
  for (Revision& rev : revisions_) {
    rev.idle_pod_ns = 0;
    rev.idle_changed = at;
  }
}

void ServerlessController::export_metrics(SimTime end, MetricMap& out) {
  if (revisions_.empty()) return;
  const FleetConfig& config = core_.config();
  const serverless::ServerlessPricing& price = config.serverless_pricing;
  const double measured_s = to_seconds(end - config.warmup);
  // Per revision: the memory its idle pods held, and what its provisioned pods and requests
  // would be billed by a FaaS provider.
  std::vector<double> idle(revisions_.size(), 0);
  std::vector<double> provisioned_usd(revisions_.size(), 0);
  double idle_total = 0;
  double cost_total = 0;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    Revision& rev = revisions_[i];
    if (on_demand(rev) && end > rev.idle_changed) {  // the idle instances up to the end
      rev.idle_pod_ns +=
          static_cast<double>(rev.idle_pods) * static_cast<double>(end - rev.idle_changed);
      rev.idle_changed = end;
    }
    const double gb = rev.cfg->memory_gb;
    idle[i] = rev.idle_pod_ns * 1e-9 * gb;
    const double gb_s = core_.deployment(rev.deployment).ready_tw.mean(end) * measured_s * gb;
    provisioned_usd[i] = gb_s * price.usd_per_gb_s;
    idle_total += idle[i];
    cost_total += provisioned_usd[i];
  }
  // Without node pools nothing else is paid for: the FaaS bill is the run's total cost. With
  // nodes the pods run on capacity whose price cost.compute_usd already counts.
  const bool bill_is_total = config.unlimited_capacity;
  double cold = 0;
  double arrivals = 0;
  // A report group's members (a trace population) add up under the group's name.
  struct Sums {
    double cold = 0, arrivals = 0, idle = 0, usd = 0;
    bool any = false;
  };
  std::vector<Sums> groups(config.groups.size());
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    const std::uint32_t i = revision_index_[config.workloads[w].deployment];
    if (i == kNotOurs) continue;
    const double n = static_cast<double>(core_.workload_stats(w).arrivals);
    const double requests_usd = n / 1e6 * price.usd_per_million_requests;
    cost_total += requests_usd;
    cold += static_cast<double>(cold_[w]);
    arrivals += n;
    if (const std::int32_t g = config.workloads[w].group; g >= 0) {
      Sums& sum = groups[static_cast<std::size_t>(g)];
      sum.cold += static_cast<double>(cold_[w]);
      sum.arrivals += n;
      sum.idle += idle[i];
      sum.usd += provisioned_usd[i] + requests_usd;
      sum.any = true;
      continue;
    }
    const std::string prefix = "workloads." + config.workloads[w].name + ".";
    out[prefix + "coldstarts.count"] = static_cast<double>(cold_[w]);
    if (n > 0) out[prefix + "coldstarts.ratio"] = static_cast<double>(cold_[w]) / n;
    // A revision several workloads share reports its memory and pods under each of them.
    out[prefix + "serverless.idle_gb_s"] = idle[i];
    out[prefix + "cost.serverless_usd"] = provisioned_usd[i] + requests_usd;
    if (bill_is_total) out[prefix + "cost.total_usd"] = provisioned_usd[i] + requests_usd;
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!groups[g].any) continue;
    const std::string prefix = "workloads." + config.groups[g] + ".";
    out[prefix + "coldstarts.count"] = groups[g].cold;
    if (groups[g].arrivals > 0)
      out[prefix + "coldstarts.ratio"] = groups[g].cold / groups[g].arrivals;
    out[prefix + "serverless.idle_gb_s"] = groups[g].idle;
    out[prefix + "cost.serverless_usd"] = groups[g].usd;
    if (bill_is_total) out[prefix + "cost.total_usd"] = groups[g].usd;
  }
  out["coldstarts.count"] = cold;
  if (arrivals > 0) out["coldstarts.ratio"] = cold / arrivals;
  out["serverless.idle_gb_s"] = idle_total;
  out["cost.serverless_usd"] = cost_total;
  if (bill_is_total) out["cost.total_usd"] = cost_total;
}

// Per workload of a revision: requests the activator holds, the count the autoscaler wants,
// whether the KPA is in panic mode.
void ServerlessController::series_columns(std::vector<std::string>& columns) const {
  const FleetConfig& config = core_.config();
  for (const FleetWorkload& w : config.workloads) {
    if (revision_index_[w.deployment] == kNotOurs || w.group >= 0) continue;
    for (const char* c : {".activator_held", ".kpa_desired", ".kpa_panic"})
      columns.push_back(w.name + c);
  }
  // A report group: summed over its members (kpa_panic: how many are panicking).
  for (std::size_t g = 0; g < config.groups.size(); ++g) {
    if (!group_has_revision(static_cast<std::int32_t>(g))) continue;
    for (const char* c : {".activator_held", ".kpa_desired", ".kpa_panic"})
      columns.push_back(config.groups[g] + c);
  }
}

bool ServerlessController::group_has_revision(std::int32_t g) const {
  for (const FleetWorkload& w : core_.config().workloads) {
    if (w.group == g && revision_index_[w.deployment] != kNotOurs) return true;
  }
  return false;
}

void ServerlessController::series_values(std::vector<double>& row) const {
  const FleetConfig& config = core_.config();
  std::vector<double> sums(config.groups.size() * 3, 0.0);
  for (const FleetWorkload& w : config.workloads) {
    if (revision_index_[w.deployment] == kNotOurs) continue;
    const Revision& rev = revisions_[revision_index_[w.deployment]];
    const double held = static_cast<double>(rev.held.size());
    const double want = rev.want;
    const double panic = rev.decider && rev.decider->panicking() ? 1 : 0;
    if (w.group >= 0) {
      double* s = &sums[static_cast<std::size_t>(w.group) * 3];
      s[0] += held;
      s[1] += want;
      s[2] += panic;
      continue;
    }
    row.push_back(held);
    row.push_back(want);
    row.push_back(panic);
  }
  for (std::size_t g = 0; g < config.groups.size(); ++g) {
    if (!group_has_revision(static_cast<std::int32_t>(g))) continue;
    for (int k = 0; k < 3; ++k)
      row.push_back(sums[g * 3 + static_cast<std::size_t>(k)]);
  }
}

}  // namespace kt::models
