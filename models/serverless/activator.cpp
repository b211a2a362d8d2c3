// Knative's activator and the FaaS gateway (ServerlessController): requests held while no
// pod has a free slot, forwarded by the throttler's policy (docs/models/serverless.md).

#include <algorithm>

#include "models/cluster/fleet_core.hpp"
#include "models/serverless/serverless_controller.hpp"

namespace kt::models {

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

// The activator (or gateway) takes a request: to a pod with a free slot now, else held until
// one frees or starts (on demand, one more instance is started for it).
void ServerlessController::admit(Revision& rev, const Held& h) {
  if (rev.held.empty()) {
    if (const std::uint32_t pod = pick_free(rev); pod != kNone) return forward(rev, h, pod);
  }
  hold(rev, h);
  if (on_demand(rev)) scale_up_for_held(rev);
}

// A held request ends without a pod: refused by the full breaker (a 503, dropped) or past
// its timeout. A retried one is the core's request; a new one only a count.
void ServerlessController::fail_held(const Held& h, bool dropped) {
  if (h.request != kNone) {
    dropped ? core_.drop_held_request(h.request) : core_.fail_held_request(h.request);
  } else {
    dropped ? core_.drop_request_of(h.workload) : core_.fail_request_of(h.workload);
  }
}

void ServerlessController::hold(Revision& rev, const Held& h) {
  if (rev.held.size() >= rev.cfg->activator_queue) return fail_held(h, true);  // breaker full
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

}  // namespace kt::models
