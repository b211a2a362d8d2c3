#pragma once
// Inside the scenario layer: the serverless kinds' parsers and plan steps, split by platform
// (kinds_knative.cpp, serverless_plan.cpp, kinds_serverless.cpp) and registered together in
// kinds_serverless.cpp.

#include <string>
#include <vector>

#include "models/serverless/keep_alive.hpp"
#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

// Knative Service (kinds_knative.cpp).
void parse_knative_service(const YAML::Node& root, ManifestObject& obj, YamlReader& r);
void plan_knative_service(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d);

// FaaS functions and KEDA ScaledObjects (serverless_plan.cpp).
void plan_function(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d);
void plan_scaled_object(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d);
std::string scaled_object_unsupported(const ManifestObject& obj);
std::string scaled_object_check(const ManifestObject& obj,
                                const std::vector<ManifestObject>& objects);

// What the plan steps share (serverless_plan.cpp).
double pod_memory_gb(const PodTemplate& pod);
serverless::KeepAliveConfig keep_alive_of(const Policy& policy);

}  // namespace kt::scenario
