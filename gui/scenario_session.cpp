#include "gui/scenario_session.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "scenarios/loader.hpp"

namespace kt::gui {

namespace {

std::string seconds_text(SimTime t) {
  char text[32];
  std::snprintf(text, sizeof text, "%gs", to_seconds(t));
  return text;
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

std::string first_error(const scenario::Diagnostics& diags) {
  for (const scenario::Diagnostic& d : diags.all()) {
    if (d.severity == scenario::Severity::error) return scenario::format_diagnostic(d);
  }
  return "the scenario does not load";
}

}  // namespace

bool ScenarioSession::reload(const std::vector<std::pair<std::string, std::string>>& edits,
                             scenario::Diagnostics& diags, scenario::Scenario& out) const {
  return scenario::load_scenario_file(path_, out, diags, edits);
}

bool ScenarioSession::open(const std::string& path) {
  path_ = path;
  edits_.clear();
  diags_ = {};
  scenario_ = {};
  loaded_ = reload({}, diags_, scenario_);
  return loaded_;
}

std::vector<std::pair<std::string, std::string>> ScenarioSession::with_edit(
    const std::string& path, const std::string& value) const {
  std::vector<std::pair<std::string, std::string>> edits = edits_;
  const auto it =
      std::find_if(edits.begin(), edits.end(), [&](const auto& e) { return e.first == path; });
  if (it == edits.end()) {
    edits.emplace_back(path, value);
  } else {
    it->second = value;
  }
  return edits;
}

std::string ScenarioSession::check(const std::string& path, const std::string& value) const {
  const auto edits = with_edit(path, value);
  scenario::Diagnostics diags;
  scenario::Scenario sc;
  return reload(edits, diags, sc) ? "" : first_error(diags);
}

std::string ScenarioSession::set(const std::string& path, const std::string& value) {
  auto edits = with_edit(path, value);
  scenario::Diagnostics diags;
  scenario::Scenario sc;
  if (!reload(edits, diags, sc)) return first_error(diags);
  edits_ = std::move(edits);
  diags_ = std::move(diags);
  scenario_ = std::move(sc);
  loaded_ = true;
  return "";
}

std::string ScenarioSession::edited_text(const std::string& save_to, bool& comments_lost) const {
  std::string out;
  scenario::Diagnostics diags;
  comments_lost = false;
  if (!scenario::edited_scenario_text(path_, edits_, save_to, out, comments_lost, diags)) return "";
  return out;
}

std::vector<ObjectLine> ScenarioSession::objects() const {
  std::vector<ObjectLine> out;
  for (const scenario::ManifestObject& obj : scenario_.objects) {
    const std::string handling = scenario::describe_handling(obj);
    out.push_back({obj.id(), handling, handling.rfind("not simulated", 0) != 0, obj.pos});
  }
  return out;
}

std::vector<EditableField> ScenarioSession::fields() const {
  std::vector<EditableField> out;
  const scenario::Scenario& sc = scenario_;
  out.push_back({"Scenario", "duration", "spec.duration", seconds_text(sc.duration), {}});
  out.push_back(
      {"Scenario", "replications", "spec.replications", std::to_string(sc.replications), {}});
  out.push_back({"Scenario", "seed", "spec.seed", std::to_string(sc.seed), {}});
  for (std::size_t i = 0; i < sc.policies.size(); ++i) {
    const scenario::Policy& p = sc.policies[i];
    // The baseline a scenario without spec.policies gets has the scenario's own place: it has
    // no knobs to write until the file lists policies.
    if (p.pos.line == sc.pos.line && p.pos.column == sc.pos.column) continue;
    std::string at = "spec.policies[";
    at.append(std::to_string(i)).append("].");
    std::string group = "Policy ";
    group.append(p.name);
    std::string keep_alive = p.keep_alive;
    if (keep_alive == "fixed") keep_alive.append(":").append(seconds_text(p.keep_alive_duration));
    if (!p.keep_alive_params.empty()) keep_alive.append(":").append(p.keep_alive_params);
    out.push_back({group,
                   "placement",
                   at + "placement",
                   p.placement,
                   {"weighted", "cost-optimized", "latency-optimized", "spread"}});
    out.push_back({group,
                   "scheduling",
                   at + "scheduling",
                   p.scheduling,
                   {"least-allocated", "most-allocated", "balanced"}});
    out.push_back({group,
                   "autoscaling",
                   at + "autoscaling",
                   p.autoscaling,
                   {"native", "static", "predictive"}});
    out.push_back({group,
                   "keepAlive",
                   at + "keepAlive",
                   keep_alive,
                   {"none", "hybrid-histogram", "fixed:10m", "fixed:1h", keep_alive}});
    out.push_back({group, "edgeOutage", at + "edgeOutage", p.edge_outage, {"evict", "tolerate"}});
    out.push_back({group,
                   "quantumQueue",
                   at + "quantumQueue",
                   p.quantum_queue,
                   {"fifo", "priority", "fair-share", "shortest-job-first"}});
    out.push_back({group,
                   "loadBalancing",
                   at + "loadBalancing",
                   p.load_balancing,
                   {"native", "random", "round-robin", "least-request"}});
    out.push_back({group,
                   "nodeAutoscaling",
                   at + "nodeAutoscaling",
                   p.node_autoscaling,
                   {"native", "none", "cluster-autoscaler", "karpenter"}});
  }
  for (std::size_t i = 0; i < sc.workloads.size(); ++i) {
    const scenario::Workload& w = sc.workloads[i];
    if (!w.group.empty()) continue;  // a member of a trace population
    const std::string at = "spec.workloads[" + std::to_string(i) + "].arrival.";
    const std::string rate = number_text(w.arrival.rate_per_s) + "/s";
    if (w.arrival.process == scenario::Arrival::Process::poisson) {
      out.push_back({"Workload " + w.name, "arrival rate", at + "rate", rate, {}});
    } else if (w.arrival.process == scenario::Arrival::Process::diurnal) {
      out.push_back({"Workload " + w.name, "mean arrival rate", at + "mean", rate, {}});
    }
  }
  for (std::size_t r = 0; r < sc.infrastructure.regions.size(); ++r) {
    const scenario::Region& region = sc.infrastructure.regions[r];
    for (std::size_t p = 0; p < region.node_pools.size(); ++p) {
      const scenario::NodePool& pool = region.node_pools[p];
      const std::string at = "spec.infrastructure.regions[" + std::to_string(r) + "].nodePools[" +
                             std::to_string(p) + "].";
      const std::string name = region.name + "/" + pool.name;
      out.push_back({"Node pools", name + " nodes", at + "count", std::to_string(pool.count), {}});
      // The node autoscaler's bounds and which one resizes the pool (the policies'
      // nodeAutoscaling knob may override it).
      out.push_back(
          {"Node pools", name + " min", at + "min", std::to_string(pool.min ? *pool.min : 0), {}});
      out.push_back({"Node pools",
                     name + " max",
                     at + "max",
                     std::to_string(pool.max ? *pool.max : pool.count),
                     {}});
      out.push_back({"Node pools",
                     name + " autoscaling",
                     at + "autoscaling",
                     pool.autoscaling,
                     {"none", "cluster-autoscaler", "karpenter"}});
    }
  }
  // Edge uplinks' exponential outages: written under `uplink` (one) or `uplinks` (a list);
  // the path is the one the loader accepts.
  for (std::size_t e = 0; e < sc.infrastructure.edge_sites.size(); ++e) {
    const scenario::EdgeSite& site = sc.infrastructure.edge_sites[e];
    for (std::size_t u = 0; u < site.uplinks.size(); ++u) {
      const auto& outage = site.uplinks[u].outage;
      if (!outage) continue;
      const std::string base = "spec.infrastructure.edgeSites[" + std::to_string(e) + "].";
      std::vector<std::string> candidates = {base + "uplinks[" + std::to_string(u) + "].outage."};
      if (site.uplinks.size() == 1) candidates.insert(candidates.begin(), base + "uplink.outage.");
      for (const std::string& at : candidates) {
        const std::string up = seconds_text(outage->mean_up);
        if (!check(at + "meanUp", up).empty()) continue;
        const std::string label = "uplink to " + site.uplinks[u].region;
        out.push_back({"Edge site " + site.name, label + ": mean up", at + "meanUp", up, {}});
        out.push_back({"Edge site " + site.name,
                       label + ": mean down",
                       at + "meanDown",
                       seconds_text(outage->mean_down),
                       {}});
        break;
      }
    }
  }
  std::set<std::string> seen;
  for (const scenario::ManifestObject& obj : sc.objects) {
    if (!seen.insert(obj.id()).second) continue;
    if (const auto* ks = std::get_if<scenario::KnativeServiceSpec>(&obj.spec)) {
      const std::string at =
          obj.id() + ":spec.template.metadata.annotations.autoscaling.knative.dev/";
      out.push_back({obj.id(), "minScale", at + "minScale", std::to_string(ks->min_scale), {}});
      out.push_back({obj.id(), "maxScale", at + "maxScale", std::to_string(ks->max_scale), {}});
    } else if (const auto* qc = std::get_if<scenario::QuantumClusterSpec>(&obj.spec)) {
      out.push_back({obj.id(),
                     "queueDepth",
                     obj.id() + ":spec.queueDepth",
                     std::to_string(qc->queue_depth),
                     {}});
    }
  }
  return out;
}

}  // namespace kt::gui
