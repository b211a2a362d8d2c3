// `kubetwin import DUMP... --out DIR`: a runnable scenario folder from a cluster dump.

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/data_files.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/output_folder.hpp"
#include "runs/summary_json.hpp"
#include "scenarios/cluster_import.hpp"

namespace kt::cli {

namespace {

constexpr const char* kImportUsage =
    "usage: kubetwin import DUMP... --out DIR [--prices FILE_OR_FOLDER] [--name NAME]\n"
    "  DUMP: what `kubectl get nodes,deployments,services,hpa -A -o yaml` (or -o json) wrote;\n"
    "        files or folders, Lists expanded\n"
    "  writes DIR/scenario.yaml (node pools from the Nodes, a workload per Service),\n"
    "  DIR/manifests/cluster-objects.yaml (the other objects as written) and DIR/import.json;\n"
    "  --prices: the price table (default: the bundled data/prices)\n"
    "  exit 0 when imported, 2 on invalid input\n";

std::string import_json(const scenario::ClusterImport& im) {
  using runs::json_string;
  std::string out = "{\n  \"pools\": [";
  for (std::size_t i = 0; i < im.pools.size(); ++i) {
    const scenario::ImportedPool& p = im.pools[i];
    char price[32] = "null";
    if (p.usd_per_hour) std::snprintf(price, sizeof price, "%.6g", *p.usd_per_hour);
    out += std::string(i ? "," : "") + "\n    {\"name\": " + json_string(p.name) +
           ", \"region\": " + json_string(p.region) + ", \"provider\": " + json_string(p.provider) +
           ", \"instanceType\": " + json_string(p.instance_type) +
           ", \"zone\": " + json_string(p.zone) + ", \"count\": " + std::to_string(p.nodes.size()) +
           ", \"cpu\": " + json_string(p.cpu) + ", \"memory\": " + json_string(p.memory) +
           ", \"pricePerHour\": " + price + ", \"priceSource\": " + json_string(p.price_note) + "}";
  }
  out += "\n  ],\n  \"workloads\": [";
  for (std::size_t i = 0; i < im.workloads.size(); ++i) {
    const scenario::ImportedWorkload& w = im.workloads[i];
    out += std::string(i ? "," : "") + "\n    {\"name\": " + json_string(w.name) +
           ", \"service\": " + json_string(w.service) +
           ", \"namespace\": " + json_string(w.name_space) +
           ", \"deployment\": " + json_string(w.deployment) + "}";
  }
  out += "\n  ],\n  \"skipped\": [";
  for (std::size_t i = 0; i < im.skipped.size(); ++i)
    out += std::string(i ? ", " : "") + json_string(im.skipped[i]);
  return out + "]\n}\n";
}

}  // namespace

int import_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"out", "prices", "name"}, {"help"});
  if (args.flag("help")) {
    std::fputs(kImportUsage, stdout);
    return 0;
  }
  if (args.positionals().empty()) {
    throw UsageError(std::string("import needs at least one DUMP\n") + kImportUsage);
  }
  const auto out_dir = args.value("out");
  if (!out_dir) throw UsageError(std::string("import needs --out DIR\n") + kImportUsage);
  OutputFolder folder(*out_dir);
  scenario::Diagnostics diags;
  std::vector<scenario::PriceRow> prices;
  const std::string price_path = args.value("prices").value_or(bundled_data_path("prices"));
  if (price_path.empty()) {
    std::fprintf(stderr,
                 "kubetwin: the bundled price table (data/prices) was not found; node "
                 "pools get no price (give --prices)\n");
  } else if (!scenario::load_price_table(price_path, prices, diags)) {
    print_diagnostics(diags);
    return 2;
  }
  const std::string name =
      args.value("name").value_or(std::filesystem::path(*out_dir).filename().string());
  scenario::ClusterImport im;
  if (!scenario::import_cluster(args.positionals(), prices, name.empty() ? "imported" : name, im,
                                diags)) {
    print_diagnostics(diags);
    return 2;
  }
  print_diagnostics(diags);  // warnings
  folder.write("scenario.yaml", im.scenario_yaml);
  folder.write("manifests/cluster-objects.yaml", im.objects_yaml);
  folder.write("import.json", import_json(im));
  folder.commit();
  std::size_t nodes = 0;
  for (const scenario::ImportedPool& p : im.pools) {
    nodes += p.nodes.size();
    char price[32] = "price unknown";
    if (p.usd_per_hour) std::snprintf(price, sizeof price, "$%.4g/h", *p.usd_per_hour);
    std::printf("pool %-28s %2zu x %-12s %s/%s cpu %s memory %s %s\n", p.name.c_str(),
                p.nodes.size(), p.instance_type.c_str(), p.region.c_str(), p.zone.c_str(),
                p.cpu.c_str(), p.memory.c_str(), price);
  }
  for (const scenario::ImportedWorkload& w : im.workloads)
    std::printf("workload %-24s %s -> Deployment/%s\n", w.name.c_str(), w.service.c_str(),
                w.deployment.c_str());
  for (const std::string& s : im.skipped)
    std::printf("not imported: %s\n", s.c_str());
  std::fprintf(stderr,
               "kubetwin: %zu node%s in %zu pool%s, %zu workload%s; scenario in %s/scenario.yaml "
               "(arrival and service are placeholders: kubetwin calibrate fits them)\n",
               nodes, nodes == 1 ? "" : "s", im.pools.size(), im.pools.size() == 1 ? "" : "s",
               im.workloads.size(), im.workloads.size() == 1 ? "" : "s", out_dir->c_str());
  return 0;
}

}  // namespace kt::cli
