#pragma once
// The fleet model's configuration from a scenario (scenarios/fleet_plan.cpp).

#include <map>
#include <string>

#include "scenarios/run_plan.hpp"

namespace kt::scenario {

bool has_node_pools(const Scenario& scenario);
// A pool's node autoscaling: its own `autoscaling`, or the policy's nodeAutoscaling knob
// (`knob`, "native" for the pool's own) for every region's pool; an edge site's stay fixed.
// The provisioning delay defaults by `provider` (scenarios/node_autoscaling_plan.cpp).
models::PoolScaling plan_pool_scaling(const NodePool& pool, const std::string& provider,
                                      const std::string& knob, bool edge);
Distribution default_provisioning_delay(const std::string& provider);
bool build_fleet_plan(const Scenario& scenario, const Policy& policy, RunPlan& plan,
                      Diagnostics& diags);
// The edge sites' clusters, buffers, uplinks (appended to f.links), their outages and
// linkOutage faults, and the edgeOutage policy (scenarios/edge_plan.cpp).
void plan_edge(const Scenario& scenario, const Policy& policy,
               const std::map<std::string, std::uint32_t>& place_index, models::FleetConfig& f);
// The QPUs (QuantumCluster objects, quantum Nodes), the queue policy and the quantum prices;
// per workload of a quantum Job or workflow, its tenant and priority, and a warning when no
// QPU has the qubits its circuits need (scenarios/quantum_plan.cpp).
void plan_quantum(const Scenario& scenario, const Policy& policy, models::FleetConfig& f);
void plan_quantum_workload(const Workload& wl, models::FleetWorkload& w, models::FleetConfig& f,
                           Diagnostics& diags);
// A circuit from containers: quantum.qubits requested, or QUBITS in the environment; depth
// and shots from CIRCUIT_DEPTH and SHOTS (100 and 1024 by default).
std::optional<quantum::QuantumJobConfig> circuit_of(const std::vector<Container>& containers);

// How the requests of a workload that targets `target` (served by `deployment`) reach its
// pods (scenarios/traffic_plan.cpp). False, with errors in `diags`, on a bad annotation;
// `notes` gains what was read but is not simulated.
bool resolve_load_balancing(const Policy& policy, const ManifestObject& target,
                            const ManifestObject& deployment, models::LoadBalancing& out,
                            std::vector<std::string>& notes, Diagnostics& diags);

// The Deployments a Service sends traffic to: those of its namespace whose pod labels its
// selector matches.
std::vector<const ManifestObject*> service_backends(const ManifestObject& service,
                                                    const std::vector<ManifestObject>& objects);

// Where a VirtualService that routes `service`'s host splits its traffic: per destination
// of the route simulated requests take, its weight and the Deployments of its host's Service
// (narrowed to a DestinationRule subset's labels). Empty when no VirtualService splits it.
// A destination that reaches no Deployment is kept, empty: its requests fail, as Envoy's
// "no healthy upstream"; `notes` says why.
struct WeightedTarget {
  double weight = 0;
  std::vector<const ManifestObject*> deployments;
};
std::vector<WeightedTarget> weighted_split(const Policy& policy, const ManifestObject& service,
                                           std::vector<std::string>& notes);
// How many times a failed try of `service`'s requests is retried: the VirtualService's
// retries.attempts, Istio's default 2 for a Service in the mesh (a VirtualService or
// DestinationRule names its host), 0 outside it.
std::uint32_t route_retries(const Policy& policy, const ManifestObject& service);
// The timeout of the route a VirtualService gives `service`'s requests (0: none).
SimTime route_timeout(const Policy& policy, const ManifestObject& service);

}  // namespace kt::scenario
