#include "scenarios/scenario_parser.hpp"
#include "scenarios/raw_yaml.hpp"

#include <glob.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/scenario_sections.hpp"
#include "scenarios/units.hpp"
#include "scenarios/yaml_reader.hpp"

namespace kt::scenario {

namespace {

namespace fs = std::filesystem;
using namespace sections;

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
      YAML::Node copy = YAML::Clone(unwrap_yaml(obj.raw));
      for (const Override& ov : policy.overrides) {
        if (ov.object != obj.id()) continue;
        const std::string problem = set_path(copy, ov.path, unwrap_yaml(ov.value));
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
  if (process == Process::azure_functions) {
    double total = 0;
    for (std::uint32_t n : per_minute)
      total += n;
    return total / 86400.0;
  }
  return rate_per_s;
}

const std::vector<std::string>& metric_keys() {
  static const std::vector<std::string> keys = {
      "requests.total",         "requests.completed",       "requests.failed",
      "requests.dropped",       "latency.mean_ms",          "latency.p50_ms",
      "latency.p95_ms",         "latency.p99_ms",           "wait.mean_ms",
      "coldstarts.count",       "coldstarts.ratio",         "replicas.mean",
      "replicas.max",           "replicas.final",           "pods.evicted",
      "pods.pending.max",       "pods.pending.mean_s",      "nodes.cpu_utilization",
      "nodes.count.mean",       "nodes.count.max",          "nodes.provisioned",
      "nodes.removed",          "requests.retries",         "cost.total_usd",
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
  if (spec["infrastructure"]) read_infrastructure(spec["infrastructure"], sc, r, dir);
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
