// A place's node pools (spec.infrastructure.regions[].nodePools, edgeSites[].nodePools).

#include <set>

#include "scenarios/scenario_sections.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario::sections {

namespace {

constexpr std::int64_t kMaxNodesPerPool = 100'000;

// One of instanceTypes[]: {name, cpu, memory, pricePerHour}; without pricePerHour the price
// comes from spec.infrastructure.prices (read_infrastructure looks it up).
std::optional<InstanceTypeSpec> read_instance_type(const YAML::Node& node, YamlReader& r,
                                                   const std::string& what) {
  if (!r.expect_map(node, what)) return std::nullopt;
  r.check_keys(node, {"name", "cpu", "memory", "pricePerHour"}, what, Severity::error);
  for (const char* key : {"name", "cpu", "memory"}) {
    if (!node[key]) {
      r.error(node, what + " has no '" + key + "'");
      return std::nullopt;
    }
  }
  InstanceTypeSpec t;
  const auto name = r.string(node["name"], what + ".name");
  const auto cpu = r.quantity(node["cpu"], what + ".cpu");
  const auto memory = r.quantity(node["memory"], what + ".memory");
  const bool priced = static_cast<bool>(node["pricePerHour"]);
  const auto price = priced ? r.number(node["pricePerHour"], what + ".pricePerHour", 0, 1e6) : 0.0;
  if (!name || !cpu || !memory || !price) return std::nullopt;
  if (*cpu <= 0 || *memory <= 0) {
    r.error(node, what + " has no room for a pod (cpu and memory must be above 0)");
    return std::nullopt;
  }
  t.name = *name;
  t.cpu_milli = *cpu;
  t.memory_milli = *memory;
  t.price_usd_per_hour = *price;
  t.priced = priced;
  t.pos = r.pos(node);
  return t;
}

// A delay: a plain duration (deterministic) or a distribution.
std::optional<DistributionSpec> read_delay(const YAML::Node& node, YamlReader& r,
                                           const std::string& what) {
  if (node.IsMap()) return read_distribution(node, r, what);
  const auto d = r.duration(node, what, 0, kDay);
  if (!d) return std::nullopt;
  DistributionSpec spec;
  spec.text = format_duration(*d);
  spec.dist = Distribution::deterministic(to_seconds(*d));
  return spec;
}

// autoscaling, min, max, priority and the delays of one pool.
bool read_pool_scaling(const YAML::Node& node, YamlReader& r, const std::string& what, bool edge,
                       NodePool& pool) {
  bool ok = true;
  if (node["autoscaling"]) {
    if (auto a = r.string(node["autoscaling"], what + ".autoscaling")) {
      if (*a != "none" && *a != "cluster-autoscaler" && *a != "karpenter") {
        r.error(node["autoscaling"], what + ".autoscaling: unknown node autoscaler '" + *a + "'",
                "use cluster-autoscaler, karpenter or none");
        ok = false;
      } else if (edge && *a != "none") {
        r.error(node["autoscaling"],
                what +
                    ": an edge site's nodes are fixed hardware; a node autoscaler resizes "
                    "regions' pools");
        ok = false;
      } else {
        pool.autoscaling = *a;
      }
    }
  }
  if (node["min"]) pool.min = r.integer(node["min"], what + ".min", 0, kMaxNodesPerPool);
  if (node["max"]) pool.max = r.integer(node["max"], what + ".max", 0, kMaxNodesPerPool);
  if (pool.min && pool.max && *pool.min > *pool.max) {
    r.error(node["min"], what + ".min is above max");
    ok = false;
  } else if ((pool.min && pool.count < *pool.min) || (pool.max && pool.count > *pool.max)) {
    r.error(node["count"], what + ".count (the initial size) is outside min..max");
    ok = false;
  }
  if (node["priority"])
    if (auto p = r.integer(node["priority"], what + ".priority", -1'000'000, 1'000'000))
      pool.priority = static_cast<std::int32_t>(*p);
  if (node["provisioningDelay"])
    pool.provisioning_delay = read_delay(node["provisioningDelay"], r, what + ".provisioningDelay");
  if (node["deletionDelay"])
    pool.deletion_delay = read_delay(node["deletionDelay"], r, what + ".deletionDelay");
  return ok;
}

std::optional<NodePool> read_node_pool(const YAML::Node& node, YamlReader& r,
                                       const std::string& what, bool edge) {
  if (!r.expect_map(node, what)) return std::nullopt;
  r.check_keys(
      node,
      {"name", "count", "cpu", "memory", "pricePerHour", "labels", "taints", "resources", "min",
       "max", "autoscaling", "priority", "provisioningDelay", "deletionDelay", "instanceTypes"},
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
  if (const YAML::Node types = node["instanceTypes"];
      types && r.expect_sequence(types, what + ".instanceTypes")) {
    std::size_t k = 0;
    for (const YAML::Node& t : types) {
      if (auto type = read_instance_type(t, r, what + ".instanceTypes[" + std::to_string(k) + "]"))
        pool.instance_types.push_back(std::move(*type));
      ++k;
    }
  }
  // With instance types, the pool's own shape is optional: its initial nodes are the first
  // type.
  const bool typed = !pool.instance_types.empty();
  if (typed && !node["cpu"] && !node["memory"]) {
    pool.cpu_milli = pool.instance_types.front().cpu_milli;
    pool.memory_milli = pool.instance_types.front().memory_milli;
    if (!node["pricePerHour"])
      pool.price_usd_per_hour = pool.instance_types.front().price_usd_per_hour;
  } else {
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
  }
  if (!read_pool_scaling(node, r, what, edge, pool)) ok = false;
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
                                      const std::string& what, bool edge) {
  std::vector<NodePool> pools;
  if (!r.expect_sequence(node, what)) return pools;
  std::set<std::string> names;
  std::size_t i = 0;
  for (const YAML::Node& p : node) {
    if (auto pool = read_node_pool(p, r, what + "[" + std::to_string(i) + "]", edge)) {
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
