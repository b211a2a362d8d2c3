// A place's node pools (spec.infrastructure.regions[].nodePools, edgeSites[].nodePools).

#include <set>

#include "scenarios/scenario_sections.hpp"

namespace kt::scenario::sections {

namespace {

constexpr std::int64_t kMaxNodesPerPool = 100'000;

std::optional<NodePool> read_node_pool(const YAML::Node& node, YamlReader& r,
                                       const std::string& what) {
  if (!r.expect_map(node, what)) return std::nullopt;
  r.check_keys(node,
               {"name", "count", "cpu", "memory", "pricePerHour", "labels", "taints", "resources"},
               what, Severity::error);
  NodePool pool;
  pool.pos = r.pos(node);
  bool ok = true;
  if (auto n = node["name"] ? r.name(node["name"], what + ".name") : std::nullopt) {
    pool.name = *n;
  } else {
    if (!node["name"]) r.error(node, what + " has no 'name'");
    ok = false;
  }
  if (auto c = node["count"] ? r.integer(node["count"], what + ".count", 0, kMaxNodesPerPool)
                             : std::nullopt) {
    pool.count = *c;
  } else {
    if (!node["count"]) r.error(node, what + " has no 'count'");
    ok = false;
  }
  if (auto q = node["cpu"] ? r.quantity(node["cpu"], what + ".cpu") : std::nullopt) {
    pool.cpu_milli = *q;
  } else {
    if (!node["cpu"]) r.error(node, what + " has no 'cpu'");
    ok = false;
  }
  if (auto q = node["memory"] ? r.quantity(node["memory"], what + ".memory") : std::nullopt) {
    pool.memory_milli = *q;
  } else {
    if (!node["memory"]) r.error(node, what + " has no 'memory'");
    ok = false;
  }
  if (node["resources"]) {
    if (auto res = r.resources(node["resources"], what + ".resources")) pool.extended = *res;
  }
  if (node["pricePerHour"]) {
    if (auto p = r.number(node["pricePerHour"], what + ".pricePerHour", 0, 1e6)) {
      pool.price_usd_per_hour = *p;
    }
  }
  if (node["labels"]) {
    if (auto l = r.string_map(node["labels"], what + ".labels")) pool.labels = *l;
  }
  if (const YAML::Node taints = node["taints"];
      taints && r.expect_sequence(taints, what + ".taints")) {
    for (const YAML::Node& t : taints) {
      if (auto taint = r.taint(t, what + ".taints[]")) pool.taints.push_back(*taint);
    }
  }
  if (!ok) return std::nullopt;
  return pool;
}

}  // namespace

std::vector<NodePool> read_node_pools(const YAML::Node& node, YamlReader& r,
                                      const std::string& what) {
  std::vector<NodePool> pools;
  if (!r.expect_sequence(node, what)) return pools;
  std::set<std::string> names;
  std::size_t i = 0;
  for (const YAML::Node& p : node) {
    if (auto pool = read_node_pool(p, r, what + "[" + std::to_string(i) + "]")) {
      if (!names.insert(pool->name).second) {
        r.error(p["name"], "duplicate node pool name '" + pool->name + "'");
      } else {
        pools.push_back(std::move(*pool));
      }
    }
    ++i;
  }
  return pools;
}

}  // namespace kt::scenario::sections
