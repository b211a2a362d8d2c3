#pragma once
// Inside the scenario layer: the fields each supported kind has upstream, so that a field
// kubetwin does not know is a warning at its place (a typo, or a field of a newer API), and
// the fields that would change behaviour but are not simulated are listed
// (scenarios/field_schema.cpp names the schema versions; docs/scenario.md, "Fields").

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenarios/yaml_reader.hpp"

namespace kt::scenario {

// Warns about every field of `root` (an object of `group`/`kind`) that its upstream schema
// does not have. Kinds without a schema here (proposals of the seed, Argo's Workflow) are not
// checked; their parsers check what they read.
void check_fields(const YAML::Node& root, const std::string& group, const std::string& kind,
                  YamlReader& r);

// The fields of `root` that upstream has, that would change what is simulated, and that
// kubetwin reads but does not simulate: "path -> not simulated: why" (the caller prefixes
// the object).
std::vector<std::string> unsimulated_fields(const YAML::Node& root, const std::string& group,
                                            const std::string& kind);

}  // namespace kt::scenario
