#pragma once
// The fleet core: one LP that owns places, nodes, pods, requests, the latency graph and the
// routing of requests to pods. Everything else that acts on the fleet is a component
// (models/cluster/fleet_component.hpp) added to the core; the core hands each component a
// range of event kinds and calls the hooks of the Deployments it owns. The core's own events
// (the request path and pod start-up, the bulk of a run) are handled in one switch; the
// others go to their component by kind range, through a table, with one call.

#include <cstdint>
#include <vector>

#include "engine/simulation.hpp"
#include "models/cluster/fleet_component.hpp"
#include "models/cluster/fleet_config.hpp"
#include "models/cluster/fleet_state.hpp"
#include "models/multicloud/latency_graph.hpp"

namespace kt::models {

class FleetCore final : public LogicalProcess {
 public:
  // Kinds the arrival sources send: aux workload, payload service demand (ns).
  static constexpr EventKind kArrive = 1;

  explicit FleetCore(const FleetConfig& config);

  // --- assembly -------------------------------------------------------------------------
  // Adds a component (not owned; it must outlive the core): it gets an id, a kind range and
  // a random stream derived from (seed, replication, its id).
  // The component's own type is kept so that its events reach T::handle by a plain function
  // pointer, bound at compile time: the LP's virtual handle is the only virtual call an event
  // costs.
  template <class T>
  void add(T& component, std::uint64_t seed, std::uint64_t replication) {
    add_slot(component, &dispatch_to<T>, seed, replication);
  }
  // Seeds routing's random stream (its choices among pods).
  void seed_routing(std::uint64_t seed, std::uint64_t replication);
  // The component that reconciles `deployment`'s pods and hears of their life cycle.
  void set_owner(std::uint32_t deployment, FleetComponent& owner);
  // Requests for `deployment` go to its owner's on_arrival instead of to a pod.
  void take_arrivals_of(std::uint32_t deployment) { arrival_hook_[deployment] = true; }
  // Starts the components, then creates the initial pods at time 0.
  void start(Simulation& sim, LpId self);
  void handle(const Event& event, Context& ctx) override;
  // The end of the warm-up: the core's and every component's statistics restart.
  void restart_statistics(SimTime at);
  // Every component's metrics, in the order they were added.
  void export_metrics(SimTime end, MetricMap& out);

  // --- what components use ----------------------------------------------------------------
  SimTime now() const { return ctx_->now(); }
  // The fleet LP's own stream: the pods' start-up draws.
  RandomStream& lp_rng() { return ctx_->rng(); }
  void schedule(const FleetComponent& c, SimTime at, EventKind local_kind, std::uint64_t payload,
                std::uint16_t aux);
  SimTime latency(std::uint32_t from, std::uint32_t to) { return graph_.latency(from, to); }

  // Requests a component held instead of letting them reach a pod (an activator, an edge
  // buffer): send_request routes one now as if it arrived at `arrived` (its latency and wait
  // count from then); fail_request_of counts one as failed.
  void send_request(std::uint32_t workload, SimTime service, SimTime arrived);
  // The same to a pod the component chose (it must be ready).
  void send_request_to(std::uint32_t workload, SimTime service, SimTime arrived, std::uint32_t pod);
  void fail_request_of(std::uint32_t workload) {
    if (ctx_->now() >= config_.warmup) ++workload_stats_[workload].failed;
  }
  // A retried request a component took (on_retry): sent to the pod it chose, or failed, or
  // refused by its full buffer (dropped); its arrival time.
  void resend_request(std::uint32_t request, std::uint32_t pod) {
    requests_[request].serving = false;
    send_to(request, pod);
  }
  void fail_held_request(std::uint32_t request) {
    fail_request(request, ctx_->now());
    free_requests_.push_back(request);
  }
  void drop_held_request(std::uint32_t request) {
    if (ctx_->now() >= config_.warmup) ++workload_stats_[requests_[request].workload].dropped;
    fail_held_request(request);
  }
  SimTime request_arrival(std::uint32_t request) const { return requests_[request].arrival; }
  // One refused by a full buffer the component holds: failed and dropped.
  void drop_request_of(std::uint32_t workload) {
    if (ctx_->now() >= config_.warmup) {
      ++workload_stats_[workload].failed;
      ++workload_stats_[workload].dropped;
    }
  }
  // A link between places goes down or comes back (an uplink's outage): traffic takes the
  // best path that is up, and a place with none is unreachable.
  void set_link_up(std::uint32_t a, std::uint32_t b, bool up) { graph_.set_link_up(a, b, up); }
  // One of FleetConfig::links (an uplink) goes down or comes back.
  void set_uplink_up(std::uint32_t link, bool up);
  bool link_up(std::uint32_t link) const { return link_up_[link] != 0; }
  // An edge site cut off from the cloud (or back): its requests that find no pod they can
  // reach go to the offline owner's on_unroutable, and those served locally are counted.
  void set_offline(std::uint32_t place, bool offline) { offline_[place] = offline ? 1 : 0; }
  void set_offline_owner(FleetComponent& owner) { offline_owner_ = &owner; }
  // The components, in the order they were added (for those that gather from the others).
  std::vector<const FleetComponent*> components() const {
    std::vector<const FleetComponent*> out;
    for (const ComponentSlot& slot : components_)
      out.push_back(slot.component);
    return out;
  }

  // A pod's queue, front to back.
  template <class F>
  void for_each_queued(const Pod& pod, F&& f) const {
    for (std::uint32_t r = pod.queue.head; r != kNone; r = requests_[r].next)
      f(r);
  }

  // Pods. create_pod schedules it (or leaves it pending); delete_pod lets it finish what it
  // holds; remove_pod releases it at once.
  std::uint32_t create_pod(std::uint32_t deployment, std::uint32_t place);
  void delete_pod(std::uint32_t pod);
  void remove_pod(std::uint32_t pod);
  void set_owner_ref(std::uint32_t pod, std::uint32_t ref) { pods_[pod].owner_ref = ref; }
  // Sets what the Deployment should run and asks its owner to reconcile.
  void set_desired(std::uint32_t deployment, std::int32_t desired);
  void init_desired(std::uint32_t deployment, std::int32_t desired) {
    deployments_[deployment].desired = desired;
  }
  void reconcile(std::uint32_t deployment) { owner_[deployment]->reconcile(deployment); }
  // After pods or capacity changed: notes the pending pods and retries them if room appeared.
  void after_change();

  // Nodes (global index). lose_node: it stops answering, its requests fail, its pods look
  // ready until mark_unreachable; restore_node: it answers again. Both return false when the
  // node was already in that state.
  bool lose_node(std::uint32_t node);
  void mark_unreachable(std::uint32_t node);
  // Deletes the node's pods (taint-based eviction), or those of `victims` still on it;
  // returns them as (deployment, owner_ref).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> evict_pods(std::uint32_t node);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> evict_pods(
      std::uint32_t node, const std::vector<std::uint32_t>& victims);
  SimTime node_unreachable_since(std::uint32_t node) const {
    return node_rt(node).unreachable_since;
  }
  // Tells the Deployment's owner that its pod `owner_ref` was evicted.
  void notify_evicted(std::uint32_t deployment, std::uint32_t owner_ref);
  bool restore_node(std::uint32_t node);
  // A node the control plane no longer hears (its site cut off, or it is down): tainted
  // unreachable (NoExecute and NoSchedule), so nothing new is placed there;
  // heal_node lifts the taints. Its pods keep serving what reaches them.
  void partition_node(std::uint32_t node);
  void heal_node(std::uint32_t node);
  // Taint-based eviction of a pod on a cut-off node: deleted in the API (it leaves its
  // Deployment's pods, so its owner replaces it) but still running where it is, until
  // delete_pod when the kubelet hears of it.
  void orphan_pod(std::uint32_t pod);
  const std::vector<std::uint32_t>& pods_on(std::uint32_t node) const {
    const PlaceRuntime& place = *places_[node_place_[node]];
    return place.pods_on_node[node_local_[node]];
  }
  std::uint16_t node_fault_generation(std::uint32_t node) const {
    return node_rt(node).fault_generation;
  }
  bool node_down(std::uint32_t node) const { return node_rt(node).down; }
  std::uint32_t node_place(std::uint32_t node) const { return node_place_[node]; }
  std::int32_t node_pool(std::uint32_t node) const { return node_pool_[node]; }
  std::uint32_t node_count() const { return static_cast<std::uint32_t>(node_place_.size()); }

  // Node autoscaling (fleet_nodes.cpp). A node of `pool` is launched (+1: billed from now)
  // or its instance is gone (-1).
  void bill_node(std::uint32_t pool, double usd_per_hour, int delta);
  // A launched node registers Ready with `type`'s resources, the pool's labels (and the type's
  // node.kubernetes.io/instance-type) and taints; pending pods are retried at once. Returns
  // its id.
  std::uint32_t add_node(std::uint32_t pool, const InstanceType& type);
  // Cordons the node (a NoSchedule taint `taint_key`, as the autoscalers put on a node they
  // remove) and deletes its pods, which their owners replace elsewhere; each finishes what
  // it holds within its grace period.
  void drain_node(std::uint32_t node, const char* taint_key);
  // Every pod on the node may be deleted and recreated elsewhere by its owner (a ReplicaSet's
  // or a function's pods; not a Job's runs, which a drain would fail).
  bool node_drainable(std::uint32_t node) const;
  // A drained node with no pod left leaves the cluster (its row stays, retired).
  void remove_node(std::uint32_t node);
  bool node_removed(std::uint32_t node) const { return node_rt(node).removed; }
  // A region outage in progress (begin) or over: no node registers there meanwhile.
  void set_place_outage(std::uint32_t place, bool begin) {
    places_[place]->outages += begin ? 1 : -1;
  }
  bool place_out(std::uint32_t place) const { return places_[place]->outages > 0; }
  double node_price(std::uint32_t node) const { return node_rt(node).usd_per_hour; }
  // Retries the pending pods now: a node autoscaler first lets the scheduler place what fits.
  void schedule_pending();
  const std::vector<std::uint32_t>& pending() const { return pending_; }
  // The scheduler's view of the Deployment's pods in `place`, and whether it accepts nodes of
  // class `c` there (selector, affinity, tolerations).
  const scheduling::PreparedPod& prepared(std::uint32_t deployment, std::uint32_t place) const {
    return deployments_[deployment].prepared[place];
  }
  bool accepts(std::uint32_t deployment, std::uint32_t place, scheduling::ClassId c) {
    return places_[place]->scheduler->accepts(deployments_[deployment].prepared[place], c);
  }
  // The class a node template of the pool (of instance type `type`, "" for none) would have
  // in its place's table.
  scheduling::ClassId template_class(std::uint32_t pool, const std::string& type);
  const PoolRuntime& pool_runtime(std::uint32_t pool) const { return pools_[pool]; }
  const TimeWeighted& total_nodes() const { return total_nodes_; }
  // A node's index in its place's table.
  std::uint32_t node_local(std::uint32_t node) const { return node_local_[node]; }

  // The HPA's inputs: slot-nanoseconds busy (once track_busy was called for the Deployment)
  // and arrivals since it last took them.
  void track_busy(std::uint32_t deployment) { tracks_busy_[deployment] = true; }
  double take_busy_area(std::uint32_t deployment);
  // Request-nanoseconds outstanding at its pods since it was last taken (once track_busy
  // was called): the time integral of the concurrency Knative's queue-proxies see.
  double take_outstanding_area(std::uint32_t deployment);
  std::uint64_t take_arrivals(std::uint32_t deployment) {
    const std::uint64_t n = deployments_[deployment].arrivals;
    deployments_[deployment].arrivals = 0;
    return n;
  }

  // Read-only views.
  const FleetConfig& config() const { return config_; }
  const Pod& pod(std::uint32_t p) const { return pods_[p]; }
  const DeploymentRuntime& deployment(std::uint32_t d) const { return deployments_[d]; }
  const PlaceRuntime& place(std::uint32_t p) const { return *places_[p]; }
  // The ready pods of a report group's Deployments, together (FleetConfig::groups).
  const TimeWeighted& group_ready(std::uint32_t g) const { return group_ready_[g]; }
  std::size_t pending_count() const { return pending_.size(); }
  std::uint64_t pending_max() const { return pending_max_; }
  // Per-workload statistics: components that complete work (Jobs) record into them.
  RequestStats& workload_stats(std::uint32_t w) { return workload_stats_[w]; }
  const RequestStats& workload_stats(std::uint32_t w) const { return workload_stats_[w]; }

 private:
  // The core's own events (kArrive is 1); components' kinds start at kFirstComponentKind.
  static constexpr EventKind kAtPod = 2;         // payload: request; it reaches its pod
  static constexpr EventKind kDepart = 3;        // payload: request; its service ends
  static constexpr EventKind kPodReady = 4;      // payload: pod, aux: generation; started
  static constexpr EventKind kRetryPending = 5;  // the scheduler's periodic flush
  static constexpr EventKind kGraceOver = 6;     // payload: pod, aux: generation
  static constexpr EventKind kTimeout = 7;       // payload: request; its route's timeout
  static constexpr EventKind kRetry = 8;         // payload: request; its next try
  static constexpr EventKind kFirstComponentKind = 16;

  using Dispatch = void (*)(FleetComponent&, EventKind, std::uint64_t, std::uint16_t);
  struct ComponentSlot {
    FleetComponent* component;
    Dispatch dispatch;
  };
  template <class T>
  static void dispatch_to(FleetComponent& c, EventKind kind, std::uint64_t payload,
                          std::uint16_t aux) {
    static_cast<T&>(c).T::handle(kind, payload, aux);  // qualified: not a virtual call
  }
  void add_slot(FleetComponent& component, Dispatch dispatch, std::uint64_t seed,
                std::uint64_t replication);

  // The request path (fleet_core.cpp).
  std::uint32_t new_request();
  void fail_request(std::uint32_t r, SimTime now);
  void time_out(std::uint32_t r);
  // A try of request `r` failed at `at`: schedules the next try if its workload's retry
  // policy allows one (true), else counts it failed (false).
  bool retry_or_fail(std::uint32_t r, SimTime at);
  void send_to(std::uint32_t r, std::uint32_t pod);
  // The time a payload of `bytes` sent now from `from` to `to` spends on the bandwidth-limited
  // uplinks it crosses, waiting behind earlier ones and being sent (fleet_links.cpp).
  SimTime transfer(std::uint32_t from, std::uint32_t to, std::int64_t bytes);
  // The uplink of edge site `site` that is up and on the shortest path to `other` (kNone).
  std::uint32_t active_uplink(std::uint32_t site, std::uint32_t other);
  bool try_schedule_in_cluster(std::uint32_t p);
  void retry(std::uint32_t r);
  // Keeps ready_load_ and the pod's ReadySet in step with its state and outstanding count.
  // Inline: it runs twice per request, and mostly only the count changes.
  void sync_load(std::uint32_t p) {
    const Pod& pod = pods_[p];
    const std::uint32_t before = ready_load_[p];
    const std::uint32_t after = pod.state == PodState::ready ? pod.outstanding : kNone;
    if (before == after) return;
    if (before == kNone || after == kNone) return sync_membership(p, before, after);
    ready_load_[p] = after;
    const std::uint32_t c = concurrency_[pod.deployment];
    if ((before < c) != (after < c)) {
      ReadySet& set = deployments_[pod.deployment].ready_sets[pod.place];
      set.free = after < c ? set.free + 1 : set.free - 1;
    }
  }
  void sync_membership(std::uint32_t p, std::uint32_t before, std::uint32_t after);
  std::uint32_t pick(ReadySet& set, LoadBalancing lb);
  std::uint32_t pick_among(std::uint32_t workload, LoadBalancing lb,
                           const std::vector<std::uint32_t>& deployments);
  std::uint32_t pick_weighted(std::uint32_t workload);
  std::uint32_t route(std::uint32_t workload);
  void finished_at(std::uint32_t pod);  // one of its outstanding requests ended
  // Its outstanding count changes by `delta` (the Deployment's total and its integral too).
  void add_outstanding(Pod& pod, int delta) {
    pod.outstanding = static_cast<std::uint32_t>(static_cast<int>(pod.outstanding) + delta);
    DeploymentRuntime& rt = deployments_[pod.deployment];
    if (tracks_busy_[pod.deployment]) {
      const SimTime now = ctx_->now();
      rt.outstanding_area +=
          static_cast<double>(rt.outstanding) * static_cast<double>(now - rt.outstanding_since);
      rt.outstanding_since = now;
    }
    rt.outstanding = static_cast<std::uint32_t>(static_cast<int>(rt.outstanding) + delta);
  }
  void enqueue(Pod& pod, std::uint32_t r) {
    requests_[r].next = kNone;
    if (pod.queue.tail == kNone) {
      pod.queue.head = r;
    } else {
      requests_[pod.queue.tail].next = r;
    }
    pod.queue.tail = r;
    ++pod.queue.size;
  }
  std::uint32_t dequeue(Pod& pod) {
    const std::uint32_t r = pod.queue.head;
    pod.queue.head = requests_[r].next;
    if (pod.queue.head == kNone) pod.queue.tail = kNone;
    --pod.queue.size;
    return r;
  }
  void arrive(std::uint32_t workload, SimTime service);
  void dispatch(std::uint32_t workload, SimTime service, SimTime arrived);
  void at_pod(std::uint32_t r);
  void set_busy(std::uint32_t deployment, std::uint32_t place, int delta, SimTime now);
  void start_service(std::uint32_t r);
  void depart(std::uint32_t r);
  // Pods and nodes (fleet_pods.cpp).
  std::uint32_t new_pod();
  void set_ready(std::uint32_t deployment, std::uint32_t place, int delta, SimTime now);
  bool try_schedule(std::uint32_t p);
  void start_on_node(std::uint32_t p);
  void pod_ready(std::uint32_t p, std::uint16_t generation);
  void grace_over(std::uint32_t p, std::uint16_t generation);
  void fail_queue(Pod& pod, SimTime now);
  void retry_pending();
  void place_pending();  // tries every pending pod once
  void note_pending();
  void note_bound(const Pod& pod);  // a pending pod was bound: its pending time
  void schedule_retry();
  NodeRuntime& node_rt(std::uint32_t global);
  const NodeRuntime& node_rt(std::uint32_t global) const;

  const FleetConfig& config_;
  Context* ctx_ = nullptr;     // while an event is handled
  Simulation* sim_ = nullptr;  // before the run
  LpId self_ = 0;
  std::vector<ComponentSlot> components_;
  std::vector<FleetComponent*> owner_;  // per Deployment
  // Flags read on every request: bytes, not std::vector<bool>'s bits.
  std::vector<std::uint8_t> arrival_hook_;  // per Deployment
  std::vector<std::uint8_t> tracks_busy_;   // per Deployment: busy_area is kept
  multicloud::LatencyGraph graph_;
  std::vector<std::unique_ptr<PlaceRuntime>> places_;
  std::vector<DeploymentRuntime> deployments_;
  std::vector<std::uint32_t> concurrency_;  // per Deployment, dense for sync_load
  std::vector<std::uint32_t> queue_limit_;  // per Deployment: a pod's queue bound (0: none)
  std::vector<double> cpu_per_request_;     // per Deployment: milli-CPU a request in service uses
  // Per workload, what each arrival needs, in one place: a chain of look-ups through the
  // config (workload, Deployment, its places) was a measurable share of the request path.
  struct WorkloadRoute {
    std::uint32_t deployment;
    std::uint32_t origin;
    std::uint32_t place;  // its Deployment's only place; kNone: several, or several backends
    LoadBalancing lb;
    SimTime timeout;  // its route's timeout (0: none), read on the request path
  };
  std::vector<WorkloadRoute> workload_route_;
  std::vector<double> error_rate_;  // per Deployment: the share of 5xx answers
  // Per place: whether its statistics are reported (an implicit place's are not) and whether
  // it has nodes whose CPU is tracked.
  std::vector<std::uint8_t> place_reported_;
  std::vector<std::uint8_t> place_has_cpu_;
  std::vector<std::uint8_t> place_edge_;     // per place: an edge site
  std::vector<std::uint8_t> offline_;        // per place: an edge site cut off from the cloud
  std::vector<std::uint8_t> place_limited_;  // per place: a site with a bandwidth-limited uplink
  bool links_limited_ = false;               // some uplink has a bandwidth
  std::vector<std::uint8_t> link_up_;        // per FleetConfig::links entry
  std::vector<std::vector<std::uint32_t>> uplinks_of_;  // per place: its uplinks (link indices)
  // Per link: when each direction (0: from the site, 1: towards it) is free again.
  std::vector<SimTime> link_free_[2];
  FleetComponent* offline_owner_ = nullptr;
  std::vector<Pod> pods_;
  // Per pod: its outstanding requests when ready, kNone otherwise. A dense copy of what
  // least-request compares, kept by sync_load(): 4 bytes per pod read far faster than the
  // whole Pod with its deque.
  std::vector<std::uint32_t> ready_load_;
  // Routing's own stream: which pod takes a request never shifts the pods' start-up draws.
  RandomStream route_rng_;
  std::vector<std::size_t> union_next_;  // per workload with several backends: round-robin
  std::vector<std::uint32_t> free_pods_;
  std::vector<Request> requests_;
  std::vector<std::uint32_t> free_requests_;
  std::vector<std::uint32_t> pending_;
  std::vector<std::int32_t> node_pool_;
  std::vector<std::uint32_t> node_place_;
  std::vector<std::uint32_t> node_local_;     // per global node: its index in its place's table
  std::vector<PoolRuntime> pools_;            // per FleetConfig::pools entry
  TimeWeighted total_nodes_;                  // nodes of every pool (billed ones)
  std::vector<std::uint64_t> place_pending_;  // scratch for note_pending: pending per place
  std::vector<RequestStats> workload_stats_;
  std::vector<TimeWeighted> group_ready_;  // per report group
  std::uint64_t pending_max_ = 0;
  bool capacity_changed_ = false;
  bool initialised_ = false;
  bool retry_scheduled_ = false;  // a kRetryPending is on its way
};

}  // namespace kt::models
