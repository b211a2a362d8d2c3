#pragma once
// A Karpenter-style provisioner (kubernetes-sigs/karpenter; docs/models/autoscaling.md walks
// through it with its sources):
//   provisioning: pods the scheduler could not place (and that no node already on its way
//     will take) are batched (the batch closes after batch-idle-duration without a new one,
//     or after batch-max-duration) and packed, largest cpu then memory first, onto new node
//     claims; a claim keeps the pool's instance types that still fit what it holds and every
//     pod's selector, and launches the cheapest of them. Pools are tried by priority (the
//     NodePool weight), within their max nodes.
//   disruption (every 10 s, while no pod is pending and no node is on its way): empty nodes
//     are deleted; then (WhenEmptyOrUnderutilized) multi-node consolidation looks for the
//     largest prefix of the candidates (fewest pods first) whose pods fit on the other nodes
//     plus at most one new, cheaper node (binary search, as upstream), then single-node
//     consolidation tries one node at a time. A command is checked again after 15 s before it
//     runs; a replacement is launched first and the old nodes drained once it is Ready. At
//     most the budget's share of a pool's nodes is disrupted at once.

#include <cstdint>
#include <map>
#include <vector>

#include "models/cluster/node_autoscaler_base.hpp"

namespace kt::models {

class Karpenter final : public NodeAutoscalerBase {
 public:
  explicit Karpenter(FleetCore& core);
  bool active() const { return !pools_.empty(); }
  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;

 private:
  static constexpr EventKind kBatch = 0;     // the provisioner's look at pending pods (1 s)
  static constexpr EventKind kDisrupt = 1;   // the disruption controller's poll
  static constexpr EventKind kValidate = 2;  // a consolidation command is checked again

  // A node being planned: the instance types that still fit what it holds.
  struct Claim {
    std::uint32_t pool = 0;
    std::uint32_t place = 0;
    std::vector<InstanceType> options;
    std::vector<PackPod> pods;
    std::int64_t cpu = 0;
    std::int64_t memory = 0;
  };
  // A consolidation: delete `nodes`, or replace them by one node of `replacement`.
  struct Command {
    std::vector<std::uint32_t> nodes;
    bool replace = false;
    std::uint32_t pool = 0;
    InstanceType replacement;
    bool valid = false;
  };

  void batch();
  void provision(std::vector<PackPod> pods);
  bool try_add(Claim& claim, const PackPod& pod);
  std::vector<InstanceType> types_of(std::uint32_t pool) const;
  void disrupt();
  std::vector<std::uint32_t> candidates();
  Command consolidation(const std::vector<std::uint32_t>& nodes);
  void execute(const Command& command);
  std::uint32_t budget_left(std::uint32_t pool) const;
  void on_node_registered(std::uint32_t launch, std::uint32_t node) override;
  void on_launch_failed(std::uint32_t launch) override;

  // Batching.
  bool batch_open_ = false;
  SimTime batch_start_ = 0;
  SimTime last_new_ = 0;
  std::size_t last_count_ = 0;
  // Room left on launched nodes not yet registered (launch index -> its room).
  std::map<std::uint32_t, PackBin> in_flight_;
  // Disruption.
  std::vector<std::uint32_t> pods_seen_;  // per node: pods at the last poll
  std::vector<SimTime> changed_at_;       // per node: when its pods last changed
  bool command_pending_ = false;
  Command command_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> replacing_;  // launch -> nodes it replaces
};

}  // namespace kt::models
