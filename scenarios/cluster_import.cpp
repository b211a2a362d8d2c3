#include "scenarios/cluster_import.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/raw_yaml.hpp"
#include "scenarios/units.hpp"
#include "scenarios/yaml_source.hpp"
#include "scenarios/yaml_writer.hpp"

namespace kt::scenario {

namespace {

namespace fs = std::filesystem;

// The well-known node labels (k8s.io/api/core/v1 well_known_labels.go), newest first: the
// beta and failure-domain ones are still set by older kubelets.
const char* const kInstanceType[] = {"node.kubernetes.io/instance-type",
                                     "beta.kubernetes.io/instance-type"};
const char* const kRegion[] = {"topology.kubernetes.io/region",
                               "failure-domain.beta.kubernetes.io/region"};
const char* const kZone[] = {"topology.kubernetes.io/zone",
                             "failure-domain.beta.kubernetes.io/zone"};

template <std::size_t N>
std::string label_of(const k8s::Labels& labels, const char* const (&keys)[N]) {
  for (const char* key : keys) {
    const auto it = labels.find(key);
    if (it != labels.end()) return it->second;
  }
  return "";
}

// Per node, not per pool: left out of the pool's labels.
bool per_node_label(const std::string& key) {
  return key == "kubernetes.io/hostname" || key.rfind("node.kubernetes.io/instance-id", 0) == 0;
}

// spec.providerID is PROVIDER://...; clouds' own node labels say it too.
std::string provider_of(const std::string& provider_id, const k8s::Labels& labels) {
  const std::string scheme = provider_id.substr(0, provider_id.find("://"));
  if (scheme == "aws") return "aws";
  if (scheme == "gce") return "gcp";
  if (scheme == "azure") return "azure";
  for (const auto& [key, value] : labels) {
    if (key.rfind("eks.amazonaws.com/", 0) == 0) return "aws";
    if (key.rfind("cloud.google.com/", 0) == 0) return "gcp";
    if (key.rfind("kubernetes.azure.com/", 0) == 0) return "azure";
  }
  return "";
}

// A DNS-1123 label from an instance type and zone: m5.xlarge, us-east-1a -> m5-xlarge-us-east-1a.
std::string pool_name(const std::string& type, const std::string& zone) {
  std::string out;
  for (const char c :
       (type.empty() ? std::string("nodes") : type) + (zone.empty() ? "" : "-" + zone)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    out += ok || (lower >= 'a' && lower <= 'z') ? lower : '-';
  }
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  return out.substr(0, 63);
}

std::string where(const SourcePos& pos) {
  return fs::path(pos.file).filename().string() + ":" + std::to_string(pos.line);
}

struct NodeRow {
  const ManifestObject* obj;
  const NodeSpec* spec;
  std::string region, zone, type, provider, cpu, memory, taints_key;
};

std::string allocatable_text(const ManifestObject& obj, const char* resource) {
  const YAML::Node root = unwrap_yaml(obj.raw);
  for (const char* field : {"allocatable", "capacity"}) {
    const YAML::Node v = root["status"][field][resource];
    if (v && v.IsScalar()) return v.Scalar();
  }
  return "";
}

}  // namespace

bool import_cluster(const std::vector<std::string>& dump_paths, const std::vector<PriceRow>& prices,
                    const std::string& scenario_name, ClusterImport& out, Diagnostics& diags) {
  ManifestSet set;
  for (const std::string& file : expand_yaml_paths(dump_paths, diags)) {
    std::vector<YamlDocument> docs;
    if (load_yaml_file(file, docs, diags)) read_manifests(docs, set, diags);
  }
  if (!diags.ok()) return false;
  check_manifest_set(set.objects, diags);
  for (const YamlDocument& doc : set.scenario_documents) {
    diags.warning(position_of(doc.root, doc.file, doc.line_offset),
                  "a kubetwin Scenario is not part of a cluster dump; it is left out");
  }

  // Nodes -> pools: one per region, instance type, zone and taints.
  std::vector<NodeRow> nodes;
  for (const ManifestObject& obj : set.objects) {
    const auto* node = std::get_if<NodeSpec>(&obj.spec);
    if (!node) continue;
    NodeRow row{&obj,
                node,
                label_of(node->labels, kRegion),
                label_of(node->labels, kZone),
                label_of(node->labels, kInstanceType),
                "",
                allocatable_text(obj, "cpu"),
                allocatable_text(obj, "memory"),
                ""};
    const YAML::Node pid = unwrap_yaml(obj.raw)["spec"]["providerID"];
    row.provider = provider_of(pid && pid.IsScalar() ? pid.Scalar() : "", node->labels);
    if (row.cpu.empty() || row.memory.empty()) {
      out.skipped.push_back(obj.id() + ": no cpu and memory in status.allocatable or capacity");
      continue;
    }
    for (const k8s::Taint& t : node->taints) {
      row.taints_key.append(t.key).append("=").append(t.value).append(":");
      row.taints_key += std::to_string(static_cast<int>(t.effect)) + ";";
    }
    if (row.region.empty()) row.region = "default";
    nodes.push_back(row);
  }
  std::vector<std::vector<const NodeRow*>> groups;
  std::map<std::string, std::size_t> group_of;
  for (const NodeRow& n : nodes) {
    const std::string key = n.region + "|" + n.type + "|" + n.zone + "|" + n.taints_key;
    const auto [it, fresh] = group_of.emplace(key, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(&n);
  }
  std::map<std::string, int> names_used;
  for (const auto& group : groups) {
    const NodeRow& first = *group.front();
    ImportedPool pool;
    pool.region = first.region;
    pool.provider = first.provider;
    pool.instance_type = first.type;
    pool.zone = first.zone;
    pool.name = pool_name(first.type, first.zone);
    if (const int n = ++names_used[pool.name]; n > 1) pool.name += "-" + std::to_string(n);
    // The scheduler fits pods into allocatable; a pool is as large as its smallest node.
    const NodeRow* smallest = &first;
    for (const NodeRow* n : group) {
      pool.nodes.push_back(n->obj->name);
      const auto cpu = [](const NodeRow* r) { return r->spec->capacity.at(k8s::kCpu); };
      if (cpu(n) < cpu(smallest)) smallest = n;
    }
    pool.cpu = smallest->cpu;
    pool.memory = smallest->memory;
    const auto price = std::find_if(prices.begin(), prices.end(), [&](const PriceRow& p) {
      return p.provider == pool.provider && p.region == pool.region &&
             p.instance_type == pool.instance_type;
    });
    if (pool.instance_type.empty()) {
      pool.price_note = "price unknown: the nodes have no instance-type label";
    } else if (price == prices.end()) {
      pool.price_note = "price unknown: no row for " + pool.instance_type + " in " + pool.region +
                        " (" + (pool.provider.empty() ? "provider unknown" : pool.provider) +
                        ") in the price table";
    } else {
      pool.usd_per_hour = price->usd_per_hour;
      pool.price_note = "data/prices/" + price->provider + ".csv: " + price->instance_type +
                        " in " + price->region + ", on demand (" + price->source + ")";
    }
    // The labels every node of the pool has (per-node ones, the hostname, left out).
    pool.labels = first.spec->labels;
    for (auto it = pool.labels.begin(); it != pool.labels.end();) {
      bool shared = !per_node_label(it->first);
      for (const NodeRow* n : group) {
        const auto other = n->spec->labels.find(it->first);
        shared = shared && other != n->spec->labels.end() && other->second == it->second;
      }
      it = shared ? std::next(it) : pool.labels.erase(it);
    }
    pool.taints = first.spec->taints;
    out.pools.push_back(pool);
  }

  // Services -> workloads: each Service whose selector picks a Deployment's pods.
  std::map<std::string, int> service_names;
  for (const ManifestObject& obj : set.objects) {
    if (std::holds_alternative<ServiceSpec>(obj.spec)) ++service_names[obj.name];
  }
  for (const ManifestObject& obj : set.objects) {
    const auto* svc = std::get_if<ServiceSpec>(&obj.spec);
    if (!svc) continue;
    const std::string id = obj.id() + " (namespace " + obj.name_space + ")";
    if (svc->selector.empty()) {
      out.skipped.push_back(id + ": no selector, so no pods of the dump serve it");
      continue;
    }
    const ManifestObject* target = nullptr;
    for (const ManifestObject& d : set.objects) {
      const auto* dep = std::get_if<DeploymentSpec>(&d.spec);
      if (!dep || d.name_space != obj.name_space) continue;
      bool all = true;
      for (const auto& [k, v] : svc->selector) {
        const auto it = dep->pod.labels.find(k);
        all = all && it != dep->pod.labels.end() && it->second == v;
      }
      if (all && !target) target = &d;
    }
    if (!target) {
      out.skipped.push_back(id + ": its selector matches no Deployment of the dump");
      continue;
    }
    ImportedWorkload w;
    w.name = service_names[obj.name] > 1 ? obj.name_space + "-" + obj.name : obj.name;
    w.service = obj.id();
    w.name_space = obj.name_space;
    w.deployment = target->name;
    w.note = "Service " + obj.name_space + "/" + obj.name + " (" + where(obj.pos) + ") selects " +
             target->id() + ", " + std::to_string(std::get<DeploymentSpec>(target->spec).replicas) +
             " replicas";
    out.workloads.push_back(w);
  }
  if (out.pools.empty() && out.workloads.empty()) {
    diags.error({dump_paths.empty() ? "" : dump_paths.front(), 0, 0},
                "the dump holds no Node with cpu and memory and no Service that selects a "
                "Deployment: nothing to import",
                "dump with: kubectl get nodes,deployments,services,hpa -A -o yaml");
    return false;
  }

  out.scenario_yaml = imported_scenario_yaml(out, dump_paths, scenario_name);

  // manifests/cluster-objects.yaml: every object but the Nodes, as written.
  std::string m =
      "# The objects of the dump but its Nodes (those are the node pools of\n"
      "# ../scenario.yaml), as `kubectl get -o yaml` wrote them.\n";
  bool first_doc = true;
  for (const ManifestObject& obj : set.objects) {
    if (std::holds_alternative<NodeSpec>(obj.spec) || obj.kind == "Node") continue;
    YAML::Emitter e;
    emit_as_written(e, unwrap_yaml(obj.raw));
    m += (first_doc ? "" : "---\n") + std::string("# ") + obj.id() + ", from " + where(obj.pos) +
         "\n" + e.c_str() + "\n";
    first_doc = false;
  }
  out.objects_yaml = m;
  return true;
}

}  // namespace kt::scenario
