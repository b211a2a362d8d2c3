#pragma once
// Changing one field of a scenario document before it is read, for `kubetwin sweep` and
// `kubetwin plan` (SPEC.md): PATH is a scenario field by dotted path with list indexes
// (spec.workloads[0].arrival.rate) or a manifest field as Kind/name:dotted.path, which is
// added as an override to every policy.

#include <string>

#include <yaml-cpp/yaml.h>

namespace kt::scenario {

// Sets PATH to VALUE (read as YAML: "3" is a number, "50/s" a string) in `scenario_root`.
// Returns "" or what is wrong with the path. The value is read as if written where the field
// it replaces stands (or its nearest existing parent), so that a problem with it is reported
// at that line and column of the scenario file; `at` gets that place (marks of the document).
std::string apply_setting(YAML::Node scenario_root, const std::string& path,
                          const std::string& value, YAML::Mark* at = nullptr);

}  // namespace kt::scenario
