// spec.infrastructure: regions, edge sites, node pools, the network, start-up and cold-start
// distributions; and the distribution syntax shared with workloads.

#include "scenarios/scenario_sections.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "scenarios/cluster_import.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario::sections {

std::optional<DistributionSpec> read_distribution(const YAML::Node& node, YamlReader& r,
                                                  const std::string& what) {
  if (!r.expect_map(node, what)) return std::nullopt;
  if (!node["distribution"]) {
    r.error(node, what + " has no 'distribution'",
            "use exponential, deterministic, lognormal, gamma or uniform");
    return std::nullopt;
  }
  const auto kind = r.string(node["distribution"], what + ".distribution");
  if (!kind) return std::nullopt;
  const auto need = [&](const char* key) -> std::optional<SimTime> {
    if (!node[key]) {
      r.error(node, what + ": a " + *kind + " distribution needs '" + key + "'");
      return std::nullopt;
    }
    return r.duration(node[key], what + "." + key, 0, 30 * kDay);
  };
  const auto cv = [&]() -> std::optional<double> {
    if (!node["cv"]) {
      r.error(node, what + ": a " + *kind + " distribution needs 'cv'");
      return std::nullopt;
    }
    return r.number(node["cv"], what + ".cv", 0.01, 100);
  };
  DistributionSpec out;
  if (*kind == "exponential") {
    r.check_keys(node, {"distribution", "mean"}, what, Severity::error);
    const auto mean = need("mean");
    if (!mean) return std::nullopt;
    if (*mean <= 0) {
      r.error(node["mean"], what + ".mean must be positive");
      return std::nullopt;
    }
    out.dist = Distribution::exponential(to_seconds(*mean));
    out.text = "exponential(mean " + format_duration(*mean) + ")";
  } else if (*kind == "deterministic") {
    r.check_keys(node, {"distribution", "value"}, what, Severity::error);
    const auto value = need("value");
    if (!value) return std::nullopt;
    out.dist = Distribution::deterministic(to_seconds(*value));
    out.text = "deterministic(" + format_duration(*value) + ")";
  } else if (*kind == "lognormal" || *kind == "gamma") {
    r.check_keys(node, {"distribution", "mean", "cv"}, what, Severity::error);
    const auto mean = need("mean");
    const auto c = cv();
    if (!mean || !c) return std::nullopt;
    if (*mean <= 0) {
      r.error(node["mean"], what + ".mean must be positive");
      return std::nullopt;
    }
    out.dist = *kind == "lognormal" ? Distribution::lognormal(to_seconds(*mean), *c)
                                    : Distribution::gamma(to_seconds(*mean), *c);
    char cv_text[32];
    const auto res = std::to_chars(cv_text, cv_text + sizeof cv_text, *c);
    out.text =
        *kind + "(mean " + format_duration(*mean) + ", cv " + std::string(cv_text, res.ptr) + ")";
  } else if (*kind == "uniform") {
    r.check_keys(node, {"distribution", "min", "max"}, what, Severity::error);
    const auto lo = need("min");
    const auto hi = need("max");
    if (!lo || !hi) return std::nullopt;
    if (*lo > *hi) {
      r.error(node["max"], what + ".max is below min");
      return std::nullopt;
    }
    out.dist = Distribution::uniform(to_seconds(*lo), to_seconds(*hi));
    out.text = "uniform(" + format_duration(*lo) + ", " + format_duration(*hi) + ")";
  } else {
    r.error(node["distribution"], "unknown distribution '" + *kind + "'",
            "use exponential, deterministic, lognormal, gamma or uniform");
    return std::nullopt;
  }
  return out;
}

namespace {
constexpr std::int64_t kMaxNodesTotal = 1'000'000;

// Instance types written without pricePerHour take their price from the table that
// spec.infrastructure.prices names (a CSV of data/prices' format, or a folder of them,
// relative to the scenario): the row of the region's provider, its providerRegion and the
// type's name.
void price_instance_types(const YAML::Node& infra_node, Infrastructure& infra, YamlReader& r,
                          const std::string& dir) {
  std::vector<InstanceTypeSpec*> unpriced;
  std::vector<const Region*> region_of;
  for (Region& region : infra.regions) {
    for (NodePool& pool : region.node_pools) {
      for (InstanceTypeSpec& t : pool.instance_types) {
        if (!t.priced) {
          unpriced.push_back(&t);
          region_of.push_back(&region);
        }
      }
    }
  }
  const YAML::Node prices = infra_node["prices"];
  std::optional<std::string> path;
  if (prices) path = r.string(prices, "spec.infrastructure.prices");
  if (unpriced.empty()) return;
  if (!path) {
    for (const InstanceTypeSpec* t : unpriced) {
      r.diags().error(t->pos, "instance type '" + t->name + "' has no 'pricePerHour'",
                      "write pricePerHour, or name a price table in spec.infrastructure.prices "
                      "(data/prices: provider,region,instance_type,usd_per_hour,source)");
    }
    return;
  }
  const std::string file = std::filesystem::path(*path).is_absolute()
                               ? *path
                               : (std::filesystem::path(dir) / *path).string();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    r.error(prices, "spec.infrastructure.prices: no price table at " + file,
            "a CSV of data/prices' format, or a folder of them, relative to the scenario");
    return;
  }
  std::vector<PriceRow> rows;  // a bad row is an error at its file:line:col
  if (!load_price_table(file, rows, r.diags())) return;
  for (std::size_t k = 0; k < unpriced.size(); ++k) {
    InstanceTypeSpec& t = *unpriced[k];
    const Region& region = *region_of[k];
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const PriceRow& p) {
      return p.provider == region.provider && p.region == region.provider_region &&
             p.instance_type == t.name;
    });
    if (row == rows.end()) {
      r.diags().error(t.pos,
                      "no price for instance type '" + t.name + "' of provider '" +
                          region.provider + "' in region '" + region.provider_region + "' in " +
                          file,
                      "add a row to the table, write pricePerHour, or set the region's "
                      "providerRegion to the provider's name for it");
      continue;
    }
    t.price_usd_per_hour = row->usd_per_hour;
    t.priced = true;
  }
}
}  // namespace

void read_infrastructure(const YAML::Node& node, Scenario& sc, YamlReader& r,
                         const std::string& dir) {
  if (!r.expect_map(node, "spec.infrastructure")) return;
  r.check_keys(node,
               {"regions", "edgeSites", "network", "coldStart", "podStartup", "quantum",
                "clusterAutoscaler", "karpenter", "prices"},
               "spec.infrastructure", Severity::error);
  read_node_autoscalers(node, sc.infrastructure, r);
  // kubetwin extension: the QPUs' fidelity rule and prices (docs/scenario.md).
  if (const YAML::Node q = node["quantum"]; q && r.expect_map(q, "spec.infrastructure.quantum")) {
    r.check_keys(q, {"strictFidelity", "pricePerQpuSecond", "pricePerShot", "fairShareHalfLife"},
                 "spec.infrastructure.quantum", Severity::error);
    auto& out = sc.infrastructure.quantum;
    if (q["strictFidelity"]) {
      if (auto b = r.boolean(q["strictFidelity"], "quantum.strictFidelity"))
        out.strict_fidelity = *b;
    }
    if (q["pricePerQpuSecond"])
      out.usd_per_qpu_second =
          r.number(q["pricePerQpuSecond"], "quantum.pricePerQpuSecond", 0, 1e6);
    if (q["pricePerShot"])
      out.usd_per_shot = r.number(q["pricePerShot"], "quantum.pricePerShot", 0, 1e6);
    if (q["fairShareHalfLife"]) {
      out.fair_share_half_life =
          r.duration(q["fairShareHalfLife"], "quantum.fairShareHalfLife", kSecond, 365 * kDay);
    }
  }
  if (const YAML::Node ps = node["podStartup"];
      ps && r.expect_map(ps, "spec.infrastructure.podStartup")) {
    r.check_keys(ps, {"scheduling", "imagePull", "imagePullBandwidth", "containerStart"},
                 "spec.infrastructure.podStartup", Severity::error);
    if (ps["scheduling"]) {
      sc.infrastructure.scheduling =
          read_distribution(ps["scheduling"], r, "podStartup.scheduling");
    }
    if (ps["imagePull"]) {
      sc.infrastructure.image_pull = read_distribution(ps["imagePull"], r, "podStartup.imagePull");
    }
    // A node's pull rate (bytes per second, a quantity: "50Mi"): with an image's size
    // (kubetwin.io/image-size) the pull takes size / rate instead of the imagePull draw.
    if (ps["imagePullBandwidth"]) {
      if (auto q = r.quantity(ps["imagePullBandwidth"], "podStartup.imagePullBandwidth")) {
        if (*q <= 0) {
          r.error(ps["imagePullBandwidth"], "podStartup.imagePullBandwidth must be above 0");
        } else {
          sc.infrastructure.pull_bytes_per_s = static_cast<double>(*q) / 1000.0;
        }
      }
    }
    if (ps["containerStart"]) {
      sc.infrastructure.container_start =
          read_distribution(ps["containerStart"], r, "podStartup.containerStart");
    }
  }
  Infrastructure& infra = sc.infrastructure;
  std::set<std::string> names;
  if (const YAML::Node regions = node["regions"];
      regions && r.expect_sequence(regions, "spec.infrastructure.regions")) {
    std::size_t i = 0;
    for (const YAML::Node& reg : regions) {
      const std::string what = "spec.infrastructure.regions[" + std::to_string(i++) + "]";
      if (!r.expect_map(reg, what)) continue;
      r.check_keys(reg, {"name", "provider", "providerRegion", "nodePools", "egressPricePerGB"},
                   what, Severity::error);
      Region region;
      region.pos = r.pos(reg);
      if (auto n = reg["name"] ? r.name(reg["name"], what + ".name") : std::nullopt) {
        region.name = *n;
      } else {
        if (!reg["name"]) r.error(reg, what + " has no 'name'");
        continue;
      }
      if (!names.insert(region.name).second) {
        r.error(reg["name"], "duplicate region or edge site name '" + region.name + "'");
        continue;
      }
      if (reg["provider"]) {
        if (auto p = r.string(reg["provider"], what + ".provider")) region.provider = *p;
      }
      region.provider_region = region.name;
      if (reg["providerRegion"]) {
        if (auto p = r.string(reg["providerRegion"], what + ".providerRegion"))
          region.provider_region = *p;
      }
      if (reg["nodePools"]) {
        region.node_pools = read_node_pools(reg["nodePools"], r, what + ".nodePools", false);
      }
      if (reg["egressPricePerGB"]) {
        if (auto p = r.number(reg["egressPricePerGB"], what + ".egressPricePerGB", 0, 1000)) {
          region.egress_usd_per_gb = *p;
        }
      }
      infra.regions.push_back(std::move(region));
    }
  }
  price_instance_types(node, infra, r, dir);
  if (const YAML::Node sites = node["edgeSites"];
      sites && r.expect_sequence(sites, "spec.infrastructure.edgeSites")) {
    std::size_t i = 0;
    for (const YAML::Node& s : sites) {
      const std::string what = "spec.infrastructure.edgeSites[" + std::to_string(i++) + "]";
      if (!r.expect_map(s, what)) continue;
      r.check_keys(s, {"name", "nodePools", "uplink", "uplinks", "buffer"}, what, Severity::error);
      EdgeSite site;
      site.pos = r.pos(s);
      if (auto n = s["name"] ? r.name(s["name"], what + ".name") : std::nullopt) {
        site.name = *n;
      } else {
        if (!s["name"]) r.error(s, what + " has no 'name'");
        continue;
      }
      if (!names.insert(site.name).second) {
        r.error(s["name"], "duplicate region or edge site name '" + site.name + "'");
        continue;
      }
      if (s["nodePools"])
        site.node_pools = read_node_pools(s["nodePools"], r, what + ".nodePools", true);
      if (s["uplink"] && s["uplinks"]) {
        r.error(s["uplinks"], what + " has both 'uplink' and 'uplinks'",
                "list every uplink under 'uplinks'");
      } else if (const YAML::Node up = s["uplink"]) {
        if (auto u = read_uplink(up, infra.regions, r, what + ".uplink", dir))
          site.uplinks.push_back(std::move(*u));
      } else if (const YAML::Node ups = s["uplinks"];
                 ups && r.expect_sequence(ups, what + ".uplinks")) {
        std::size_t k = 0;
        for (const YAML::Node& up : ups) {
          const std::string name = what + ".uplinks[" + std::to_string(k++) + "]";
          auto u = read_uplink(up, infra.regions, r, name, dir);
          if (!u) continue;
          for (const Uplink& other : site.uplinks) {
            if (other.region == u->region && !u->region.empty()) {
              r.error(up, "edge site '" + site.name + "' has two uplinks to '" + u->region + "'");
            }
          }
          site.uplinks.push_back(std::move(*u));
        }
      }
      if (s["buffer"]) {
        if (auto n = r.integer(s["buffer"], what + ".buffer", 0, 100'000'000)) site.buffer = *n;
      }
      infra.edge_sites.push_back(std::move(site));
    }
  }
  std::int64_t total_nodes = 0;
  for (const Region& region : infra.regions) {
    for (const NodePool& p : region.node_pools)
      total_nodes += p.count;
  }
  for (const EdgeSite& site : infra.edge_sites) {
    for (const NodePool& p : site.node_pools)
      total_nodes += p.count;
  }
  if (total_nodes > kMaxNodesTotal) {
    r.error(node, "the infrastructure has " + std::to_string(total_nodes) +
                      " nodes; kubetwin simulates at most " + std::to_string(kMaxNodesTotal));
  }
  if (const YAML::Node net = node["network"];
      net && r.expect_map(net, "spec.infrastructure.network")) {
    r.check_keys(net, {"latency"}, "spec.infrastructure.network", Severity::error);
    if (const YAML::Node lat = net["latency"]; lat && r.expect_map(lat, "network.latency")) {
      for (const auto& entry : lat) {
        const auto key = r.string(entry.first, "network.latency key");
        if (!key) continue;
        const std::size_t tilde = key->find('~');
        if (tilde == std::string::npos) {
          r.error(entry.first, "network.latency key '" + *key + "' is not A~B",
                  "write the two ends joined by '~', e.g. us-east~eu-west");
          continue;
        }
        const std::string a = key->substr(0, tilde);
        const std::string b = key->substr(tilde + 1);
        for (const std::string& end : {a, b}) {
          if (!names.count(end)) {
            r.error(entry.first, "network.latency: '" + end + "' is not a region or edge site");
          }
        }
        if (auto d = r.duration(entry.second, "network.latency." + *key, 0, kMinute)) {
          infra.latency[{a, b}] = *d;
          infra.latency[{b, a}] = *d;
        }
      }
    }
  }
  if (const YAML::Node cs = node["coldStart"];
      cs && r.expect_map(cs, "spec.infrastructure.coldStart")) {
    for (const auto& entry : cs) {
      const auto key = r.string(entry.first, "coldStart key");
      if (!key) continue;
      if (auto d = read_distribution(entry.second, r, "coldStart." + *key)) {
        infra.cold_start[*key] = *d;
      }
    }
  }
}

}  // namespace kt::scenario::sections
