#pragma once
// What the two node autoscalers (cluster_autoscaler, karpenter) share: the pods of a node and
// the pending pods as what-if packing items, the free room of the other nodes, the launch of
// a node (billed at once, registered after the provisioning delay) and its removal (cordoned
// and drained, removed once empty, billed until the deletion delay is over), and the pods
// they could not find a node for.

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "models/cluster/fleet_component.hpp"
#include "models/cluster/fleet_config.hpp"
#include "models/cluster/node_packing.hpp"

namespace kt::models {

class NodeAutoscalerBase : public FleetComponent {
 public:
  NodeAutoscalerBase(FleetCore& core, NodeAutoscaler kind);
  void restart_statistics(SimTime at) override;
  void export_metrics(SimTime end, MetricMap& out) override;

  // The pools it resizes (indexes into FleetConfig::pools).
  const std::vector<std::uint32_t>& pools() const { return pools_; }

 protected:
  // Local kinds the base uses; a derived class uses 0 .. kFirstBaseKind - 1 and passes these
  // on to handle_base.
  static constexpr EventKind kFirstBaseKind = 13;
  static constexpr EventKind kNodeUp = 13;         // payload: launch
  static constexpr EventKind kNodeGone = 14;       // payload: index into gone_
  static constexpr EventKind kLaunchTimeout = 15;  // payload: launch
  bool handle_base(EventKind local_kind, std::uint64_t payload);

  // A node in flight: launched (billed), not registered yet.
  struct Launch {
    std::uint32_t pool = 0;
    InstanceType type;
    bool done = false;
  };
  // Launches a node of `pool` with `type`: billed now, registered after the pool's
  // provisioning delay, or never if that exceeds `give_up_after` (0: never gives up), when
  // on_launch_failed is called. Returns the launch's index.
  std::uint32_t launch(std::uint32_t pool, const InstanceType& type, SimTime give_up_after);
  const std::vector<Launch>& launches() const { return launches_; }
  virtual void on_node_registered(std::uint32_t launch, std::uint32_t node) {
    (void)launch, (void)node;
  }
  virtual void on_launch_failed(std::uint32_t launch) { (void)launch; }
  // The node autoscaler gave up on a launch: its instance is deleted (billing ends).
  void abandon(std::uint32_t launch);

  // Cordons and drains `node` (its pods move elsewhere); it is removed once empty.
  void retire(std::uint32_t node, const char* taint_key);
  // Removes the drained nodes that are empty now; their billing ends after the deletion delay.
  void finish_retirements();
  bool retiring(std::uint32_t node) const;

  // Live, registered nodes of its pools (not retiring).
  std::vector<std::uint32_t> managed_nodes() const;
  std::uint32_t launches_in_flight(std::uint32_t pool) const;
  std::uint32_t live_nodes(std::uint32_t pool) const;

  PackPod pack_pod(std::uint32_t pod) const;
  std::vector<PackPod> pods_on(std::uint32_t node) const;
  // The free room of every live node of `place` except `excluded` (sorted ids).
  std::vector<PackBin> other_bins(std::uint32_t place, const std::vector<std::uint32_t>& excluded);
  // Pending pods in a region, old enough (created at least `min_age` ago).
  std::vector<PackPod> unschedulable(SimTime min_age) const;
  AcceptsClass accepts_in(std::uint32_t place);
  // The pods no pool could take: reported as pods.unschedulable (each pod once).
  void note_unhelpable(std::uint32_t pod);
  double utilisation(std::uint32_t node) const;  // max(cpu, memory) requested / allocatable

  std::vector<std::uint32_t> pools_;

 private:
  std::vector<Launch> launches_;
  std::vector<std::uint32_t> retiring_;
  std::vector<std::pair<std::uint32_t, double>> gone_;      // removed nodes' (pool, price)
  std::set<std::pair<std::uint32_t, SimTime>> unhelpable_;  // (pod, created)
  std::vector<std::uint64_t> unhelpable_by_deployment_;
};

}  // namespace kt::models
