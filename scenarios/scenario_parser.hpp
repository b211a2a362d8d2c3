#pragma once
// Scenario YAML -> Scenario: every field checked, manifests loaded from spec.manifests,
// references resolved, policy overrides applied to copies of the objects.

#include "scenarios/scenario.hpp"
#include "scenarios/yaml_source.hpp"

namespace kt::scenario {

// Returns false when the scenario has errors (all of them are in `diags`).
bool parse_scenario(const YamlDocument& doc, Scenario& out, Diagnostics& diags);

// Sets `path` (dotted; keys may contain dots, as annotation keys do) inside `root` to `value`,
// creating maps on the way. Returns "" or what went wrong.
std::string set_path(YAML::Node root, const std::string& path, const YAML::Node& value);

}  // namespace kt::scenario
