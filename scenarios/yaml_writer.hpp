#pragma once
// Inside the scenario layer only: YAML written back out (kubetwin import, kubetwin calibrate).

#include <string>

#include <yaml-cpp/yaml.h>

namespace kt::scenario {

// Writes a node as YAML with each scalar's type kept: a scalar quoted in the source (tag "!":
// '4', "true") stays quoted, so that an annotation written as a string is not read back as a
// number. Keys keep their order.
void emit_as_written(YAML::Emitter& e, const YAML::Node& n);

// The same, as text.
std::string yaml_text(const YAML::Node& n);

}  // namespace kt::scenario
