#pragma once
// `kubetwin import`: a runnable scenario from a cluster dump (`kubectl get ... -o yaml|json`).
// Nodes become node pools (one per instance type, region and zone); every other object is
// kept as it was written; each Service that selects pods gets a workload whose arrival and
// service are placeholders for `kubetwin calibrate`. The scenario says where each value came
// from, in comments.

#include <optional>
#include <string>
#include <vector>

#include "models/common/k8s_types.hpp"
#include "scenarios/diagnostics.hpp"

namespace kt::scenario {

// One row of a price table (data/prices/PROVIDER.csv).
struct PriceRow {
  std::string provider;  // aws, gcp, azure
  std::string region;
  std::string instance_type;
  double usd_per_hour = 0;
  std::string source;  // where the figure was read, and when
};

// Reads every *.csv of `folder` (or one file): `provider,region,instance_type,usd_per_hour,
// source` with `#` comments and a header line. Bad rows are errors at file:line:col.
bool load_price_table(const std::string& path, std::vector<PriceRow>& out, Diagnostics& diags);

struct ImportedPool {
  std::string name;  // instance type, zone: m5-xlarge-us-east-1a
  std::string region;
  std::string provider;  // "" when no node says
  std::string instance_type;
  std::string zone;
  std::vector<std::string> nodes;
  std::string cpu, memory;  // status.allocatable as written (the smallest when they differ)
  std::optional<double> usd_per_hour;
  std::string price_note;  // the price's source, or why there is none
  k8s::Labels labels;      // those all its nodes share (the hostname left out)
  std::vector<k8s::Taint> taints;
};

struct ImportedWorkload {
  std::string name;
  std::string service;     // Service/NAME
  std::string name_space;  // its namespace
  std::string deployment;  // the Deployment it selects ("" when none in the dump)
  std::string note;        // where it came from
};

struct ClusterImport {
  std::vector<ImportedPool> pools;
  std::vector<ImportedWorkload> workloads;
  std::vector<std::string> skipped;  // objects or Services left out, each with why
  std::string scenario_yaml;         // scenario.yaml
  std::string objects_yaml;          // manifests/cluster-objects.yaml
  std::string summary_json;          // import.json
};

// Reads the dumps (files or folders; YAML or JSON; Lists expanded) and builds the scenario.
// `scenario_name` is its metadata.name. False, with errors in `diags`, when the dumps cannot
// be read or hold no Node and no Service.
// The scenario.yaml of an import (import_cluster fills `scenario_yaml` with it).
std::string imported_scenario_yaml(const ClusterImport& im,
                                   const std::vector<std::string>& dump_paths,
                                   const std::string& scenario_name);

bool import_cluster(const std::vector<std::string>& dump_paths, const std::vector<PriceRow>& prices,
                    const std::string& scenario_name, ClusterImport& out, Diagnostics& diags);

}  // namespace kt::scenario
