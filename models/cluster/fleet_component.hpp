#pragma once
// A component of the fleet: a controller or a process that acts on the core's pods, nodes and
// requests (the ReplicaSet controller, the HPA, the Job controller, node faults, metrics; next
// the Knative autoscaler, KEDA, edge uplinks, QPU queues). The pattern is SST's components
// behind SimGrid's façade: a component sees the core only through FleetCore's public
// interface, owns its state, its random stream and a range of event kinds, and overrides the
// hooks of the request and pod life cycle it cares about. docs/models/cluster.md, "Writing a
// component", walks through the smallest one.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/event.hpp"
#include "engine/random.hpp"
#include "engine/time.hpp"
#include "models/common/metrics.hpp"

namespace kt::models {

class FleetCore;

class FleetComponent {
 public:
  // Event kinds a component may use: 0 .. kKinds-1, its "local" kinds.
  static constexpr EventKind kKinds = 16;

  explicit FleetComponent(FleetCore& core) : core_(core) {}
  FleetComponent(const FleetComponent&) = delete;
  FleetComponent& operator=(const FleetComponent&) = delete;
  virtual ~FleetComponent() = default;

  // Before the run: schedule the first events (components start in the order they were added).
  virtual void start() {}
  // One of this component's events.
  virtual void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) {
    (void)local_kind, (void)payload, (void)aux;
  }

  // --- hooks, for the Deployments this component owns (FleetCore::set_owner) -----------------
  // Make the Deployment's pods match what it should run (its desired count changed, or pods
  // were lost).
  virtual void reconcile(std::uint32_t deployment) { (void)deployment; }
  // A request for the Deployment arrived (only with FleetCore::take_arrivals_of): true when
  // the component took it, false to let the core route it to a pod.
  virtual bool on_arrival(std::uint32_t workload, SimTime service) {
    (void)workload, (void)service;
    return false;
  }
  // A request for the Deployment is to be tried again (a mesh retry; only with
  // FleetCore::take_arrivals_of): true when the component took the core's `request` (it then
  // resends, fails or drops it through the core), false to let the core route it.
  virtual bool on_retry(std::uint32_t workload, std::uint32_t request) {
    (void)workload, (void)request;
    return false;
  }
  // One of its pods became ready.
  virtual void on_pod_ready(std::uint32_t pod) { (void)pod; }
  // A request finished at one of its pods (only with FleetCore::take_arrivals_of): a slot
  // may be free for a request the component holds.
  virtual void on_request_done(std::uint32_t pod) { (void)pod; }
  // One of its pods is about to be removed (finished, drained, evicted, or its Job done).
  virtual void on_pod_removed(std::uint32_t pod) { (void)pod; }
  // One of its pods with an owner_ref was evicted (its node stayed unreachable).
  virtual void on_pod_evicted(std::uint32_t deployment, std::uint32_t owner_ref) {
    (void)deployment, (void)owner_ref;
  }

  // A request from an edge site cut off from the cloud found no pod it can reach (only for
  // the component set with FleetCore::set_offline_owner): true when the component took it
  // (an offline buffer), false to let it fail.
  virtual bool on_unroutable(std::uint32_t workload, SimTime service, SimTime arrived) {
    (void)workload, (void)service, (void)arrived;
    return false;
  }

  // --- hooks every component hears ----------------------------------------------------------
  // A node was marked NotReady (tainted unreachable; its pods left the endpoints).
  virtual void on_node_unreachable(std::uint32_t node) { (void)node; }
  // A node registered during the run (a node autoscaler launched it).
  virtual void on_node_added(std::uint32_t node) { (void)node; }

  // --- reporting --------------------------------------------------------------------------
  // The end of the warm-up: statistics restart from `at`.
  virtual void restart_statistics(SimTime at) { (void)at; }
  // Its metrics at the end of the run (SPEC keys; absent keys mean "does not apply").
  virtual void export_metrics(SimTime end, MetricMap& out) { (void)end, (void)out; }
  // Its columns of timeseries.csv (after the fleet's own), and their values at each sample.
  virtual void series_columns(std::vector<std::string>& columns) const { (void)columns; }
  virtual void series_values(std::vector<double>& row) const { (void)row; }

  std::uint32_t id() const { return id_; }
  EventKind first_kind() const { return first_kind_; }
  // The fleet LP's kind for one of this component's own kinds: what an exogenous source
  // (models/workload/exogenous_source.hpp) sends to reach it, once the core added it.
  EventKind event_kind(EventKind local_kind) const {
    return static_cast<EventKind>(first_kind_ + local_kind);
  }

 protected:
  // Schedules one of its own kinds at `at` (>= now), or `delay` from now.
  void schedule_at(SimTime at, EventKind local_kind, std::uint64_t payload = 0,
                   std::uint16_t aux = 0);
  void schedule_in(SimTime delay, EventKind local_kind, std::uint64_t payload = 0,
                   std::uint16_t aux = 0);
  // Its own random stream, derived from (seed, replication, component id): adding a component
  // never shifts another's draws.
  RandomStream& rng() { return rng_; }

  FleetCore& core_;

 private:
  friend class FleetCore;
  std::uint32_t id_ = 0;
  EventKind first_kind_ = 0;
  RandomStream rng_;
};

}  // namespace kt::models
