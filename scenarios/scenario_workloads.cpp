// spec.workloads (targets, origins, services, payloads; arrival processes are
// scenario_arrivals.cpp's) and spec.faults.

#include "scenarios/scenario_sections.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <set>

#include "models/workload/arrival_process.hpp"
#include "scenarios/azure_trace.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario::sections {

namespace {

constexpr double kMaxRequestsPerReplication = 1e10;  // about 40 minutes at 4 M requests/s

}  // namespace

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
    r.check_keys(w,
                 {"name", "target", "origin", "arrival", "service", "payload", "partitions",
                  "tenant", "priority"},
                 what, Severity::error);
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
    // A Kafka topic's partitions, for a workload that produces to a KEDA ScaledObject's topic.
    // Quantum jobs: the tenant they are shared and billed to (default: the workload's name),
    // their priority under quantumQueue: priority (higher first).
    if (w["tenant"]) {
      if (auto t = r.name(w["tenant"], what + ".tenant")) wl.tenant = *t;
    }
    if (w["priority"]) {
      if (auto n = r.integer(w["priority"], what + ".priority", -1000000, 1000000))
        wl.priority = *n;
    }
    if (w["partitions"]) {
      if (auto n = r.integer(w["partitions"], what + ".partitions", 1, 100000)) wl.partitions = *n;
    }
    const bool population_durations =
        !wl.arrival.population.empty() && wl.arrival.population.front().durations;
    if ((wl.arrival.durations || population_durations) && w["service"]) {
      r.error(w["service"], what + ": the arrival's durations file gives the service times",
              "remove 'service', or 'durations' from the arrival");
      ok = false;
    } else if (wl.arrival.durations) {
      wl.service = *wl.arrival.durations;
    } else if (population_durations) {
      // Each member's own durations, below.
    } else if (auto s = w["service"] ? read_distribution(w["service"], r, what + ".service")
                                     : std::nullopt) {
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
    if (ok && !wl.arrival.population.empty()) {
      // A trace population: one workload per function, reported together under wl's name.
      std::vector<Arrival::Member> members = std::move(wl.arrival.population);
      wl.arrival.population.clear();
      for (Arrival::Member& m : members) {
        Workload one = wl;
        one.name = wl.name + "/" + m.hash;  // unique: the key of its own Deployment
        one.group = wl.name;
        one.arrival.per_minute = std::move(m.per_minute);
        std::uint64_t total = 0;
        for (std::uint32_t n : one.arrival.per_minute)
          total += n;
        one.arrival.rate_per_s = static_cast<double>(total) / 86400.0;
        if (m.durations) one.service = *m.durations;
        sc.workloads.push_back(std::move(one));
      }
      continue;
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

}  // namespace kt::scenario::sections
