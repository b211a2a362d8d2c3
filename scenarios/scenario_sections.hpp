#pragma once
// The sections of a scenario file, each read by its own file (scenario_infrastructure.cpp,
// scenario_workloads.cpp, scenario_arrivals.cpp,
// scenario_policies.cpp) for scenario_parser.cpp. Internal to the
// scenario layer.

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenarios/scenario.hpp"
#include "scenarios/yaml_reader.hpp"

namespace kt::scenario::sections {

std::optional<DistributionSpec> read_distribution(const YAML::Node& node, YamlReader& r,
                                                  const std::string& what);
void read_infrastructure(const YAML::Node& node, Scenario& sc, YamlReader& r,
                         const std::string& dir);
// A place's node pools (scenario_node_pools.cpp); an edge site's are never autoscaled.
std::vector<NodePool> read_node_pools(const YAML::Node& node, YamlReader& r,
                                      const std::string& what, bool edge);
// spec.infrastructure.clusterAutoscaler and .karpenter (scenario_node_autoscalers.cpp).
void read_node_autoscalers(const YAML::Node& infrastructure, Infrastructure& out, YamlReader& r);
// One edge-site uplink (edge_uplinks.cpp); its outage trace is read from `dir`.
std::optional<Uplink> read_uplink(const YAML::Node& up, const std::vector<Region>& regions,
                                  YamlReader& r, const std::string& what, const std::string& dir);
// A workload's arrival process (scenario_arrivals.cpp); trace files are read from `base_dir`.
std::optional<Arrival> read_arrival(const YAML::Node& node, YamlReader& r, const std::string& what,
                                    const std::string& base_dir);
void read_workloads(const YAML::Node& node, Scenario& sc, YamlReader& r, const std::string& dir);
void read_faults(const YAML::Node& node, Scenario& sc, YamlReader& r);
void read_policies(const YAML::Node& node, Scenario& sc, YamlReader& r);
void read_slos(const YAML::Node& node, Scenario& sc, YamlReader& r);

// Shared helpers.
bool parse_object_ref_text(const std::string& text, std::string& kind, std::string& name);
std::vector<std::string> object_ids(const std::vector<ManifestObject>& objects);
std::string list_text(const std::vector<std::string>& items);

}  // namespace kt::scenario::sections
