// The fleet core's dispatch and request path: arrival, routing to a pod, queueing at the pod,
// service, the response's way back (one translation unit, so that handle() inlines it all).
// Assembly is in fleet_assembly.cpp, pods and nodes in fleet_pods.cpp.

#include "models/cluster/fleet_core.hpp"

#include <algorithm>
#include <cassert>

namespace kt::models {

// Flattened: the request path (arrive, route, at_pod, start_service, depart) is inlined into
// the dispatch, which measured 15 % fewer instructions per request on M/M/3.
[[gnu::flatten]] void FleetCore::handle(const Event& ev, Context& ctx) {
  ctx_ = &ctx;
  switch (ev.kind) {
    case kArrive:
      arrive(ev.aux, static_cast<SimTime>(ev.payload));
      break;
    case kAtPod:
      at_pod(static_cast<std::uint32_t>(ev.payload));
      break;
    case kDepart:
      depart(static_cast<std::uint32_t>(ev.payload));
      break;
    case kPodReady:
      pod_ready(static_cast<std::uint32_t>(ev.payload), ev.aux);
      break;
    case kRetryPending:
      retry_scheduled_ = false;
      retry_pending();
      break;
    case kGraceOver:
      grace_over(static_cast<std::uint32_t>(ev.payload), ev.aux);
      break;
    case kTimeout:
      time_out(static_cast<std::uint32_t>(ev.payload));
      break;
    case kRetry:
      retry(static_cast<std::uint32_t>(ev.payload));
      break;
    default: {
      const std::uint32_t index = (ev.kind - kFirstComponentKind) / FleetComponent::kKinds;
      const ComponentSlot& slot = components_[index];
      slot.dispatch(*slot.component, static_cast<EventKind>(ev.kind - slot.component->first_kind_),
                    ev.payload, ev.aux);
    }
  }
}

// --- requests -----------------------------------------------------------------------------

std::uint32_t FleetCore::new_request() {
  if (!free_requests_.empty()) {
    const std::uint32_t r = free_requests_.back();
    free_requests_.pop_back();
    return r;
  }
  requests_.emplace_back();
  return static_cast<std::uint32_t>(requests_.size() - 1);
}

void FleetCore::fail_request(std::uint32_t r, SimTime now) {
  Request& req = requests_[r];
  // One that timed out was counted then.
  if (now >= config_.warmup && !req.timed_out) ++workload_stats_[req.workload].failed;
  req.alive = false;
}

// A VirtualService route's timeout passed (Envoy answers the client 504): the request fails
// now, and its pod, which Envoy does not stop, still serves it. An event for a request slot
// reused since is recognised by its deadline.
void FleetCore::time_out(std::uint32_t r) {
  Request& req = requests_[r];
  const SimTime now = ctx_->now();
  if (!req.alive || req.timed_out) return;
  // An event of an earlier request in this slot: the current one has no timeout, or its
  // deadline is still ahead.
  const SimTime timeout = workload_route_[req.workload].timeout;
  if (timeout == 0 || req.arrival + timeout >= now) return;
  req.timed_out = true;
  if (now >= config_.warmup) ++workload_stats_[req.workload].failed;
}

// A pod joins or leaves its place's endpoints (the last one takes its slot).
void FleetCore::sync_membership(std::uint32_t p, std::uint32_t before, std::uint32_t after) {
  const Pod& pod = pods_[p];
  ready_load_[p] = after;
  ReadySet& set = deployments_[pod.deployment].ready_sets[pod.place];
  if (before == kNone) {
    pods_[p].ready_slot = static_cast<std::uint32_t>(set.pods.size());
    set.pods.push_back(p);
  } else {
    const std::uint32_t moved = set.pods.back();
    set.pods[pod.ready_slot] = moved;
    pods_[moved].ready_slot = pod.ready_slot;
    set.pods.pop_back();
  }
  const std::uint32_t c = concurrency_[pod.deployment];
  const bool was_free = before < c;  // kNone is never below a concurrency
  const bool is_free = after < c;
  set.free = set.free + (is_free ? 1u : 0u) - (was_free ? 1u : 0u);
}

void FleetCore::finished_at(std::uint32_t p) {
  add_outstanding(pods_[p], -1);
  sync_load(p);
}

std::uint32_t FleetCore::pick(ReadySet& set, LoadBalancing lb) {
  const auto n = static_cast<std::uint64_t>(set.pods.size());
  switch (lb) {
    case LoadBalancing::random:
      return set.pods[route_rng_.next_below(n)];
    case LoadBalancing::round_robin: {
      if (set.next >= n) set.next = 0;
      const std::uint32_t p = set.pods[set.next];
      set.next = (set.next + 1) % n;
      return p;
    }
    case LoadBalancing::least_request: {
      // Envoy draws choice_count hosts with replacement and keeps the first on a tie.
      const std::uint32_t a = set.pods[route_rng_.next_below(n)];
      const std::uint32_t b = set.pods[route_rng_.next_below(n)];
      return ready_load_[b] < ready_load_[a] ? b : a;
    }
  }
  return kNone;
}

// A Service that selects several Deployments: its endpoints are all their ready pods, one
// list as kube-proxy or Envoy sees it.
std::uint32_t FleetCore::pick_among(std::uint32_t workload, LoadBalancing lb,
                                    const std::vector<std::uint32_t>& deployments) {
  const FleetWorkload& w = config_.workloads[workload];
  std::size_t total = 0;
  for (std::uint32_t d : deployments)
    total += deployments_[d].ready_sets[config_.deployments[d].places.front()].pods.size();
  if (total == 0 || latency(w.origin, config_.deployments[w.deployment].places.front()) == kTimeMax)
    return kNone;
  const auto nth = [&](std::size_t k) {
    for (std::uint32_t d : deployments) {
      const auto& pods = deployments_[d].ready_sets[config_.deployments[d].places.front()].pods;
      if (k < pods.size()) return pods[k];
      k -= pods.size();
    }
    return kNone;
  };
  switch (lb) {
    case LoadBalancing::random:
      return nth(route_rng_.next_below(total));
    case LoadBalancing::round_robin: {
      std::size_t& next = union_next_[workload];
      if (next >= total) next = 0;
      const std::uint32_t p = nth(next);
      next = (next + 1) % total;
      return p;
    }
    case LoadBalancing::least_request: {
      const std::uint32_t a = nth(route_rng_.next_below(total));
      const std::uint32_t b = nth(route_rng_.next_below(total));
      return ready_load_[b] < ready_load_[a] ? b : a;
    }
  }
  return kNone;
}

// A VirtualService's weighted destinations: the group by weight, then a pod of its
// Deployments by the workload's load balancing.
std::uint32_t FleetCore::pick_weighted(std::uint32_t workload) {
  const FleetWorkload& w = config_.workloads[workload];
  double total = 0;
  for (const FleetWorkload::WeightedBackends& g : w.split)
    total += g.weight;
  if (total <= 0) return kNone;
  double u = route_rng_.next_double() * total;
  for (const FleetWorkload::WeightedBackends& g : w.split) {
    if (u < g.weight) return pick_among(workload, w.load_balancing, g.deployments);
    u -= g.weight;
  }
  return pick_among(workload, w.load_balancing, w.split.back().deployments);
}

// The place first, as global load balancers do (waterfall): the nearest place with a ready
// pod that has a free slot, else the nearest with a ready pod. Then the pod, by the
// Deployment's load balancing.
std::uint32_t FleetCore::route(std::uint32_t workload) {
  const WorkloadRoute& fast = workload_route_[workload];
  if (fast.place != kNone) {  // one Deployment in one place: most workloads
    ReadySet& set = deployments_[fast.deployment].ready_sets[fast.place];
    if (set.pods.empty() || latency(fast.origin, fast.place) == kTimeMax) return kNone;
    return pick(set, fast.lb);
  }
  const FleetWorkload& w = config_.workloads[workload];
  if (!w.split.empty()) return pick_weighted(workload);
  if (w.backends.size() > 1) return pick_among(workload, w.load_balancing, w.backends);
  DeploymentRuntime& rt = deployments_[w.deployment];
  // From an edge site, its own pods first while it has any (the service topology of edge
  // platforms: OpenYurt's, KubeEdge's EdgeMesh), the cloud only without.
  if (place_edge_[w.origin]) {
    if (ReadySet& local = rt.ready_sets[w.origin]; !local.pods.empty()) {
      return pick(local, w.load_balancing);
    }
  }
  ReadySet* best_free = nullptr;
  SimTime best_free_latency = kTimeMax;
  ReadySet* best_any = nullptr;
  SimTime best_any_latency = kTimeMax;
  for (std::uint32_t place : rt.run_places) {
    ReadySet& set = rt.ready_sets[place];
    if (set.pods.empty()) continue;
    const SimTime l = latency(w.origin, place);
    if (l == kTimeMax) continue;  // unreachable
    if (set.free > 0 && l < best_free_latency) {
      best_free_latency = l;
      best_free = &set;
    }
    if (l < best_any_latency) {
      best_any_latency = l;
      best_any = &set;
    }
  }
  ReadySet* chosen = best_free ? best_free : best_any;
  return chosen ? pick(*chosen, w.load_balancing) : kNone;
}

#ifndef NDEBUG
// The endpoint sets agree with the pods: checked after every routing decision in builds with
// assertions (the asan preset), as the dense load array was before.
[[maybe_unused]] static bool endpoints_consistent(const std::vector<Pod>& pods,
                                                  const std::vector<std::uint32_t>& load,
                                                  std::uint32_t p) {
  return p == kNone || (pods[p].state == PodState::ready && load[p] == pods[p].outstanding);
}
#endif

void FleetCore::arrive(std::uint32_t workload, SimTime service) {
  const SimTime now = ctx_->now();
  RequestStats& stats = workload_stats_[workload];
  if (now >= config_.warmup) ++stats.arrivals;
  const std::uint32_t d = workload_route_[workload].deployment;
  if (arrival_hook_[d] && owner_[d]->on_arrival(workload, service)) {
    ++deployments_[d].arrivals;  // taken by its owner (a Job run, an activator)
    return;
  }
  dispatch(workload, service, now);
}

void FleetCore::send_request(std::uint32_t workload, SimTime service, SimTime arrived) {
  dispatch(workload, service, arrived);
}

void FleetCore::send_request_to(std::uint32_t workload, SimTime service, SimTime arrived,
                                std::uint32_t pod) {
  assert(pods_[pod].state == PodState::ready);
  const std::uint32_t r = new_request();
  requests_[r] = {arrived, 0, service, workload, pod, true, false, false, 0, 0, kNone};
  if (const SimTime timeout = workload_route_[workload].timeout; timeout > 0) {
    ctx_->schedule(self_, std::max(arrived + timeout + 1, ctx_->now()), kTimeout, r);
  }
  send_to(r, pod);
}

// Routes a request to a pod and sends it there (it is there at once when no network lies
// between), or fails it when no pod is ready anywhere (the ingress's 503).
void FleetCore::dispatch(std::uint32_t workload, SimTime service, SimTime arrived) {
  const SimTime now = ctx_->now();
  const WorkloadRoute& w = workload_route_[workload];
  const std::uint32_t pod = route(workload);
  assert(endpoints_consistent(pods_, ready_load_, pod));
  if (pod == kNone) {
    // A site cut off from the cloud may hold it until the uplink is back.
    if (offline_[w.origin] && offline_owner_ &&
        offline_owner_->on_unroutable(workload, service, arrived)) {
      return;
    }
    ++deployments_[w.deployment].arrivals;
    if (now >= config_.warmup) ++workload_stats_[workload].failed;
    return;
  }
  if (offline_[w.origin] && now >= config_.warmup) ++workload_stats_[workload].offline;
  const std::uint32_t r = new_request();
  requests_[r] = {arrived, 0, service, workload, pod, true, false, false, 0, 0, kNone};
  if (const SimTime timeout = w.timeout; timeout > 0) {
    // One nanosecond past the deadline: a response at the deadline itself is in time.
    ctx_->schedule(self_, std::max(arrived + timeout + 1, now), kTimeout, r);
  }
  send_to(r, pod);
}

// Sends request `r` to `pod` (it is there at once when no network lies between).
void FleetCore::send_to(std::uint32_t r, std::uint32_t pod) {
  Request& req = requests_[r];
  Pod& target = pods_[pod];
  ++deployments_[target.deployment].arrivals;
  add_outstanding(target, +1);
  sync_load(pod);
  req.pod = pod;
  req.pod_generation = target.generation;
  const std::uint32_t origin = workload_route_[req.workload].origin;
  SimTime l = latency(origin, target.place);
  if (links_limited_ && l != kTimeMax) {
    l += transfer(origin, target.place, config_.workloads[req.workload].request_bytes);
  }
  if (l == 0) {
    at_pod(r);
  } else {
    ctx_->schedule(self_, ctx_->now() + l, kAtPod, r);
  }
}

bool FleetCore::retry_or_fail(std::uint32_t r, SimTime at) {
  Request& req = requests_[r];
  const FleetWorkload& w = config_.workloads[req.workload];
  if (!req.timed_out && req.retries < w.retry_attempts) {
    ++req.retries;
    if (ctx_->now() >= config_.warmup) ++workload_stats_[req.workload].retries;
    // Envoy's back-off: uniform in [0, (2^n - 1) x 25 ms), at most 250 ms.
    const double cap_ms = std::min(250.0, 25.0 * static_cast<double>((1u << req.retries) - 1));
    const auto delay = static_cast<SimTime>(route_rng_.next_double() * cap_ms * 1e6);
    ctx_->schedule(self_, std::max(at, ctx_->now()) + delay, kRetry, r);
    return true;
  }
  fail_request(r, ctx_->now());
  return false;
}

// The next try of a retried request: routed afresh (Envoy picks a host again).
void FleetCore::retry(std::uint32_t r) {
  Request& req = requests_[r];
  if (req.timed_out) {  // the client has had its 504: Envoy stops trying
    req.alive = false;
    free_requests_.push_back(r);
    return;
  }
  req.serving = false;
  // Through its owner when it takes the requests (Knative's activator in the path).
  const std::uint32_t d = workload_route_[req.workload].deployment;
  if (arrival_hook_[d] && owner_[d]->on_retry(req.workload, r)) return;
  const std::uint32_t pod = route(req.workload);
  if (pod == kNone) {
    fail_request(r, ctx_->now());
    free_requests_.push_back(r);
    return;
  }
  send_to(r, pod);
}

void FleetCore::at_pod(std::uint32_t r) {
  Request& req = requests_[r];
  Pod& pod = pods_[req.pod];
  if (pod.generation != req.pod_generation) {
    // The pod went away meanwhile: a connection failure, which a retry policy retries.
    if (!retry_or_fail(r, ctx_->now())) free_requests_.push_back(r);
    return;
  }
  if (pod.state != PodState::ready || pod.node_down) {
    finished_at(req.pod);
    // The pod is terminating or its node is down: refused, or no answer.
    if (!retry_or_fail(r, ctx_->now())) free_requests_.push_back(r);
    return;
  }
  if (pod.busy < concurrency_[pod.deployment]) {
    start_service(r);
  } else if (const std::uint32_t limit = queue_limit_[pod.deployment];
             limit > 0 && pod.queue.size >= limit) {
    // Its queue is full (Knative's queue-proxy breaker): a 503, which a retry policy retries.
    finished_at(req.pod);
    if (ctx_->now() >= config_.warmup) ++workload_stats_[req.workload].dropped;
    if (!retry_or_fail(r, ctx_->now())) free_requests_.push_back(r);
  } else {
    enqueue(pod, r);
    ++workload_stats_[req.workload].queued;
  }
}

void FleetCore::set_busy(std::uint32_t deployment, std::uint32_t place, int delta, SimTime now) {
  if (tracks_busy_[deployment]) {
    DeploymentRuntime& rt = deployments_[deployment];
    rt.busy_area += static_cast<double>(rt.busy) * static_cast<double>(now - rt.busy_since);
    rt.busy_since = now;
    rt.busy = static_cast<std::uint32_t>(static_cast<int>(rt.busy) + delta);
  }
  if (place_has_cpu_[place]) {
    places_[place]->cpu_busy_milli.add(now, delta * cpu_per_request_[deployment]);
  }
}
void FleetCore::start_service(std::uint32_t r) {
  Request& req = requests_[r];
  Pod& pod = pods_[req.pod];
  req.start = ctx_->now();
  req.serving = true;
  ++pod.busy;
  ++workload_stats_[req.workload].in_service;
  set_busy(pod.deployment, pod.place, +1, ctx_->now());
  ctx_->schedule_in(self_, req.service, kDepart, r);
}

void FleetCore::depart(std::uint32_t r) {
  Request& req = requests_[r];
  const SimTime now = ctx_->now();
  if (!req.alive) {  // failed with its node; its slot was released then
    free_requests_.push_back(r);
    return;
  }
  Pod& pod = pods_[req.pod];
  RequestStats& stats = workload_stats_[req.workload];
  --stats.in_service;
  --pod.busy;
  finished_at(req.pod);
  set_busy(pod.deployment, pod.place, -1, now);
  const std::uint32_t origin = workload_route_[req.workload].origin;
  // The response travels back to the origin.
  SimTime back = latency(pod.place, origin);
  if (links_limited_ && back != kTimeMax) {
    back += transfer(pod.place, origin, config_.workloads[req.workload].response_bytes);
  }
  const SimTime done = back == kTimeMax ? kTimeMax : now + back;
  const SimTime timeout = workload_route_[req.workload].timeout;
  bool again = false;
  // The pod's answer is a 5xx for a share of the requests (kubetwin.io/error-rate); drawn
  // only where one is set, so that other runs keep their random streams.
  const double error_rate = error_rate_[pod.deployment];
  const bool app_error = error_rate > 0 && !req.timed_out && route_rng_.next_double() < error_rate;
  if (req.timed_out) {
    // Failed when its route's timeout passed; its pod has finished it now.
  } else if (done == kTimeMax) {
    fail_request(r, now);
  } else if (app_error) {
    again = retry_or_fail(r, done);  // the 5xx reaches the client's sidecar at `done`
  } else if (timeout > 0 && done - req.arrival > timeout) {
    // Its response would reach the client after the timeout: Envoy has answered 504.
    if (now >= config_.warmup) ++stats.failed;
  } else if (done >= config_.warmup) {
    if (pod.place != origin) {  // the request crossed to another place and back
      const FleetWorkload& w = config_.workloads[req.workload];
      places_[origin]->egress_bytes += static_cast<double>(w.request_bytes);
      places_[pod.place]->egress_bytes += static_cast<double>(w.response_bytes);
    }
    const SimTime lat = done - req.arrival;
    const SimTime wait = req.start - req.arrival - latency(origin, pod.place);
    const auto record = [&](RequestStats& s) {
      ++s.completed;
      s.latency_sum_ns += static_cast<double>(lat);
      s.wait_sum_ns += static_cast<double>(std::max<SimTime>(wait, 0));
      s.latency_ns.record(lat);
    };
    record(stats);
    if (place_reported_[pod.place]) record(places_[pod.place]->served);
    stats.interval_latency.record(lat);
    if (!stats.interval_buckets.empty()) {
      const auto& bounds = config_.latency_buckets;
      ++stats.interval_buckets[static_cast<std::size_t>(
          std::lower_bound(bounds.begin(), bounds.end(), lat) - bounds.begin())];
    }
  }
  const std::uint32_t pod_id = req.pod;
  if (!again) {  // a retried request lives on until its next try
    req.alive = false;
    free_requests_.push_back(r);
  }
  const std::uint32_t deployment = pod.deployment;
  if (!pod.queue.empty()) {
    const std::uint32_t next = dequeue(pod);
    --workload_stats_[requests_[next].workload].queued;
    start_service(next);
  } else if (pod.state == PodState::terminating && pod.busy == 0) {
    remove_pod(pod_id);
    return;
  }
  // Last: the owner may send it a request it holds (which may grow requests_).
  if (arrival_hook_[deployment]) owner_[deployment]->on_request_done(pod_id);
}

}  // namespace kt::models
