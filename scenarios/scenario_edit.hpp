#pragma once
// Changing one field of a scenario document before it is read, for `kubetwin sweep` and
// `kubetwin plan` (SPEC.md): PATH is a scenario field by dotted path with list indexes
// (spec.workloads[0].arrival.rate) or a manifest field as Kind/name:dotted.path, which is
// added as an override to every policy.

#include <string>

#include <yaml-cpp/yaml.h>

namespace kt::scenario {

// Sets PATH to VALUE (read as YAML: "3" is a number, "50/s" a string) in `scenario_root`.
// Returns "" or what is wrong with the path.
std::string apply_setting(YAML::Node scenario_root, const std::string& path,
                          const std::string& value);

}  // namespace kt::scenario
