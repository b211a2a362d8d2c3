#pragma once
// Typed reads from YAML nodes. Every failed read adds a diagnostic at the node's place and
// returns nothing, so a parser can keep going and report every problem in one pass.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "engine/time.hpp"
#include "models/common/k8s_types.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario {

class YamlReader {
 public:
  YamlReader(std::string file, Diagnostics& diags, int line_offset = 0)
      : file_(std::move(file)), diags_(diags), line_offset_(line_offset) {}

  const std::string& file() const { return file_; }
  Diagnostics& diags() { return diags_; }
  SourcePos pos(const YAML::Node& node) const;

  void error(const YAML::Node& at, std::string message, std::string hint = {});
  void warning(const YAML::Node& at, std::string message, std::string hint = {});

  // Shape checks; `what` names the field in messages ("spec.replicas").
  bool expect_map(const YAML::Node& node, const std::string& what);
  bool expect_sequence(const YAML::Node& node, const std::string& what);

  // Keys of `map` not in `allowed`: errors (strict scenario format) or warnings (manifests,
  // where kubetwin reads only the fields that change behaviour), with a did-you-mean hint.
  void check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed,
                  const std::string& where, Severity severity);

  std::optional<std::string> string(const YAML::Node& node, const std::string& what);
  // A non-empty DNS-1123 style name (lowercase alphanumerics, '-', '.').
  std::optional<std::string> name(const YAML::Node& node, const std::string& what);
  std::optional<std::int64_t> integer(const YAML::Node& node, const std::string& what,
                                      std::int64_t min, std::int64_t max);
  std::optional<double> number(const YAML::Node& node, const std::string& what, double min,
                               double max);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& what);
  std::optional<SimTime> duration(const YAML::Node& node, const std::string& what, SimTime min = 0,
                                  SimTime max = 100LL * 365 * kDay);
  std::optional<std::int64_t> quantity(const YAML::Node& node, const std::string& what);
  std::optional<double> percentage(const YAML::Node& node, const std::string& what);
  std::optional<double> rate(const YAML::Node& node, const std::string& what);
  std::optional<k8s::Labels> string_map(const YAML::Node& node, const std::string& what);
  std::optional<std::vector<std::string>> string_list(const YAML::Node& node,
                                                      const std::string& what);

  std::optional<k8s::LabelSelector> label_selector(const YAML::Node& node, const std::string& what);
  std::optional<k8s::Taint> taint(const YAML::Node& node, const std::string& what);
  std::optional<k8s::Toleration> toleration(const YAML::Node& node, const std::string& what);
  std::optional<k8s::ResourceList> resources(const YAML::Node& node, const std::string& what);

 private:
  bool scalar(const YAML::Node& node, const std::string& what);
  template <typename T>
  std::optional<T> parsed(const YAML::Node& node, const std::string& what,
                          Parsed<T> (*parse)(std::string_view));
  std::string file_;
  Diagnostics& diags_;
  int line_offset_;
};

// A short description of a node's type for messages: "a map", "a list", "the string \"x\"".
std::string describe_node(const YAML::Node& node);

}  // namespace kt::scenario
