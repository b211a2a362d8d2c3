#pragma once
// The Cluster Autoscaler (kubernetes/autoscaler, cluster-autoscaler; docs/models/
// autoscaling.md walks through it with its sources). Every scan interval:
//   scale-up: pods the scheduler could not place (older than new-pod-scale-up-delay, and not
//     fitting on nodes already on their way) are packed first fit, largest first, onto each
//     pool's node template (taints, selectors, affinity, room); the expander picks one pool
//     among those that help, which grows by the nodes its estimate needs (within max). A
//     node registers after its provisioning delay; one that has not after
//     max-node-provision-time is given up and its pool backs off (5 min, doubling to 30).
//   scale-down (not in a loop that scaled up, nor within scale-down-delay-after-add of a
//     scale-up or -after-delete of a removal): a node whose requested share (the larger of
//     cpu and memory) is below scale-down-utilization-threshold and whose pods all fit on
//     the other nodes is unneeded; unneeded for scale-down-unneeded-time, it is removed:
//     empty ones up to max-empty-bulk-delete per loop, one with pods at a time (drained:
//     its pods terminate gracefully and are recreated elsewhere), never below the pool's min.

#include <cstdint>
#include <vector>

#include "models/cluster/node_autoscaler_base.hpp"

namespace kt::models {

class ClusterAutoscaler final : public NodeAutoscalerBase {
 public:
  explicit ClusterAutoscaler(FleetCore& core);
  bool active() const { return !pools_.empty(); }
  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;

 private:
  static constexpr EventKind kScan = 0;
  // Per pool it resizes (index into pools_): back-off after a failed launch.
  struct Group {
    SimTime backoff_until = 0;
    SimTime backoff = 0;
  };
  struct Option {
    std::size_t group = 0;
    std::uint32_t nodes = 0;
    std::vector<PackPod> pods;  // those the new nodes would take
  };

  void scan();
  bool scale_up();
  void scale_down();
  // Pending pods that nodes already launched will take, removed from `pods`.
  void drop_those_upcoming_nodes_take(std::vector<PackPod>& pods);
  InstanceType node_type(std::uint32_t pool) const;
  PackBin template_bin(std::uint32_t pool, std::uint32_t id);
  std::size_t choose(const std::vector<Option>& options);
  std::uint32_t total_nodes() const;
  void on_launch_failed(std::uint32_t launch) override;

  std::vector<Group> groups_;
  std::vector<SimTime> unneeded_since_;  // per node id; -1: needed
  SimTime last_scale_up_ = -1;
  SimTime last_removal_ = -1;
};

}  // namespace kt::models
