#pragma once
// The ReplicaSet/Deployment controller, with the multi-cluster placement of
// MultiClusterDeployments: it splits a Deployment's desired count over its places
// (models/multicloud/placement) and creates or deletes pods until each place runs its share.
// A place whose nodes have all been unreachable for the pods' toleration takes no share.

#include <cstdint>
#include <vector>

#include "models/cluster/fleet_component.hpp"
#include "models/multicloud/placement.hpp"

namespace kt::models {

class ReplicaController final : public FleetComponent {
 public:
  explicit ReplicaController(FleetCore& core);
  void reconcile(std::uint32_t deployment) override;

 private:
  bool place_failed_over(std::uint32_t place, SimTime now) const;
  // Per Deployment and entry of its places: what each placement strategy weighs.
  std::vector<std::vector<multicloud::RegionOption>> options_;
  // Per Deployment: where its demand comes from (the places its workloads' requests start
  // at) and how much; per entry of its places and origin, the egress a request served there
  // pays (its request and response crossing between the two).
  struct DemandModel {
    multicloud::Demand demand;
    std::vector<std::vector<double>> egress_usd_per_request;  // [place entry][origin]
  };
  std::vector<DemandModel> demand_;
};

}  // namespace kt::models
