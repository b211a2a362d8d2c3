#include "scenarios/scenario_edit.hpp"

#include <charconv>
#include <vector>

#include "scenarios/scenario_parser.hpp"

namespace kt::scenario {

namespace {

struct Segment {
  std::string key;
  std::vector<std::size_t> indexes;
};

bool split_path(const std::string& path, std::vector<Segment>& out, std::string& error) {
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('.', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    Segment seg;
    const std::size_t bracket = part.find('[');
    seg.key = part.substr(0, bracket);
    std::size_t i = bracket;
    while (i != std::string::npos && i < part.size()) {
      const std::size_t close = part.find(']', i);
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(part.data() + i + 1, part.data() + close, index);
      if (close == std::string::npos || ec != std::errc() || ptr != part.data() + close) {
        error = "bad list index in '" + part + "'";
        return false;
      }
      seg.indexes.push_back(index);
      i = close + 1 < part.size() ? (part[close + 1] == '[' ? close + 1 : std::string::npos)
                                  : std::string::npos;
      if (i == std::string::npos && close + 1 < part.size()) {
        error = "unexpected text after ']' in '" + part + "'";
        return false;
      }
    }
    if (seg.key.empty()) {
      error = "empty segment in path";
      return false;
    }
    out.push_back(std::move(seg));
    start = end + 1;
  }
  return true;
}

std::string set_scenario_field(YAML::Node root, const std::string& path, const YAML::Node& value) {
  std::vector<Segment> segments;
  std::string error;
  if (!split_path(path, segments, error)) return error;
  YAML::Node current;
  current.reset(root);  // Node::operator= would overwrite the node it refers to
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const Segment& seg = segments[s];
    const bool last = s + 1 == segments.size();
    if (!current.IsMap()) return "'" + seg.key + "' is not inside a map";
    if (last && seg.indexes.empty()) {
      current[seg.key] = value;
      return {};
    }
    YAML::Node next;
    next.reset(current[seg.key]);
    if (!next.IsDefined()) {
      if (!seg.indexes.empty()) return "no list '" + seg.key + "'";
      current[seg.key] = YAML::Node(YAML::NodeType::Map);
      next.reset(current[seg.key]);
    }
    for (std::size_t k = 0; k < seg.indexes.size(); ++k) {
      if (!next.IsSequence()) return "'" + seg.key + "' is not a list";
      const std::size_t index = seg.indexes[k];
      if (index >= next.size()) {
        return seg.key + "[" + std::to_string(index) + "] is out of range (" +
               std::to_string(next.size()) + " entries)";
      }
      if (last && k + 1 == seg.indexes.size()) {
        next[index] = value;
        return {};
      }
      YAML::Node item;
      item.reset(next[index]);
      next.reset(item);
    }
    current.reset(next);
  }
  return {};
}

// Where PATH's field is written, or its nearest parent that is: the scenario's own mark for
// the value that replaces it.
YAML::Mark written_at(const YAML::Node& root, const std::string& path) {
  YAML::Mark mark = root.Mark();
  std::vector<Segment> segments;
  std::string error;
  const std::size_t colon = path.find(':');
  if (colon != std::string::npos) {  // an override: reported where the policies are
    if (root["spec"] && root["spec"]["policies"]) return root["spec"]["policies"].Mark();
    return root["spec"] ? root["spec"].Mark() : mark;
  }
  if (!split_path(path, segments, error)) return mark;
  // Read-only walk: const look-ups never insert, reset() rebinds without assigning.
  YAML::Node current;
  current.reset(root);
  for (const Segment& seg : segments) {
    const YAML::Node& here = current;
    if (!here.IsMap() || !here[seg.key]) return mark;
    current.reset(here[seg.key]);
    mark = current.Mark();
    for (std::size_t index : seg.indexes) {
      const YAML::Node& list = current;
      if (!list.IsSequence() || index >= list.size()) return mark;
      current.reset(list[index]);
      mark = current.Mark();
    }
  }
  return mark;
}

}  // namespace

std::string apply_setting(YAML::Node root, const std::string& path, const std::string& value,
                          YAML::Mark* at) {
  const YAML::Mark mark = written_at(root, path);
  if (at) *at = mark;
  YAML::Node parsed;
  try {
    // Blank lines and spaces before the value give it the mark of the field it replaces.
    const int line = mark.line > 0 ? mark.line : 0;
    const int column = mark.column > 0 ? mark.column : 0;
    parsed = YAML::Load(std::string(static_cast<std::size_t>(line), '\n') +
                        std::string(static_cast<std::size_t>(column), ' ') + value);
  } catch (const YAML::Exception& e) {
    return "value '" + value + "' is not valid YAML: " + e.msg;
  }
  const std::size_t colon = path.find(':');
  if (colon == std::string::npos) return set_scenario_field(root, path, parsed);
  // Kind/name:field -> an override of that object in every policy.
  const std::string object = path.substr(0, colon);
  const std::string field = path.substr(colon + 1);
  if (object.find('/') == std::string::npos || field.empty()) {
    return "'" + path + "' is not Kind/name:dotted.path";
  }
  if (!root["spec"] || !root["spec"].IsMap()) return "the scenario has no spec";
  YAML::Node spec;
  spec.reset(root["spec"]);
  if (!spec["policies"]) {
    YAML::Node baseline(YAML::NodeType::Map);
    baseline["name"] = "baseline";
    spec["policies"].push_back(baseline);
  }
  YAML::Node policies;
  policies.reset(spec["policies"]);
  if (!policies.IsSequence()) return "spec.policies is not a list";
  for (std::size_t i = 0; i < policies.size(); ++i) {
    YAML::Node policy;
    policy.reset(policies[i]);
    if (!policy.IsMap()) continue;
    if (!policy["overrides"]) policy["overrides"] = YAML::Node(YAML::NodeType::Map);
    YAML::Node overrides;
    overrides.reset(policy["overrides"]);
    if (!overrides[object]) overrides[object] = YAML::Node(YAML::NodeType::Map);
    YAML::Node fields;
    fields.reset(overrides[object]);
    fields[field] = parsed;
  }
  return {};
}

}  // namespace kt::scenario
