// The fleet core's pods and nodes: creating, scheduling, starting and removing pods; the
// state changes of a node that stops answering, is tainted unreachable, has its pods evicted
// or comes back. When these happen is decided by components (the node lifecycle controller).

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

std::uint32_t FleetCore::new_pod() {
  if (!free_pods_.empty()) {
    const std::uint32_t p = free_pods_.back();
    free_pods_.pop_back();
    return p;
  }
  pods_.emplace_back();
  ready_load_.push_back(kNone);
  return static_cast<std::uint32_t>(pods_.size() - 1);
}

void FleetCore::set_ready(std::uint32_t deployment, std::uint32_t place, int delta, SimTime now) {
  DeploymentRuntime& rt = deployments_[deployment];
  rt.ready = static_cast<std::uint32_t>(static_cast<int>(rt.ready) + delta);
  rt.ready_tw.set(now, rt.ready);
  places_[place]->ready_pods.add(now, delta);
  if (const std::int32_t g = config_.deployments[deployment].group; g >= 0) {
    group_ready_[static_cast<std::size_t>(g)].add(now, delta);
  }
  if (delta > 0 && rt.degraded_since >= 0 && static_cast<std::int32_t>(rt.ready) >= rt.desired) {
    const SimTime took = now - rt.degraded_since;
    rt.recovery_max = std::max(rt.recovery_max, took);
    ++rt.recoveries;
    const SimTime rto = config_.deployments[deployment].recovery_time_objective;
    if (rto > 0 && took > rto) ++rt.rto_missed;
    rt.degraded_since = -1;
  }
}

// Tries to place a pending pod; starts it if a node fits.
bool FleetCore::try_schedule(std::uint32_t p) {
  Pod& pod = pods_[p];
  if (config_.unlimited_capacity) {  // bound at once, on no node in particular
    pod.state = PodState::starting;
    SimTime ready = ctx_->now();
    // A function's cold start still takes its runtime's start (and binding) time; other pods
    // are ready at once.
    if (const FleetDeployment& spec = config_.deployments[pod.deployment]; spec.serverless) {
      RandomStream& rng = ctx_->rng();
      ready += std::llround(config_.timings.scheduling.sample(rng) * 1e9);
      const Distribution& start =
          spec.start_time ? *spec.start_time : config_.timings.container_start;
      ready += std::llround(start.sample(rng) * 1e9);
    }
    ctx_->schedule(self_, ready, kPodReady, p, pod.generation);
    return true;
  }
  if (!deployments_[pod.deployment].spill[pod.home].empty()) return try_schedule_in_cluster(p);
  PlaceRuntime& place = *places_[pod.place];
  auto node = place.scheduler->schedule(deployments_[pod.deployment].prepared[pod.place]);
  if (!node) return false;
  note_bound(pod);
  pod.node = *node;
  pod.state = PodState::starting;
  sync_load(p);
  place.pods_on_node[*node].push_back(p);
  NodeRuntime& nr = place.nodes[*node];
  pod.node_down = nr.down;  // a node in its grace period still looks Ready to the scheduler
  start_on_node(p);
  return true;
}

// A pod whose region has edge sites it may land on: kube-scheduler scores every node of the
// cluster, so the best node of each place's scheduler competes on its total (the region's on
// a tie, then the sites in order).
bool FleetCore::try_schedule_in_cluster(std::uint32_t p) {
  Pod& pod = pods_[p];
  DeploymentRuntime& rt = deployments_[pod.deployment];
  std::uint32_t at = pod.home;
  auto best = places_[at]->scheduler->select(rt.prepared[at]);
  for (std::uint32_t s : rt.spill[pod.home]) {
    const auto c = places_[s]->scheduler->select(rt.prepared[s]);
    if (c && (!best || c->score > best->score)) {
      best = c;
      at = s;
    }
  }
  if (!best) return false;
  note_bound(pod);
  PlaceRuntime& place = *places_[at];
  place.scheduler->bind(best->node, rt.prepared[at]);
  pod.place = at;
  pod.node = best->node;
  pod.state = PodState::starting;
  sync_load(p);
  place.pods_on_node[best->node].push_back(p);
  pod.node_down = place.nodes[best->node].down;
  start_on_node(p);
  return true;
}

// A bound pod's start: binding, then the pull (unless cached or in progress), then the
// container start.
void FleetCore::start_on_node(std::uint32_t p) {
  Pod& pod = pods_[p];
  NodeRuntime& nr = places_[pod.place]->nodes[pod.node];
  const std::uint32_t image = deployments_[pod.deployment].image;
  // Binding, then the pull (unless cached or in progress), then the container start.
  RandomStream& rng = ctx_->rng();
  const SimTime now = ctx_->now() + std::llround(config_.timings.scheduling.sample(rng) * 1e9);
  SimTime pulled = now;
  auto cached = std::find_if(nr.images.begin(), nr.images.end(),
                             [&](const auto& entry) { return entry.first == image; });
  if (cached == nr.images.end()) {  // first pull on this node
    const std::int64_t size = config_.deployments[pod.deployment].image_bytes;
    const double rate = config_.timings.pull_bytes_per_s;
    pulled =
        now + (size > 0 && rate > 0 ? std::llround(static_cast<double>(size) / rate * 1e9)
                                    : std::llround(config_.timings.image_pull.sample(rng) * 1e9));
    nr.images.emplace_back(image, pulled);
  } else {
    pulled = std::max(now, cached->second);
  }
  const FleetDeployment& spec = config_.deployments[pod.deployment];
  const Distribution& start_dist =
      spec.start_time ? *spec.start_time : config_.timings.container_start;
  const SimTime start = std::llround(start_dist.sample(rng) * 1e9);
  ctx_->schedule(self_, pulled + start, kPodReady, p, pod.generation);
}

void FleetCore::pod_ready(std::uint32_t p, std::uint16_t generation) {
  Pod& pod = pods_[p];
  if (pod.generation != generation || pod.state != PodState::starting || pod.node_down) return;
  pod.state = PodState::ready;
  sync_load(p);
  set_ready(pod.deployment, pod.place, +1, ctx_->now());
  owner_[pod.deployment]->on_pod_ready(p);
}

std::uint32_t FleetCore::create_pod(std::uint32_t deployment, std::uint32_t place) {
  const std::uint32_t p = new_pod();
  Pod& pod = pods_[p];
  const std::uint16_t generation = static_cast<std::uint16_t>(pod.generation + 1);
  pod = Pod{};
  pod.generation = generation;
  pod.deployment = deployment;
  pod.place = place;
  pod.home = place;
  pod.state = PodState::pending;
  pod.created = ctx_->now();
  sync_load(p);
  deployments_[deployment].pods[place].push_back(p);
  if (!try_schedule(p)) {
    pending_.push_back(p);
    schedule_retry();
  }
  return p;
}

// Releases what a pod booked and forgets it.
void FleetCore::remove_pod(std::uint32_t p) {
  owner_[pods_[p].deployment]->on_pod_removed(p);
  Pod& pod = pods_[p];
  PlaceRuntime& place = *places_[pod.place];
  if (pod.state == PodState::ready) set_ready(pod.deployment, pod.place, -1, ctx_->now());
  if (pod.state != PodState::pending && !config_.unlimited_capacity) {
    place.scheduler->release(pod.node, deployments_[pod.deployment].prepared[pod.place]);
    auto& on_node = place.pods_on_node[pod.node];
    on_node.erase(std::remove(on_node.begin(), on_node.end(), p), on_node.end());
  } else {
    pending_.erase(std::remove(pending_.begin(), pending_.end(), p), pending_.end());
  }
  auto& list = deployments_[pod.deployment].pods[pod.home];
  list.erase(std::remove(list.begin(), list.end(), p), list.end());
  // What was still on its way to it fails on arrival (its generation changes).
  if (pod.outstanding > 0) add_outstanding(pod, -static_cast<int>(pod.outstanding));
  pod.state = PodState::gone;
  sync_load(p);
  ++pod.generation;
  free_pods_.push_back(p);
  capacity_changed_ = true;
}

// Deleting a pod: it stops taking traffic, finishes what it holds, then goes.
void FleetCore::delete_pod(std::uint32_t p) {
  Pod& pod = pods_[p];
  if (pod.state == PodState::ready) set_ready(pod.deployment, pod.place, -1, ctx_->now());
  if (pod.state == PodState::ready && (pod.busy > 0 || !pod.queue.empty())) {
    pod.state = PodState::terminating;
    sync_load(p);
    auto& list = deployments_[pod.deployment].pods[pod.home];
    list.erase(std::remove(list.begin(), list.end(), p), list.end());
    // SIGTERM now; the kubelet kills it when the grace period is over.
    ctx_->schedule_in(self_, config_.deployments[pod.deployment].termination_grace, kGraceOver, p,
                      pod.generation);
    return;
  }
  if (pod.state == PodState::ready) pod.state = PodState::terminating;  // counted already
  remove_pod(p);                                                        // syncs the load
}

// Every request queued at the pod fails (its container is gone); the caller syncs the load.
void FleetCore::fail_queue(Pod& pod, SimTime now) {
  for (std::uint32_t r = pod.queue.head; r != kNone; r = requests_[r].next) {
    --workload_stats_[requests_[r].workload].queued;
    fail_request(r, now);
    free_requests_.push_back(r);
  }
  add_outstanding(pod, -static_cast<int>(pod.queue.size));
  pod.queue = RequestQueue{};
}

// The grace period of a pod still terminating is over: it is killed, and what it still holds
// (queued or in service) fails, as connections to a killed container do.
void FleetCore::grace_over(std::uint32_t p, std::uint16_t generation) {
  Pod& pod = pods_[p];
  if (pod.generation != generation || pod.state != PodState::terminating) return;
  const SimTime now = ctx_->now();
  fail_queue(pod, now);
  for (std::uint32_t r = 0; r < requests_.size() && pod.busy > 0; ++r) {
    Request& req = requests_[r];
    if (!req.alive || !req.serving || req.pod != p) continue;
    --workload_stats_[req.workload].in_service;
    --pod.busy;
    add_outstanding(pod, -1);
    set_busy(pod.deployment, pod.place, -1, now);
    fail_request(r, now);  // its departure event finds it dead and frees it
  }
  remove_pod(p);
  after_change();
}

void FleetCore::set_desired(std::uint32_t deployment, std::int32_t desired) {
  deployments_[deployment].desired = desired;
  reconcile(deployment);
}

void FleetCore::retry_pending() {
  if (!initialised_) {
    initialised_ = true;
    for (std::uint32_t d = 0; d < deployments_.size(); ++d)
      reconcile(d);
  }
  place_pending();
  if (!pending_.empty())
    ctx_->schedule_in(self_, config_.timings.pod_retry_interval, kRetryPending);
}

void FleetCore::place_pending() {
  std::vector<std::uint32_t> still;
  for (std::uint32_t p : pending_) {
    if (pods_[p].state == PodState::pending && !try_schedule(p)) still.push_back(p);
  }
  pending_.swap(still);
  note_pending();
  capacity_changed_ = false;
}

// Unschedulable pods are retried at least every pod_retry_interval, however they became
// pending (kube-scheduler flushes its unschedulable queue periodically); one retry event at a
// time.
void FleetCore::schedule_retry() {
  if (retry_scheduled_) return;
  retry_scheduled_ = true;
  ctx_->schedule_in(self_, config_.timings.pod_retry_interval, kRetryPending);
}

void FleetCore::note_pending() {
  pending_max_ = std::max<std::uint64_t>(pending_max_, pending_.size());
  place_pending_.assign(places_.size(), 0);
  for (DeploymentRuntime& rt : deployments_) {
    std::uint64_t n = 0;
    for (std::size_t place = 0; place < rt.pods.size(); ++place) {
      std::uint64_t here = 0;
      for (std::uint32_t p : rt.pods[place])
        here += pods_[p].state == PodState::pending ? 1 : 0;
      place_pending_[place] += here;
      n += here;
    }
    rt.pending_max = std::max(rt.pending_max, n);
  }
  for (std::size_t place = 0; place < places_.size(); ++place)
    places_[place]->pending_max = std::max(places_[place]->pending_max, place_pending_[place]);
}

void FleetCore::note_bound(const Pod& pod) {
  if (ctx_->now() < config_.warmup) return;
  const SimTime waited = ctx_->now() - pod.created;
  deployments_[pod.deployment].pending_times.add(waited);
  places_[pod.home]->pending_times.add(waited);
}

void FleetCore::after_change() {
  note_pending();
  if (capacity_changed_ && !pending_.empty()) retry_pending();
}

// --- nodes --------------------------------------------------------------------------------

NodeRuntime& FleetCore::node_rt(std::uint32_t global) {
  PlaceRuntime& place = *places_[node_place_[global]];
  return place.nodes[node_local_[global]];
}

const NodeRuntime& FleetCore::node_rt(std::uint32_t global) const {
  const PlaceRuntime& place = *places_[node_place_[global]];
  return place.nodes[node_local_[global]];
}

bool FleetCore::lose_node(std::uint32_t global) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  NodeRuntime& nr = place.nodes[n];
  if (nr.down) return false;
  nr.down = true;
  ++nr.fault_generation;
  const SimTime now = ctx_->now();
  // Requests on the node fail now; its pods still look ready until the node is NotReady.
  for (std::uint32_t p : place.pods_on_node[n]) {
    Pod& pod = pods_[p];
    pod.node_down = true;
    DeploymentRuntime& owner = deployments_[pod.deployment];
    if (owner.degraded_since < 0) owner.degraded_since = now;
    fail_queue(pod, now);
    sync_load(p);
  }
  // The requests in service there, in one pass over the pool (not one per pod).
  std::uint64_t serving = 0;
  for (std::uint32_t p : place.pods_on_node[n])
    serving += pods_[p].busy;
  const std::uint32_t place_id = node_place_[global];
  for (std::uint32_t r = 0; r < requests_.size() && serving > 0; ++r) {
    Request& req = requests_[r];
    if (!req.alive || !req.serving) continue;
    Pod& pod = pods_[req.pod];
    if (pod.place != place_id || pod.node != n || !pod.node_down) continue;
    --serving;
    --workload_stats_[req.workload].in_service;
    --pod.busy;
    finished_at(req.pod);
    set_busy(pod.deployment, pod.place, -1, now);
    fail_request(r, now);  // its departure event finds it dead and frees it
  }
  return true;
}

void FleetCore::mark_unreachable(std::uint32_t global) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  partition_node(global);  // tainted unreachable, NoExecute and NoSchedule
  // The endpoints controller drops the node's pods from Services.
  for (std::uint32_t p : place.pods_on_node[n]) {
    Pod& pod = pods_[p];
    if (pod.state == PodState::ready) {
      set_ready(pod.deployment, pod.place, -1, ctx_->now());
      pod.state = PodState::starting;  // not ready; its readiness comes back with the node
      sync_load(p);
      ++pod.generation;
      // What is still in flight to it now fails on arrival.
      add_outstanding(pod, -static_cast<int>(pod.outstanding));
    }
  }
  for (ComponentSlot& slot : components_)
    slot.component->on_node_unreachable(global);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> FleetCore::evict_pods(std::uint32_t global) {
  const PlaceRuntime& place = *places_[node_place_[global]];
  return evict_pods(global, place.pods_on_node[node_local_[global]]);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> FleetCore::evict_pods(
    std::uint32_t global, const std::vector<std::uint32_t>& which) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  std::vector<std::uint32_t> victims;
  for (std::uint32_t p : which) {
    const auto& on = place.pods_on_node[n];
    if (std::find(on.begin(), on.end(), p) != on.end()) victims.push_back(p);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::uint32_t p : victims) {
    if (ctx_->now() >= config_.warmup) {
      ++place.evicted;
      ++deployments_[pods_[p].deployment].evicted;
    }
    out.emplace_back(pods_[p].deployment, pods_[p].owner_ref);
    pods_[p].busy = 0;
    remove_pod(p);  // syncs the load
  }
  return out;
}

void FleetCore::notify_evicted(std::uint32_t deployment, std::uint32_t owner_ref) {
  owner_[deployment]->on_pod_evicted(deployment, owner_ref);
}

bool FleetCore::restore_node(std::uint32_t global) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  NodeRuntime& nr = place.nodes[n];
  if (!nr.down) return false;
  nr.down = false;
  ++nr.fault_generation;
  heal_node(global);
  // A pod that was terminating lost what it served with the node: the kubelet, back in
  // touch, finishes its deletion and frees what it booked.
  std::vector<std::uint32_t> terminated;
  for (std::uint32_t p : place.pods_on_node[n]) {
    const Pod& pod = pods_[p];
    if (pod.state == PodState::terminating && pod.busy == 0 && pod.queue.empty())
      terminated.push_back(p);
  }
  for (std::uint32_t p : terminated)
    remove_pod(p);
  // Pods that were not evicted become ready again (their containers restart).
  for (std::uint32_t p : place.pods_on_node[n]) {
    Pod& pod = pods_[p];
    pod.node_down = false;
    if (pod.state == PodState::starting) {
      ++pod.generation;
      const double restart = config_.timings.container_start.sample(ctx_->rng());
      ctx_->schedule_in(self_, std::llround(restart * 1e9), kPodReady, p, pod.generation);
    }
  }
  capacity_changed_ = true;
  return true;
}

}  // namespace kt::models
