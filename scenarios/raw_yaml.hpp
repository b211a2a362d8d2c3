#pragma once
// Inside the scenario layer only: what a RawYaml (scenarios/manifest.hpp) holds. Headers
// outside scenarios never see a yaml-cpp type (tests/layering_check.sh).

#include <yaml-cpp/yaml.h>

#include "scenarios/manifest.hpp"

namespace kt::scenario {

struct RawYaml::Holder {
  YAML::Node node;
};

inline RawYaml wrap_yaml(const YAML::Node& node) {
  RawYaml raw;
  raw.holder = std::make_shared<const RawYaml::Holder>(RawYaml::Holder{node});
  return raw;
}

inline YAML::Node unwrap_yaml(const RawYaml& raw) {
  return raw.holder ? raw.holder->node : YAML::Node();
}

}  // namespace kt::scenario
