#include "scenarios/scenario_parser.hpp"

#include <glob.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/units.hpp"
#include "scenarios/yaml_reader.hpp"

namespace kt::scenario {

namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMaxNodesPerPool = 100'000;
constexpr std::int64_t kMaxNodesTotal = 1'000'000;
constexpr double kMaxRequestsPerReplication = 1e10;  // about 40 minutes at 4 M requests/s

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

void read_infrastructure(const YAML::Node& node, Scenario& sc, YamlReader& r) {
  if (!r.expect_map(node, "spec.infrastructure")) return;
  r.check_keys(node, {"regions", "edgeSites", "network", "coldStart", "podStartup"},
               "spec.infrastructure", Severity::error);
  if (const YAML::Node ps = node["podStartup"];
      ps && r.expect_map(ps, "spec.infrastructure.podStartup")) {
    r.check_keys(ps, {"scheduling", "imagePull", "containerStart"},
                 "spec.infrastructure.podStartup", Severity::error);
    if (ps["scheduling"]) {
      sc.infrastructure.scheduling =
          read_distribution(ps["scheduling"], r, "podStartup.scheduling");
    }
    if (ps["imagePull"]) {
      sc.infrastructure.image_pull = read_distribution(ps["imagePull"], r, "podStartup.imagePull");
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
      r.check_keys(reg, {"name", "provider", "nodePools", "egressPricePerGB"}, what,
                   Severity::error);
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
      if (reg["nodePools"]) {
        region.node_pools = read_node_pools(reg["nodePools"], r, what + ".nodePools");
      }
      if (reg["egressPricePerGB"]) {
        if (auto p = r.number(reg["egressPricePerGB"], what + ".egressPricePerGB", 0, 1000)) {
          region.egress_usd_per_gb = *p;
        }
      }
      infra.regions.push_back(std::move(region));
    }
  }
  if (const YAML::Node sites = node["edgeSites"];
      sites && r.expect_sequence(sites, "spec.infrastructure.edgeSites")) {
    std::size_t i = 0;
    for (const YAML::Node& s : sites) {
      const std::string what = "spec.infrastructure.edgeSites[" + std::to_string(i++) + "]";
      if (!r.expect_map(s, what)) continue;
      r.check_keys(s, {"name", "nodePools", "uplink"}, what, Severity::error);
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
      if (s["nodePools"]) site.node_pools = read_node_pools(s["nodePools"], r, what + ".nodePools");
      if (const YAML::Node up = s["uplink"]; up && r.expect_map(up, what + ".uplink")) {
        r.check_keys(up, {"region", "latency", "outage"}, what + ".uplink", Severity::error);
        Uplink uplink;
        if (up["region"]) {
          if (auto reg = r.string(up["region"], what + ".uplink.region")) uplink.region = *reg;
          bool found = false;
          for (const Region& region : infra.regions)
            found = found || region.name == uplink.region;
          if (!found) {
            std::vector<std::string> candidates;
            for (const Region& region : infra.regions)
              candidates.push_back(region.name);
            const std::string m = closest_match(uplink.region, candidates);
            r.error(up["region"], "uplink region '" + uplink.region + "' is not a region",
                    m.empty() ? std::string("define it under spec.infrastructure.regions")
                              : "did you mean '" + m + "'?");
          }
        } else {
          r.error(up, what + ".uplink has no 'region'");
        }
        if (up["latency"]) {
          if (auto l = r.duration(up["latency"], what + ".uplink.latency", 0, kMinute)) {
            uplink.latency = *l;
          }
        }
        if (const YAML::Node o = up["outage"]; o && r.expect_map(o, what + ".uplink.outage")) {
          r.check_keys(o, {"meanUp", "meanDown"}, what + ".uplink.outage", Severity::error);
          OnOffOutage outage;
          if (auto u = o["meanUp"] ? r.duration(o["meanUp"], what + ".uplink.outage.meanUp",
                                                kSecond, 365 * kDay)
                                   : std::nullopt) {
            outage.mean_up = *u;
          } else if (!o["meanUp"]) {
            r.error(o, what + ".uplink.outage has no 'meanUp'");
          }
          if (auto d = o["meanDown"] ? r.duration(o["meanDown"], what + ".uplink.outage.meanDown",
                                                  kSecond, 365 * kDay)
                                     : std::nullopt) {
            outage.mean_down = *d;
          } else if (!o["meanDown"]) {
            r.error(o, what + ".uplink.outage has no 'meanDown'");
          }
          uplink.outage = outage;
        }
        site.uplink = uplink;
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

bool load_trace(const std::string& path, Arrival& arrival, Diagnostics& diags) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    diags.error({path, 0, 0}, "trace file not found");
    return false;
  }
  std::ifstream in(path);
  std::string line;
  int line_no = 0;
  SimTime last = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::string field = line.substr(start, line.find(',', start) - start);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t'))
      field.pop_back();
    const Parsed<double> seconds = parse_number(field);
    SimTime t = 0;
    if (seconds.ok()) {
      if (seconds.value < 0 || seconds.value > 1e9) {
        diags.error({path, line_no, static_cast<int>(start) + 1}, "arrival time out of range");
        return false;
      }
      t = from_seconds(seconds.value);
    } else {
      const DurationParse d = parse_duration(field);
      if (!d.ok()) {
        if (arrival.trace.empty() && line_no == 1) continue;  // a header line
        diags.error({path, line_no, static_cast<int>(start) + 1},
                    "not an arrival time: \"" + field.substr(0, 40) + "\"",
                    "one arrival per line, in seconds (\"12.5\") or with a unit (\"12s\")");
        return false;
      }
      t = d.value_ns;
    }
    if (t < last) {
      diags.error({path, line_no, static_cast<int>(start) + 1}, "arrival times must not decrease",
                  "sort the trace by time");
      return false;
    }
    last = t;
    if (arrival.trace.size() >= 100'000'000) {
      diags.error({path, line_no, 1}, "trace has more than 100,000,000 arrivals");
      return false;
    }
    arrival.trace.push_back(t);
  }
  if (arrival.trace.empty()) {
    diags.error({path, 0, 0}, "trace file has no arrivals");
    return false;
  }
  return true;
}

std::optional<Arrival> read_arrival(const YAML::Node& node, YamlReader& r, const std::string& what,
                                    const std::string& base_dir) {
  if (!r.expect_map(node, what)) return std::nullopt;
  Arrival a;
  const auto process =
      node["process"] ? r.string(node["process"], what + ".process") : std::nullopt;
  if (!process) {
    if (!node["process"]) {
      r.error(node, what + " has no 'process'", "use poisson, constant, diurnal or trace");
    }
    return std::nullopt;
  }
  const auto need = [&](const char* key) {
    if (!node[key])
      r.error(node, what + ": a " + *process + " arrival process needs '" + key + "'");
    return node[key];
  };
  if (*process == "poisson") {
    r.check_keys(node, {"process", "rate"}, what, Severity::error);
    a.process = Arrival::Process::poisson;
    const YAML::Node rate = need("rate");
    if (!rate) return std::nullopt;
    const auto v = r.rate(rate, what + ".rate");
    if (!v) return std::nullopt;
    a.rate_per_s = *v;
  } else if (*process == "constant") {
    r.check_keys(node, {"process", "interval"}, what, Severity::error);
    a.process = Arrival::Process::constant;
    const YAML::Node interval = need("interval");
    if (!interval) return std::nullopt;
    const auto v = r.duration(interval, what + ".interval", kNanosecond, 365 * kDay);
    if (!v) return std::nullopt;
    a.interval = *v;
    a.rate_per_s = 1.0 / to_seconds(*v);
  } else if (*process == "diurnal") {
    r.check_keys(node, {"process", "mean", "amplitude", "period"}, what, Severity::error);
    a.process = Arrival::Process::diurnal;
    const YAML::Node mean = need("mean");
    const YAML::Node amp = need("amplitude");
    if (!mean || !amp) return std::nullopt;
    const auto m = r.rate(mean, what + ".mean");
    const auto am = r.number(amp, what + ".amplitude", 0, 1);
    a.period = kDay;
    if (node["period"]) {
      const auto p = r.duration(node["period"], what + ".period", kSecond, 365 * kDay);
      if (!p) return std::nullopt;
      a.period = *p;
    }
    if (!m || !am) return std::nullopt;
    a.rate_per_s = *m;
    a.amplitude = *am;
  } else if (*process == "trace") {
    r.check_keys(node, {"process", "file"}, what, Severity::error);
    a.process = Arrival::Process::trace;
    const YAML::Node file = need("file");
    if (!file) return std::nullopt;
    const auto f = r.string(file, what + ".file");
    if (!f) return std::nullopt;
    a.trace_file = fs::path(*f).is_absolute() ? *f : (fs::path(base_dir) / *f).string();
    if (!load_trace(a.trace_file, a, r.diags())) return std::nullopt;
  } else {
    r.error(node["process"], "unknown arrival process '" + *process + "'",
            "use poisson, constant, diurnal or trace");
    return std::nullopt;
  }
  return a;
}

bool parse_object_ref_text(const std::string& text, std::string& kind, std::string& name) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() ||
      text.find('/', slash + 1) != std::string::npos) {
    return false;
  }
  kind = text.substr(0, slash);
  name = text.substr(slash + 1);
  return true;
}

std::vector<std::string> object_ids(const std::vector<ManifestObject>& objects) {
  std::vector<std::string> ids;
  for (const ManifestObject& o : objects)
    ids.push_back(o.id());
  return ids;
}

std::string list_text(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < 8; ++i)
    out += (i ? ", " : "") + items[i];
  if (items.size() > 8) out += ", ...";
  return out;
}

void read_workloads(const YAML::Node& node, Scenario& sc, YamlReader& r, const std::string& dir) {
  if (!r.expect_sequence(node, "spec.workloads")) return;
  std::set<std::string> names;
  std::vector<std::string> places;
  for (const Region& reg : sc.infrastructure.regions)
    places.push_back(reg.name);
  for (const EdgeSite& s : sc.infrastructure.edge_sites)
    places.push_back(s.name);
  std::size_t i = 0;
  for (const YAML::Node& w : node) {
    const std::string what = "spec.workloads[" + std::to_string(i++) + "]";
    if (!r.expect_map(w, what)) continue;
    r.check_keys(w, {"name", "target", "origin", "arrival", "service", "payload"}, what,
                 Severity::error);
    Workload wl;
    wl.pos = r.pos(w);
    bool ok = true;
    if (auto n = w["name"] ? r.name(w["name"], what + ".name") : std::nullopt) {
      wl.name = *n;
      if (!names.insert(wl.name).second) {
        r.error(w["name"], "duplicate workload name '" + wl.name + "'");
        ok = false;
      }
    } else {
      if (!w["name"]) r.error(w, what + " has no 'name'");
      ok = false;
    }
    if (auto t = w["target"] ? r.string(w["target"], what + ".target") : std::nullopt) {
      wl.target.pos = r.pos(w["target"]);
      if (!parse_object_ref_text(*t, wl.target.kind, wl.target.name)) {
        r.error(w["target"], what + ".target \"" + *t + "\" is not Kind/name",
                "e.g. Service/hello-serverless");
        ok = false;
      } else {
        bool ambiguous = false;
        const ManifestObject* obj =
            find_object(sc.objects, wl.target.kind, wl.target.name, &ambiguous);
        if (!obj) {
          const std::string m = closest_match(*t, object_ids(sc.objects));
          r.error(w["target"], "workload target " + *t + " names no object in spec.manifests",
                  m.empty() ? "objects read: " + list_text(object_ids(sc.objects))
                            : "did you mean '" + m + "'?");
          ok = false;
        } else if (ambiguous) {
          r.error(
              w["target"],
              "workload target " + *t + " is ambiguous: objects of two API groups have that name",
              "rename one of them");
          ok = false;
        } else {
          wl.target.api_version = obj->api_version;
        }
      }
    } else {
      if (!w["target"]) r.error(w, what + " has no 'target'");
      ok = false;
    }
    if (w["origin"]) {
      if (auto o = r.string(w["origin"], what + ".origin")) {
        wl.origin = *o;
        if (std::find(places.begin(), places.end(), *o) == places.end()) {
          const std::string m = closest_match(*o, places);
          r.error(w["origin"], "origin '" + *o + "' is not a region or edge site",
                  m.empty() ? (places.empty() ? std::string("define spec.infrastructure.regions")
                                              : "known: " + list_text(places))
                            : "did you mean '" + m + "'?");
          ok = false;
        }
      }
    }
    if (auto a =
            w["arrival"] ? read_arrival(w["arrival"], r, what + ".arrival", dir) : std::nullopt) {
      wl.arrival = *a;
    } else {
      if (!w["arrival"]) r.error(w, what + " has no 'arrival'");
      ok = false;
    }
    if (const YAML::Node pl = w["payload"]; pl && r.expect_map(pl, what + ".payload")) {
      r.check_keys(pl, {"request", "response"}, what + ".payload", Severity::error);
      // Quantities in bytes ("2Ki", "16Ki", "1M"); milli-units divided out.
      if (pl["request"]) {
        if (auto q = r.quantity(pl["request"], what + ".payload.request")) {
          wl.request_bytes = *q / 1000;
        }
      }
      if (pl["response"]) {
        if (auto q = r.quantity(pl["response"], what + ".payload.response")) {
          wl.response_bytes = *q / 1000;
        }
      }
    }
    if (auto s =
            w["service"] ? read_distribution(w["service"], r, what + ".service") : std::nullopt) {
      wl.service = *s;
    } else {
      if (!w["service"]) r.error(w, what + " has no 'service'");
      ok = false;
    }
    if (ok) {
      const double expected = wl.arrival.mean_rate_per_s() * to_seconds(sc.duration);
      if (wl.arrival.process != Arrival::Process::trace && expected > kMaxRequestsPerReplication) {
        r.error(w["arrival"],
                "workload " + wl.name + " would send about " +
                    std::to_string(static_cast<long long>(expected)) +
                    " requests per replication; the limit is 10,000,000,000",
                "shorten spec.duration or lower the rate");
        ok = false;
      }
    }
    if (ok) sc.workloads.push_back(std::move(wl));
  }
}

void read_faults(const YAML::Node& node, Scenario& sc, YamlReader& r) {
  if (!r.expect_sequence(node, "spec.faults")) return;
  std::vector<std::string> regions;
  std::vector<std::string> sites;
  std::vector<std::string> pools;
  for (const Region& reg : sc.infrastructure.regions) {
    regions.push_back(reg.name);
    for (const NodePool& p : reg.node_pools)
      pools.push_back(reg.name + "/" + p.name);
  }
  for (const EdgeSite& s : sc.infrastructure.edge_sites) {
    sites.push_back(s.name);
    for (const NodePool& p : s.node_pools)
      pools.push_back(s.name + "/" + p.name);
  }
  std::size_t i = 0;
  for (const YAML::Node& f : node) {
    const std::string what = "spec.faults[" + std::to_string(i++) + "]";
    if (!r.expect_map(f, what)) continue;
    r.check_keys(f, {"at", "kind", "target", "duration"}, what, Severity::error);
    Fault fault;
    fault.pos = r.pos(f);
    bool ok = true;
    if (auto at = f["at"] ? r.duration(f["at"], what + ".at") : std::nullopt) {
      fault.at = *at;
      if (*at >= sc.duration && sc.duration > 0) {
        r.warning(f["at"], "fault at " + format_duration(*at) + " is after the end of the run (" +
                               format_duration(sc.duration) + ") and never happens");
      }
    } else {
      if (!f["at"]) r.error(f, what + " has no 'at'");
      ok = false;
    }
    if (f["duration"]) {
      if (auto d = r.duration(f["duration"], what + ".duration", kSecond)) fault.duration = *d;
    }
    const auto kind = f["kind"] ? r.string(f["kind"], what + ".kind") : std::nullopt;
    const auto target = f["target"] ? r.string(f["target"], what + ".target") : std::nullopt;
    if (!f["kind"])
      r.error(f, what + " has no 'kind'", "use regionOutage, nodeFailure or linkOutage");
    if (!f["target"]) r.error(f, what + " has no 'target'");
    if (!kind || !target) continue;
    fault.kind = *kind;
    fault.target = *target;
    const std::vector<std::string>* candidates = nullptr;
    std::vector<std::string> both;
    if (*kind == "regionOutage") {
      candidates = &regions;
    } else if (*kind == "nodeFailure") {
      both = pools;
      both.insert(both.end(), regions.begin(), regions.end());
      both.insert(both.end(), sites.begin(), sites.end());
      candidates = &both;
    } else if (*kind == "linkOutage") {
      candidates = &sites;
      for (const auto& [link, latency] : sc.infrastructure.latency) {
        both.push_back(link.first + "~" + link.second);
      }
      both.insert(both.end(), sites.begin(), sites.end());
      candidates = &both;
    } else {
      r.error(f["kind"], "unknown fault kind '" + *kind + "'",
              "use regionOutage, nodeFailure or linkOutage");
      continue;
    }
    if (std::find(candidates->begin(), candidates->end(), *target) == candidates->end()) {
      const std::string m = closest_match(*target, *candidates);
      r.error(f["target"], *kind + " target '" + *target + "' names nothing in the infrastructure",
              m.empty() ? (*kind == "nodeFailure"
                               ? std::string("use REGION/POOL, a region or an edge site")
                           : *kind == "linkOutage" ? std::string("use an edge site or A~B")
                                                   : std::string("use a region name"))
                        : "did you mean '" + m + "'?");
      ok = false;
    }
    if (*kind != "nodeFailure" && fault.duration == 0 && !f["duration"]) {
      r.error(f, what + ": a " + *kind + " needs a 'duration'");
      ok = false;
    }
    if (ok) sc.faults.push_back(std::move(fault));
  }
}

bool one_of(const std::string& v, std::initializer_list<const char*> values) {
  for (const char* x : values) {
    if (v == x) return true;
  }
  return false;
}

void read_policies(const YAML::Node& node, Scenario& sc, YamlReader& r) {
  if (!r.expect_sequence(node, "spec.policies")) return;
  std::set<std::string> names;
  std::size_t i = 0;
  for (const YAML::Node& p : node) {
    const std::string what = "spec.policies[" + std::to_string(i++) + "]";
    if (!r.expect_map(p, what)) continue;
    r.check_keys(p,
                 {"name", "placement", "scheduling", "autoscaling", "keepAlive", "edgeOutage",
                  "quantumQueue", "overrides"},
                 what, Severity::error);
    Policy policy;
    policy.pos = r.pos(p);
    if (auto n = p["name"] ? r.name(p["name"], what + ".name") : std::nullopt) {
      policy.name = *n;
      if (!names.insert(policy.name).second) {
        r.error(p["name"], "duplicate policy name '" + policy.name + "'");
        continue;
      }
    } else {
      if (!p["name"]) r.error(p, what + " has no 'name'");
      continue;
    }
    const auto knob = [&](const char* key, std::string& out,
                          std::initializer_list<const char*> values) {
      if (!p[key]) return;
      auto v = r.string(p[key], what + "." + key);
      if (!v) return;
      if (!one_of(*v, values)) {
        std::string allowed;
        std::vector<std::string> list;
        for (const char* x : values) {
          allowed += (allowed.empty() ? "" : ", ") + std::string(x);
          list.push_back(x);
        }
        const std::string m = closest_match(*v, list);
        r.error(p[key], "unknown " + std::string(key) + " '" + *v + "'",
                m.empty() ? "use " + allowed : "did you mean '" + m + "'? (" + allowed + ")");
        return;
      }
      out = *v;
    };
    knob("placement", policy.placement,
         {"weighted", "cost-optimized", "latency-optimized", "spread"});
    knob("scheduling", policy.scheduling, {"least-allocated", "most-allocated", "balanced"});
    knob("autoscaling", policy.autoscaling, {"native", "static", "predictive"});
    knob("edgeOutage", policy.edge_outage, {"evict", "tolerate"});
    knob("quantumQueue", policy.quantum_queue,
         {"fifo", "priority", "fair-share", "shortest-job-first"});
    if (p["keepAlive"]) {
      if (auto v = r.string(p["keepAlive"], what + ".keepAlive")) {
        if (*v == "none" || *v == "hybrid-histogram") {
          policy.keep_alive = *v;
        } else if (v->rfind("fixed:", 0) == 0) {
          const DurationParse d = parse_duration(v->substr(6));
          if (!d.ok() || d.value_ns <= 0) {
            r.error(p["keepAlive"],
                    "keepAlive \"" + *v +
                        "\": " + (d.ok() ? std::string("duration must be positive") : d.error),
                    "e.g. fixed:10m");
          } else {
            policy.keep_alive = "fixed";
            policy.keep_alive_duration = d.value_ns;
          }
        } else {
          r.error(p["keepAlive"], "unknown keepAlive '" + *v + "'",
                  "use fixed:DURATION, hybrid-histogram or none");
        }
      }
    }
    if (const YAML::Node ov = p["overrides"]; ov && r.expect_map(ov, what + ".overrides")) {
      for (const auto& entry : ov) {
        const auto object = r.string(entry.first, what + ".overrides key");
        if (!object) continue;
        std::string kind;
        std::string name;
        if (!parse_object_ref_text(*object, kind, name)) {
          r.error(entry.first, "override key \"" + *object + "\" is not Kind/name");
          continue;
        }
        if (!find_object(sc.objects, kind, name)) {
          const std::string m = closest_match(*object, object_ids(sc.objects));
          r.error(entry.first, "override of " + *object + ": no such object in spec.manifests",
                  m.empty() ? std::string() : "did you mean '" + m + "'?");
          continue;
        }
        if (!r.expect_map(entry.second, "override of " + *object)) continue;
        for (const auto& field : entry.second) {
          const auto path = r.string(field.first, "override path");
          if (!path) continue;
          policy.overrides.push_back({*object, *path, field.second, r.pos(field.first)});
        }
      }
    }
    sc.policies.push_back(std::move(policy));
  }
}

std::string join_scope_hint(const Scenario& sc) {
  std::string out = "keys look like workloads.NAME.latency.p99_ms or latency.p99_ms";
  if (!sc.workloads.empty()) out += " (workloads: " + sc.workloads.front().name + ", ...)";
  return out;
}

void read_slos(const YAML::Node& node, Scenario& sc, YamlReader& r) {
  if (!r.expect_sequence(node, "spec.slo")) return;
  const std::vector<std::string>& keys = metric_keys();
  std::size_t i = 0;
  for (const YAML::Node& s : node) {
    const std::string what = "spec.slo[" + std::to_string(i++) + "]";
    if (!r.expect_map(s, what)) continue;
    r.check_keys(s, {"metric", "max", "min"}, what, Severity::error);
    Slo slo;
    slo.pos = r.pos(s);
    const auto metric = s["metric"] ? r.string(s["metric"], what + ".metric") : std::nullopt;
    if (!metric) {
      if (!s["metric"]) r.error(s, what + " has no 'metric'");
      continue;
    }
    slo.metric = *metric;
    // Split an optional scope (workloads.NAME., regions.NAME., sites.NAME., qpus.NAME.,
    // tenants.NAME.) from the key.
    std::string key = *metric;
    bool ok = true;
    for (const char* scope : {"workloads.", "regions.", "sites.", "qpus.", "tenants."}) {
      if (key.rfind(scope, 0) != 0) continue;
      const std::string rest = key.substr(std::string(scope).size());
      std::vector<std::string> names;
      const std::string s_scope = scope;
      if (s_scope == "workloads.") {
        for (const Workload& w : sc.workloads)
          names.push_back(w.name);
      } else if (s_scope == "regions.") {
        for (const Region& reg : sc.infrastructure.regions)
          names.push_back(reg.name);
      } else if (s_scope == "sites.") {
        for (const EdgeSite& site : sc.infrastructure.edge_sites)
          names.push_back(site.name);
      } else if (s_scope == "qpus.") {
        for (const ManifestObject& o : sc.objects) {
          if (o.kind == "QuantumCluster") names.push_back(o.name);
        }
      }
      // The name is the longest prefix of `rest` that is a known name followed by '.'.
      std::string name;
      for (const std::string& n : names) {
        if (rest.rfind(n + ".", 0) == 0 && n.size() > name.size()) name = n;
      }
      if (name.empty() && s_scope != "tenants.") {
        const std::string guess = rest.substr(0, rest.find('.'));
        const std::string m = closest_match(guess, names);
        r.error(s["metric"],
                "SLO metric " + *metric + ": no " + s_scope.substr(0, s_scope.size() - 2) +
                    " called '" + guess + "'",
                m.empty() ? (names.empty() ? std::string("none are defined")
                                           : "known: " + list_text(names))
                          : "did you mean '" + m + "'?");
        ok = false;
        break;
      }
      if (name.empty()) name = rest.substr(0, rest.find('.'));
      key = rest.size() > name.size() ? rest.substr(name.size() + 1) : std::string();
      break;
    }
    if (ok && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      const std::string m = closest_match(key, keys);
      r.error(s["metric"], "unknown metric '" + key + "' in SLO " + *metric,
              m.empty() ? join_scope_hint(sc) : "did you mean '" + m + "'?");
      ok = false;
    }
    if (s["max"]) slo.max = r.number(s["max"], what + ".max", -1e18, 1e18);
    if (s["min"]) slo.min = r.number(s["min"], what + ".min", -1e18, 1e18);
    if (!s["max"] && !s["min"]) {
      r.error(s, what + " needs 'max' or 'min'");
      ok = false;
    }
    if (ok && (slo.max || slo.min)) sc.slos.push_back(std::move(slo));
  }
}

std::vector<std::string> expand_manifest_pattern(const std::string& pattern,
                                                 const std::string& base_dir) {
  const std::string full =
      fs::path(pattern).is_absolute() ? pattern : (fs::path(base_dir) / pattern).string();
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(full.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i)
      out.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  std::sort(out.begin(), out.end());
  return out;
}

void load_scenario_manifests(const YAML::Node& node, Scenario& sc, YamlReader& r,
                             const std::string& dir) {
  const auto patterns = r.string_list(node, "spec.manifests");
  if (!patterns) return;
  std::vector<YamlDocument> documents;
  std::size_t index = 0;
  for (const std::string& pattern : *patterns) {
    const YAML::Node at = node[index++];
    sc.manifest_patterns.push_back(pattern);
    std::vector<std::string> files = expand_manifest_pattern(pattern, dir);
    std::vector<std::string> expanded;
    Diagnostics local;
    if (files.size() == 1 && fs::is_directory(files.front())) {
      expanded = expand_yaml_paths(files, local);
    } else {
      for (const std::string& f : files) {
        if (!fs::is_directory(f)) expanded.push_back(f);
      }
    }
    if (expanded.empty()) {
      r.error(at, "spec.manifests: \"" + pattern + "\" matches no YAML file",
              "paths are relative to the scenario file's folder");
      continue;
    }
    for (const std::string& f : expanded) {
      if (fs::equivalent(f, sc.file)) continue;  // a pattern that also matches the scenario
      load_yaml_file(f, documents, r.diags());
    }
  }
  ManifestSet set;
  read_manifests(documents, set, r.diags());
  for (const YamlDocument& doc : set.scenario_documents) {
    r.diags().error(position_of(doc.root, doc.file, doc.line_offset),
                    "a scenario cannot include another scenario through spec.manifests");
  }
  check_manifest_set(set.objects, r.diags());
  sc.objects = std::move(set.objects);
}

void apply_overrides(Scenario& sc, Diagnostics& diags) {
  for (Policy& policy : sc.policies) {
    policy.objects = sc.objects;
    for (ManifestObject& obj : policy.objects) {
      bool touched = false;
      YAML::Node copy = YAML::Clone(obj.raw);
      for (const Override& ov : policy.overrides) {
        if (ov.object != obj.id()) continue;
        const std::string problem = set_path(copy, ov.path, ov.value);
        if (!problem.empty()) {
          diags.error(ov.pos, "override " + ov.object + ":" + ov.path + ": " + problem);
          continue;
        }
        touched = true;
      }
      if (!touched) continue;
      // Re-read the changed object; its problems belong to the override lines.
      Diagnostics local;
      ManifestObject changed;
      parse_object(copy, obj.pos.file, changed, local);
      if (!local.ok()) {
        for (const Diagnostic& d : local.all()) {
          if (d.severity != Severity::error) continue;
          for (const Override& ov : policy.overrides) {
            if (ov.object == obj.id()) {
              diags.error(ov.pos,
                          "policy " + policy.name + " makes " + obj.id() + " invalid: " + d.message,
                          d.hint);
              break;
            }
          }
        }
        continue;
      }
      changed.pos = obj.pos;
      obj = std::move(changed);
    }
  }
}

}  // namespace

double Arrival::mean_rate_per_s() const {
  if (process == Process::trace) return 0;
  return rate_per_s;
}

const std::vector<std::string>& metric_keys() {
  static const std::vector<std::string> keys = {
      "requests.total",         "requests.completed",       "requests.failed",
      "requests.dropped",       "latency.mean_ms",          "latency.p50_ms",
      "latency.p95_ms",         "latency.p99_ms",           "wait.mean_ms",
      "coldstarts.count",       "coldstarts.ratio",         "replicas.mean",
      "replicas.max",           "replicas.final",           "pods.evicted",
      "pods.pending.max",       "nodes.cpu_utilization",    "cost.total_usd",
      "cost.compute_usd",       "cost.serverless_usd",      "cost.quantum_usd",
      "cost.egress_usd",        "edge.uplink.availability", "edge.requests.offline",
      "quantum.jobs.completed", "quantum.jobs.rejected",    "quantum.wait.mean_s",
      "quantum.wait.p95_s",     "quantum.exec.mean_s",      "quantum.utilization",
      "serverless.idle_gb_s",   "workflows.makespan_s"};
  return keys;
}

std::string set_path(YAML::Node root, const std::string& path, const YAML::Node& value) {
  if (path.empty()) return "empty path";
  // Node::operator= would overwrite the referenced node; reset() rebinds the handle.
  YAML::Node current;
  current.reset(root);
  std::string rest = path;
  bool string_map = false;  // inside labels/annotations/...: the rest is one key
  while (true) {
    if (!current.IsMap() && current.IsDefined() && !current.IsNull()) {
      return "cannot set a field inside " + describe_node(current);
    }
    std::string key;
    if (string_map) {
      key = rest;
    } else {
      // The longest existing key that `rest` starts with (keys may contain dots).
      if (current.IsMap()) {
        for (const auto& entry : current) {
          if (!entry.first.IsScalar()) continue;
          const std::string& k = entry.first.Scalar();
          if ((rest == k || rest.rfind(k + ".", 0) == 0) && k.size() > key.size()) key = k;
        }
      }
      if (key.empty()) key = rest.substr(0, rest.find('.'));
    }
    if (key.empty()) return "empty segment in path";
    if (key.size() == rest.size()) {
      current[key] = YAML::Clone(value);
      return {};
    }
    rest = rest.substr(key.size() + 1);
    string_map =
        key == "annotations" || key == "labels" || key == "nodeSelector" || key == "matchLabels";
    YAML::Node next;
    next.reset(current[key]);
    if (!next.IsDefined() || next.IsNull()) {
      current[key] = YAML::Node(YAML::NodeType::Map);
      next.reset(current[key]);
    }
    current.reset(next);
  }
}

bool parse_scenario(const YamlDocument& doc, Scenario& sc, Diagnostics& diags) {
  const std::size_t errors_before = diags.error_count();
  YamlReader r(doc.file, diags, doc.line_offset);
  const YAML::Node& root = doc.root;
  sc.file = doc.file;
  sc.pos = r.pos(root);
  const std::string dir = fs::path(doc.file).parent_path().string();
  r.check_keys(root, {"apiVersion", "kind", "metadata", "spec"}, "the scenario", Severity::error);
  if (root["apiVersion"].Scalar() != "kubetwin.io/v1alpha1") {
    r.error(root["apiVersion"],
            "unsupported scenario apiVersion '" + root["apiVersion"].Scalar() + "'",
            "use kubetwin.io/v1alpha1");
  }
  if (const YAML::Node meta = root["metadata"]; meta && r.expect_map(meta, "metadata")) {
    if (auto n = meta["name"] ? r.name(meta["name"], "metadata.name") : std::nullopt) {
      sc.name = *n;
    } else if (!meta["name"]) {
      r.error(meta, "metadata has no 'name'");
    }
  } else if (!meta) {
    r.error(root, "scenario has no 'metadata'");
  }
  const YAML::Node spec = root["spec"];
  if (!spec) {
    r.error(root, "scenario has no 'spec'");
    return false;
  }
  if (!r.expect_map(spec, "spec")) return false;
  r.check_keys(spec,
               {"duration", "warmup", "replications", "seed", "manifests", "infrastructure",
                "workloads", "faults", "policies", "slo"},
               "spec", Severity::error);
  if (auto d = spec["duration"]
                   ? r.duration(spec["duration"], "spec.duration", kMillisecond, 365 * kDay)
                   : std::nullopt) {
    sc.duration = *d;
  } else if (!spec["duration"]) {
    r.error(spec, "spec has no 'duration'", "e.g. duration: 24h");
  }
  if (spec["warmup"]) {
    if (auto w = r.duration(spec["warmup"], "spec.warmup")) {
      if (sc.duration > 0 && *w >= sc.duration) {
        r.error(spec["warmup"], "spec.warmup (" + format_duration(*w) +
                                    ") must be shorter than spec.duration (" +
                                    format_duration(sc.duration) + ")");
      } else {
        sc.warmup = *w;
      }
    }
  }
  if (spec["replications"]) {
    if (auto n = r.integer(spec["replications"], "spec.replications", 1, 10'000))
      sc.replications = *n;
  }
  if (const YAML::Node seed = spec["seed"]) {
    std::uint64_t v = 0;
    const std::string text = seed.IsScalar() ? seed.Scalar() : std::string();
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
      r.error(seed, "spec.seed must be a whole number from 0 to 18446744073709551615, got " +
                        describe_node(seed));
    } else {
      sc.seed = v;
    }
  }
  if (spec["manifests"]) load_scenario_manifests(spec["manifests"], sc, r, dir);
  if (spec["infrastructure"]) read_infrastructure(spec["infrastructure"], sc, r);
  if (spec["workloads"]) {
    read_workloads(spec["workloads"], sc, r, dir);
  } else {
    r.error(spec, "spec has no 'workloads'", "a scenario needs at least one workload");
  }
  if (spec["faults"]) read_faults(spec["faults"], sc, r);
  if (spec["policies"]) read_policies(spec["policies"], sc, r);
  if (sc.policies.empty() && !spec["policies"]) {
    Policy baseline;
    baseline.name = "baseline";
    baseline.pos = sc.pos;
    sc.policies.push_back(std::move(baseline));
  }
  if (spec["slo"]) read_slos(spec["slo"], sc, r);
  apply_overrides(sc, diags);
  return diags.error_count() == errors_before;
}

}  // namespace kt::scenario
