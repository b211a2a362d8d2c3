// The scenario.yaml that `kubetwin import` writes, from what import_cluster found.

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "scenarios/cluster_import.hpp"

namespace kt::scenario {

namespace {

namespace fs = std::filesystem;

std::string yaml_quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", static_cast<unsigned char>(c));
      out += esc;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

const char* effect_name(k8s::TaintEffect e) {
  switch (e) {
    case k8s::TaintEffect::NoSchedule:
      return "NoSchedule";
    case k8s::TaintEffect::PreferNoSchedule:
      return "PreferNoSchedule";
    case k8s::TaintEffect::NoExecute:
      return "NoExecute";
  }
  return "NoSchedule";
}

std::string taint_text(const k8s::Taint& t) {
  return "{key: " + yaml_quoted(t.key) +
         (t.value.empty() ? "" : ", value: " + yaml_quoted(t.value)) +
         ", effect: " + effect_name(t.effect) + "}";
}

std::string labels_text(const k8s::Labels& labels) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    out += (first ? "" : ", ") + yaml_quoted(k) + ": " + yaml_quoted(v);
    first = false;
  }
  return out + "}";
}

}  // namespace

std::string imported_scenario_yaml(const ClusterImport& out,
                                   const std::vector<std::string>& dump_paths,
                                   const std::string& scenario_name) {
  std::string s;
  s += "# Imported by `kubetwin import` from";
  for (const std::string& p : dump_paths)
    s += " " + fs::path(p).filename().string();
  s += ".\n# Node pools come from the dump's Nodes; workloads from its Services. Arrival and\n"
       "# service are placeholders until `kubetwin calibrate` fits them to Prometheus data.\n"
       "apiVersion: kubetwin.io/v1alpha1\nkind: Scenario\nmetadata: {name: " +
       yaml_quoted(scenario_name) +
       "}\nspec:\n  duration: 24h   # placeholder: calibrate sets the exported window\n"
       "  warmup: 0s\n  replications: 5\n  seed: 1\n"
       "  manifests: [manifests/cluster-objects.yaml]   # the dump's objects, Nodes left out\n";
  std::vector<std::string> regions;
  for (const ImportedPool& p : out.pools) {
    if (std::find(regions.begin(), regions.end(), p.region) == regions.end())
      regions.push_back(p.region);
  }
  if (regions.empty()) regions.push_back("default");
  s += "  infrastructure:\n    regions:\n";
  for (const std::string& region : regions) {
    std::string provider;
    for (const ImportedPool& p : out.pools)
      if (p.region == region && provider.empty()) provider = p.provider;
    s +=
        "      - name: " + yaml_quoted(region) +
        (region == "default" ? "   # the nodes carry no topology.kubernetes.io/region label" : "") +
        "\n";
    if (!provider.empty()) s += "        provider: " + provider + "   # from spec.providerID\n";
    s += "        nodePools:\n";
    bool any = false;
    for (const ImportedPool& p : out.pools) {
      if (p.region != region) continue;
      any = true;
      s += "          # " + std::to_string(p.nodes.size()) + " node" +
           (p.nodes.size() == 1 ? "" : "s") + " of type " +
           (p.instance_type.empty() ? "unknown" : p.instance_type) + " in zone " +
           (p.zone.empty() ? "unknown" : p.zone) + ": ";
      for (std::size_t i = 0; i < p.nodes.size(); ++i)
        s += (i ? ", " : "") + p.nodes[i];
      s += "\n          - name: " + p.name +
           "\n            count: " + std::to_string(p.nodes.size()) +
           "\n            cpu: " + yaml_quoted(p.cpu) +
           "   # status.allocatable\n            memory: " + yaml_quoted(p.memory) + "\n";
      if (p.usd_per_hour) {
        char price[32];
        std::snprintf(price, sizeof price, "%.6g", *p.usd_per_hour);
        s += std::string("            pricePerHour: ") + price + "   # " + p.price_note + "\n";
      } else {
        s += "            # " + p.price_note + "\n";
      }
      s += "            labels: " + labels_text(p.labels) + "\n";
      if (!p.taints.empty()) {
        s += "            taints: [";
        for (std::size_t i = 0; i < p.taints.size(); ++i)
          s += (i ? ", " : "") + taint_text(p.taints[i]);
        s += "]\n";
      }
    }
    if (!any) s += "          []   # no node of the dump\n";
  }
  s += "  workloads:\n";
  if (out.workloads.empty()) s += "    []   # no Service of the dump selects a Deployment\n";
  for (const ImportedWorkload& w : out.workloads) {
    s += "    # " + w.note + "\n    - name: " + yaml_quoted(w.name) +
         "\n      target: " + yaml_quoted(w.service) +
         "\n      origin: " + yaml_quoted(regions.front()) +
         "\n      arrival: {process: poisson, rate: 1/s}   # placeholder: kubetwin calibrate\n"
         "      service: {distribution: exponential, mean: 100ms}   # placeholder: kubetwin "
         "calibrate\n";
  }
  for (const std::string& why : out.skipped)
    s += "  # not imported: " + why + "\n";
  s += "  policies:\n    - name: as-imported   # what the manifests declare\n";
  return s;
}

}  // namespace kt::scenario
