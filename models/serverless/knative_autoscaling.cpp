// The Knative revisions' autoscaling (ServerlessController): the per-second scrape of their
// concurrency, the KPA's decision every 2 s and the scaler's rules (docs/models/serverless.md).

#include <algorithm>

#include "models/cluster/fleet_core.hpp"
#include "models/serverless/serverless_controller.hpp"

namespace kt::models {

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
    fail_held(rev.held.front(), false);
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

}  // namespace kt::models
