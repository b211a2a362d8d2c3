#pragma once
// The state the fleet core owns (models/cluster/fleet_core.hpp): requests, pods, nodes,
// places and the per-Deployment counters routing and the controllers read. Components see it
// read-only through the core's views; only the core changes it.

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "engine/statistics.hpp"
#include "engine/time.hpp"
#include "models/cluster/request_stats.hpp"
#include "models/common/k8s_types.hpp"
#include "models/scheduling/node_table.hpp"
#include "models/scheduling/scheduler.hpp"

namespace kt::models {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

struct Request {
  SimTime arrival = 0;
  SimTime start = 0;
  SimTime service = 0;  // its demand, drawn by its source
  std::uint32_t workload = 0;
  std::uint32_t pod = kNone;
  bool alive = false;
  bool serving = false;              // in service (not queued)
  bool timed_out = false;            // its route's timeout passed: failed, still served
  std::uint8_t retries = 0;          // tries after the first, so far
  std::uint16_t pod_generation = 0;  // the pod it was routed to, not a later one in its slot
  std::uint32_t next = kNone;        // the request behind it in its pod's queue
};

// A pod's FIFO of requests waiting for a slot, linked through the requests themselves
// (Request::next): no allocation per pod or per request.
struct RequestQueue {
  std::uint32_t head = kNone;
  std::uint32_t tail = kNone;
  std::uint32_t size = 0;
  bool empty() const { return size == 0; }
};

enum class PodState : std::uint8_t { pending, starting, ready, terminating, gone };

struct Pod {
  std::uint32_t deployment = 0;
  std::uint32_t place = 0;
  scheduling::NodeIndex node = 0;
  PodState state = PodState::gone;
  std::uint16_t generation = 0;
  std::uint32_t busy = 0;
  // Requests dispatched to it and not finished: what a client-side balancer (Envoy) counts as
  // its active requests, in flight to it included.
  std::uint32_t outstanding = 0;
  std::uint32_t ready_slot = 0;  // its index in its place's ReadySet while ready
  // The place whose share of the Deployment it counts in (DeploymentRuntime::pods): where it
  // was created for. `place` is where it runs: the same, or an edge site of that region's
  // cluster where the scheduler put it.
  std::uint32_t home = 0;
  RequestQueue queue;
  bool node_down = false;  // its node stopped answering (pods look ready until NotReady)
  // Evicted while its edge site was cut off: deleted in the API (its owner replaced it), still
  // running and serving the site's own requests until the kubelet hears of the deletion.
  bool orphaned = false;
  // What the pod's owner knows it by (a Job controller: its run); kNone for ReplicaSet pods.
  std::uint32_t owner_ref = kNone;
  SimTime created = 0;  // when it was created: its pending time runs from here to its binding
};

struct NodeRuntime {
  bool down = false;
  bool unreachable = false;  // tainted node.kubernetes.io/unreachable
  SimTime unreachable_since = 0;
  std::uint16_t fault_generation = 0;
  // Images on the node and when each is (or will be) pulled: pods that start while a pull is
  // in progress wait for it, as kubelet's image manager does; later ones find it cached.
  std::vector<std::pair<std::uint32_t, SimTime>> images;
  std::vector<k8s::Taint> base_taints;
  // Removed by a node autoscaler: its row stays in the table, with no room for any pod.
  bool removed = false;
  double usd_per_hour = 0;  // its instance's price
};

// A node pool over the run: how many of its nodes exist (billed: from the cloud call that
// launches one to the end of its deletion), and how many were launched and removed.
struct PoolRuntime {
  TimeWeighted nodes;
  TimeWeighted price_rate;  // USD per hour of its nodes together
  std::uint64_t provisioned = 0;
  std::uint64_t removed = 0;
};

// How long pods waited from creation to binding: the pods bound, and those still pending at
// the end with their wait so far.
struct PendingTimes {
  double sum_s = 0;
  std::uint64_t count = 0;
  void add(SimTime waited) {
    sum_s += to_seconds(waited);
    ++count;
  }
};

struct PlaceRuntime {
  scheduling::NodeTable table;
  std::unique_ptr<scheduling::Scheduler> scheduler;
  std::vector<NodeRuntime> nodes;
  std::vector<std::vector<std::uint32_t>> pods_on_node;
  // Its nodes' global indexes (FleetCore's node ids), by index in its table: nodes a node
  // autoscaler adds later get the next global ids, whatever their place.
  std::vector<std::uint32_t> global_of;
  double price_usd_per_hour = 0;  // all its nodes together
  double cpu_alloc_milli = 0;
  // A place with a pool a node autoscaler resizes: its price and allocatable CPU change, so
  // cost and utilisation are their time integrals.
  bool dynamic = false;
  TimeWeighted price_rate;
  TimeWeighted cpu_alloc;
  TimeWeighted node_count;
  PendingTimes pending_times;
  std::uint64_t pending_max = 0;
  std::int32_t outages = 0;  // region outages in progress
  TimeWeighted cpu_busy_milli;
  RequestStats served;
  std::uint64_t evicted = 0;
  TimeWeighted ready_pods;
  double egress_bytes = 0;  // sent from here to other places
};

// The ready pods of one Deployment in one place, as the Service's endpoints: a dense list to
// draw from, how many have a free slot (for the choice between places), the round-robin
// position.
struct ReadySet {
  std::vector<std::uint32_t> pods;
  std::uint32_t free = 0;
  std::size_t next = 0;
};

struct DeploymentRuntime {
  std::vector<scheduling::PreparedPod> prepared;  // per place
  std::vector<std::vector<std::uint32_t>> pods;   // per place: live pods
  std::int32_t desired = 0;
  double busy_area = 0;  // slot-nanoseconds since the HPA last took it
  SimTime busy_since = 0;
  std::uint32_t busy = 0;
  std::uint32_t ready = 0;
  TimeWeighted ready_tw;
  std::uint32_t image = 0;
  std::uint64_t arrivals = 0;  // requests for it since the HPA last took them
  // Requests dispatched to its pods and not finished (in service, queued at a pod, on their
  // way), and their time integral since a component last took it (once track_busy was
  // called): the concurrency Knative's queue-proxies report.
  std::uint32_t outstanding = 0;
  double outstanding_area = 0;
  SimTime outstanding_since = 0;
  std::uint64_t evicted = 0;
  std::uint64_t pending_max = 0;
  PendingTimes pending_times;
  // Self-healing: from the moment pods are lost until the ready count is back at the desired
  // count.
  SimTime degraded_since = -1;
  SimTime recovery_max = 0;
  std::uint64_t recoveries = 0;
  std::uint64_t rto_missed = 0;
  std::vector<ReadySet> ready_sets;  // per place
  // Per home place: the edge sites of its cluster whose nodes the pods could land on (their
  // selector and tolerations pass there); empty for most Deployments.
  std::vector<std::vector<std::uint32_t>> spill;
  // Every place its pods may run in: its places and their spill sites (routing's candidates).
  std::vector<std::uint32_t> run_places;
};

}  // namespace kt::models
