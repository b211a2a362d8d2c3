#pragma once
// The fleet model's configuration from a scenario (scenarios/fleet_plan.cpp).

#include "scenarios/run_plan.hpp"

namespace kt::scenario {

bool has_node_pools(const Scenario& scenario);
bool build_fleet_plan(const Scenario& scenario, const Policy& policy, RunPlan& plan,
                      Diagnostics& diags);

// How the requests of a workload that targets `target` (served by `deployment`) reach its
// pods (scenarios/traffic_plan.cpp). False, with errors in `diags`, on a bad annotation;
// `notes` gains what was read but is not simulated.
bool resolve_load_balancing(const Policy& policy, const ManifestObject& target,
                            const ManifestObject& deployment, models::LoadBalancing& out,
                            std::vector<std::string>& notes, Diagnostics& diags);

}  // namespace kt::scenario
