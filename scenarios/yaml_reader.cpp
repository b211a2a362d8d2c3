#include "scenarios/yaml_reader.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include "scenarios/units.hpp"
#include "scenarios/yaml_source.hpp"

namespace kt::scenario {

namespace {

std::string number_text(double v) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

}  // namespace

std::string describe_node(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  std::string text = node.Scalar();
  if (text.size() > 40) text = text.substr(0, 40) + "...";
  return "\"" + text + "\"";
}

SourcePos YamlReader::pos(const YAML::Node& node) const {
  return position_of(node, file_, line_offset_);
}

void YamlReader::error(const YAML::Node& at, std::string message, std::string hint) {
  diags_.error(pos(at), std::move(message), std::move(hint));
}

void YamlReader::warning(const YAML::Node& at, std::string message, std::string hint) {
  diags_.warning(pos(at), std::move(message), std::move(hint));
}

bool YamlReader::expect_map(const YAML::Node& node, const std::string& what) {
  if (node.IsMap()) return true;
  error(node, what + " must be a map, got " + describe_node(node));
  return false;
}

bool YamlReader::expect_sequence(const YAML::Node& node, const std::string& what) {
  if (node.IsSequence()) return true;
  error(node, what + " must be a list, got " + describe_node(node));
  return false;
}

void YamlReader::check_keys(const YAML::Node& map, std::initializer_list<const char*> allowed,
                            const std::string& where, Severity severity) {
  if (!map.IsMap()) return;
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& entry : map) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    bool known = false;
    for (const std::string& name : names)
      known = known || name == key;
    if (known) continue;
    const std::string suggestion = closest_match(key, names);
    const std::string hint =
        suggestion.empty() ? std::string() : "did you mean '" + suggestion + "'?";
    const std::string message = "unknown field '" + key + "' in " + where;
    if (severity == Severity::error) {
      error(entry.first, message, hint);
    } else {
      warning(entry.first, message + " (ignored)", hint);
    }
  }
}

bool YamlReader::scalar(const YAML::Node& node, const std::string& what) {
  if (node.IsScalar()) return true;
  error(node, what + " must be a single value, got " + describe_node(node));
  return false;
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, const std::string& what) {
  if (!scalar(node, what)) return std::nullopt;
  return node.Scalar();
}

std::optional<std::string> YamlReader::name(const YAML::Node& node, const std::string& what) {
  auto text = string(node, what);
  if (!text) return std::nullopt;
  bool ok = !text->empty() && text->size() <= 253;
  for (char c : *text) {
    ok = ok && (std::islower(static_cast<unsigned char>(c)) ||
                std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.');
  }
  if (!ok) {
    error(node, what + " \"" + text->substr(0, 64) + "\" is not a valid name",
          "use lowercase letters, digits, '-' and '.' (at most 253 characters)");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> YamlReader::integer(const YAML::Node& node, const std::string& what,
                                                std::int64_t min, std::int64_t max) {
  if (!scalar(node, what)) return std::nullopt;
  const Parsed<double> n = parse_number(node.Scalar());
  if (!n.ok() || n.value != std::floor(n.value) || std::fabs(n.value) > 9.0e15) {
    error(node, what + " must be an integer, got " + describe_node(node));
    return std::nullopt;
  }
  if (node.Tag() == "!") {
    error(node, what + " must be an integer, got the string " + describe_node(node),
          "remove the quotes");
    return std::nullopt;
  }
  const auto v = static_cast<std::int64_t>(n.value);
  if (v < min || v > max) {
    error(node, what + " is " + node.Scalar() + "; it must be between " + std::to_string(min) +
                    " and " + std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<double> YamlReader::number(const YAML::Node& node, const std::string& what,
                                         double min, double max) {
  if (!scalar(node, what)) return std::nullopt;
  const Parsed<double> n = parse_number(node.Scalar());
  if (!n.ok()) {
    error(node, what + " must be a number, got " + describe_node(node));
    return std::nullopt;
  }
  if (n.value < min || n.value > max) {
    std::string range = "between " + number_text(min) + " and " + number_text(max);
    error(node, what + " is " + node.Scalar() + "; it must be " + range);
    return std::nullopt;
  }
  return n.value;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& what) {
  if (!scalar(node, what)) return std::nullopt;
  const std::string& s = node.Scalar();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  error(node, what + " must be true or false, got " + describe_node(node));
  return std::nullopt;
}

std::optional<SimTime> YamlReader::duration(const YAML::Node& node, const std::string& what,
                                            SimTime min, SimTime max) {
  if (!scalar(node, what)) return std::nullopt;
  const DurationParse d = parse_duration(node.Scalar());
  if (!d.ok()) {
    error(node, what + ": " + d.error);
    return std::nullopt;
  }
  if (d.value_ns < min || d.value_ns > max) {
    error(node, what + " is " + node.Scalar() + "; it must be between " + format_duration(min) +
                    " and " + format_duration(max));
    return std::nullopt;
  }
  return d.value_ns;
}

// A scalar read through one of the value parsers of units.hpp; its error at the node.
template <typename T>
std::optional<T> YamlReader::parsed(const YAML::Node& node, const std::string& what,
                                    Parsed<T> (*parse)(std::string_view)) {
  if (!scalar(node, what)) return std::nullopt;
  const Parsed<T> result = parse(node.Scalar());
  if (!result.ok()) {
    error(node, what + ": " + result.error);
    return std::nullopt;
  }
  return result.value;
}

std::optional<std::int64_t> YamlReader::quantity(const YAML::Node& node, const std::string& what) {
  return parsed<std::int64_t>(node, what, parse_quantity);
}

std::optional<double> YamlReader::percentage(const YAML::Node& node, const std::string& what) {
  return parsed<double>(node, what, parse_percentage);
}

std::optional<double> YamlReader::rate(const YAML::Node& node, const std::string& what) {
  return parsed<double>(node, what, parse_rate);
}

std::optional<k8s::Labels> YamlReader::string_map(const YAML::Node& node, const std::string& what) {
  // `annotations:` with nothing after it is null, which the API server reads as unset.
  if (node.IsNull()) return k8s::Labels{};
  if (!expect_map(node, what)) return std::nullopt;
  k8s::Labels out;
  bool ok = true;
  for (const auto& entry : node) {
    const auto key = string(entry.first, what + " key");
    const auto value = string(entry.second, what + "." + (key ? *key : std::string("?")));
    if (!key || !value) {
      ok = false;
      continue;
    }
    if (!out.emplace(*key, *value).second) {
      error(entry.first, "duplicate key '" + *key + "' in " + what);
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> YamlReader::string_list(const YAML::Node& node,
                                                                const std::string& what) {
  if (!expect_sequence(node, what)) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  std::size_t i = 0;
  for (const YAML::Node& item : node) {
    auto s = string(item, what + "[" + std::to_string(i++) + "]");
    if (s) {
      out.push_back(*s);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<k8s::LabelSelector> YamlReader::label_selector(const YAML::Node& node,
                                                             const std::string& what) {
  if (!expect_map(node, what)) return std::nullopt;
  check_keys(node, {"matchLabels", "matchExpressions"}, what, Severity::warning);
  k8s::LabelSelector out;
  bool ok = true;
  if (const YAML::Node labels = node["matchLabels"]) {
    auto m = string_map(labels, what + ".matchLabels");
    if (m) {
      out.match_labels = *m;
    } else {
      ok = false;
    }
  }
  if (const YAML::Node exprs = node["matchExpressions"]) {
    if (!expect_sequence(exprs, what + ".matchExpressions")) return std::nullopt;
    for (const YAML::Node& e : exprs) {
      const std::string w = what + ".matchExpressions[]";
      if (!expect_map(e, w)) {
        ok = false;
        continue;
      }
      k8s::SelectorRequirement req;
      auto key = e["key"] ? string(e["key"], w + ".key") : std::nullopt;
      auto op = e["operator"] ? string(e["operator"], w + ".operator") : std::nullopt;
      if (!key || !op) {
        if (!e["key"] || !e["operator"]) error(e, w + " needs 'key' and 'operator'");
        ok = false;
        continue;
      }
      req.key = *key;
      using Op = k8s::SelectorRequirement::Op;
      if (*op == "In") {
        req.op = Op::In;
      } else if (*op == "NotIn") {
        req.op = Op::NotIn;
      } else if (*op == "Exists") {
        req.op = Op::Exists;
      } else if (*op == "DoesNotExist") {
        req.op = Op::DoesNotExist;
      } else if (*op == "Gt" || *op == "Lt") {
        req.op = *op == "Gt" ? Op::Gt : Op::Lt;
      } else {
        error(e["operator"], "unknown selector operator '" + *op + "'",
              "use In, NotIn, Exists or DoesNotExist");
        ok = false;
        continue;
      }
      if (e["values"]) {
        auto values = string_list(e["values"], w + ".values");
        if (values) req.values = *values;
      }
      const bool needs_values =
          req.op == Op::In || req.op == Op::NotIn || req.op == Op::Gt || req.op == Op::Lt;
      if (needs_values == req.values.empty()) {
        error(e, needs_values ? "operator " + *op + " needs a non-empty 'values' list"
                              : "operator " + *op + " takes no 'values'");
        ok = false;
        continue;
      }
      out.expressions.push_back(std::move(req));
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

namespace {

std::optional<k8s::TaintEffect> effect_of(const std::string& s) {
  if (s == "NoSchedule") return k8s::TaintEffect::NoSchedule;
  if (s == "PreferNoSchedule") return k8s::TaintEffect::PreferNoSchedule;
  if (s == "NoExecute") return k8s::TaintEffect::NoExecute;
  return std::nullopt;
}

}  // namespace

std::optional<k8s::Taint> YamlReader::taint(const YAML::Node& node, const std::string& what) {
  if (!expect_map(node, what)) return std::nullopt;
  check_keys(node, {"key", "value", "effect", "timeAdded"}, what, Severity::warning);
  k8s::Taint out;
  bool ok = true;
  if (auto key = node["key"] ? string(node["key"], what + ".key") : std::nullopt) {
    out.key = *key;
  } else {
    if (!node["key"]) error(node, what + " needs a 'key'");
    ok = false;
  }
  if (node["value"]) {
    if (auto v = string(node["value"], what + ".value")) out.value = *v;
  }
  if (auto e = node["effect"] ? string(node["effect"], what + ".effect") : std::nullopt) {
    if (auto effect = effect_of(*e)) {
      out.effect = *effect;
    } else {
      error(node["effect"], "unknown taint effect '" + *e + "'",
            "use NoSchedule, PreferNoSchedule or NoExecute");
      ok = false;
    }
  } else {
    if (!node["effect"]) error(node, what + " needs an 'effect'");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<k8s::Toleration> YamlReader::toleration(const YAML::Node& node,
                                                      const std::string& what) {
  if (!expect_map(node, what)) return std::nullopt;
  check_keys(node, {"key", "operator", "value", "effect", "tolerationSeconds"}, what,
             Severity::warning);
  k8s::Toleration out;
  bool ok = true;
  if (node["key"]) {
    if (auto k = string(node["key"], what + ".key")) out.key = *k;
  }
  if (node["operator"]) {
    auto op = string(node["operator"], what + ".operator");
    if (op && *op == "Exists") {
      out.op = k8s::Toleration::Op::Exists;
    } else if (op && *op == "Equal") {
      out.op = k8s::Toleration::Op::Equal;
    } else if (op && (*op == "Lt" || *op == "Gt")) {
      out.op = *op == "Lt" ? k8s::Toleration::Op::Lt : k8s::Toleration::Op::Gt;
      warning(node["operator"],
              "toleration operator " + *op +
                  " needs the feature gate TaintTolerationComparisonOperators (alpha "
                  "upstream); simulated with its numeric meaning: it tolerates a taint whose "
                  "value is " +
                  (*op == "Lt" ? "less" : "greater") + " than this value");
    } else if (op) {
      error(node["operator"], "unknown toleration operator '" + *op + "'",
            "use Equal, Exists, Lt or Gt");
      ok = false;
    }
  }
  if (node["value"]) {
    if (auto v = string(node["value"], what + ".value")) out.value = *v;
    if (out.op == k8s::Toleration::Op::Exists && !out.value.empty()) {
      error(node["value"], "a toleration with operator Exists must not have a value");
      ok = false;
    }
  }
  if ((out.op == k8s::Toleration::Op::Lt || out.op == k8s::Toleration::Op::Gt) &&
      !k8s::decimal_integer(out.value)) {
    error(node["value"] ? node["value"] : node,
          "a toleration with operator Lt or Gt needs a decimal integer value, got \"" + out.value +
              "\"",
          "e.g. value: \"100\" (no leading zeros)");
    ok = false;
  }
  if (out.key.empty() && out.op != k8s::Toleration::Op::Exists) {
    error(node, what + ": an empty key needs operator Exists");
    ok = false;
  }
  if (node["effect"]) {
    auto e = string(node["effect"], what + ".effect");
    if (e && !e->empty()) {
      if (auto effect = effect_of(*e)) {
        out.effect = *effect;
      } else {
        error(node["effect"], "unknown taint effect '" + *e + "'",
              "use NoSchedule, PreferNoSchedule or NoExecute");
        ok = false;
      }
    }
  }
  if (node["tolerationSeconds"]) {
    auto s =
        integer(node["tolerationSeconds"], what + ".tolerationSeconds", -(1LL << 40), 1LL << 40);
    if (s) out.toleration_seconds = *s;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<k8s::ResourceList> YamlReader::resources(const YAML::Node& node,
                                                       const std::string& what) {
  if (!expect_map(node, what)) return std::nullopt;
  k8s::ResourceList out;
  bool ok = true;
  for (const auto& entry : node) {
    const auto name = string(entry.first, what + " key");
    if (!name) {
      ok = false;
      continue;
    }
    const auto q = quantity(entry.second, what + "." + *name);
    if (!q) {
      ok = false;
      continue;
    }
    out[*name] = *q;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace kt::scenario
