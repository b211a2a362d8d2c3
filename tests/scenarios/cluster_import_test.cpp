// Cluster dumps: kubectl's List (YAML and JSON), typed lists, owned objects, and `kubetwin
// import` of the bundled sample dump (node pools and workloads checked against what the
// dump holds, counted by hand).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scenarios/cluster_import.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/yaml_source.hpp"

namespace kt::scenario {
namespace {

namespace fs = std::filesystem;

const std::string kSource = KT_SOURCE_DIR;

ManifestSet read_text(const std::string& text, const std::string& file, Diagnostics& diags) {
  std::vector<YamlDocument> docs;
  EXPECT_TRUE(load_yaml_text(text, file, docs, diags));
  ManifestSet set;
  read_manifests(docs, set, diags);
  return set;
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(ClusterDump, KubectlJsonListWithOwnedObjects) {
  Diagnostics diags;
  const ManifestSet set = read_text(R"({
    "apiVersion": "v1",
    "kind": "List",
    "items": [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet",
         "metadata": {"name": "web-5d8f", "namespace": "shop", "uid": "1",
                      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                           "name": "web", "controller": true, "uid": "2"}]},
         "spec": {"replicas": 2}},
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "web-5d8f-x2x7q", "namespace": "shop",
                      "ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d8f",
                                           "controller": true}]},
         "spec": {"containers": [{"name": "web", "image": "web:1"}], "nodeName": "n1"},
         "status": {"phase": "Running"}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "9",
                      "creationTimestamp": "2026-11-02T09:14:07Z"},
         "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}], "clusterIP": "10.0.0.4"},
         "status": {"loadBalancer": {}}}
    ],
    "metadata": {"resourceVersion": ""}
})",
                                    "dump.json", diags);
  EXPECT_TRUE(diags.ok());
  EXPECT_EQ(diags.warning_count(), 0u) << "server-side fields are accepted silently";
  ASSERT_EQ(set.objects.size(), 3u);
  EXPECT_EQ(set.objects[0].owner, "Deployment/web");
  EXPECT_EQ(set.objects[0].model, "");
  EXPECT_EQ(set.objects[1].owner, "ReplicaSet/web-5d8f");
  EXPECT_EQ(set.objects[1].not_simulated,
            "owned by ReplicaSet/web-5d8f (metadata.ownerReferences); its owner makes it");
  EXPECT_EQ(set.objects[2].model, "cluster");
  EXPECT_EQ(set.objects[2].pos.line, 16) << "items keep their own place in the file";
}

TEST(ClusterDump, TypedListItemsTakeTheListsKind) {
  Diagnostics diags;
  const ManifestSet set = read_text(R"(apiVersion: apps/v1
kind: DeploymentList
items:
- metadata: {name: a}
  spec:
    selector: {matchLabels: {app: a}}
    template: {metadata: {labels: {app: a}}, spec: {containers: [{name: a, image: a}]}}
---
apiVersion: v1
kind: List
items: null
)",
                                    "typed.yaml", diags);
  EXPECT_TRUE(diags.ok());
  ASSERT_EQ(set.objects.size(), 1u);
  EXPECT_EQ(set.objects[0].id(), "Deployment/a");
  EXPECT_EQ(set.objects[0].api_version, "apps/v1");
  EXPECT_EQ(set.objects[0].model, "cluster");
}

TEST(ClusterDump, ListItemProblemsAreReportedAtTheItem) {
  Diagnostics diags;
  read_text(
      "kind: List\napiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {}\n",
      "bad.yaml", diags);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].message, "metadata has no 'name'");
  EXPECT_EQ(diags.all()[0].pos.line, 6);
}

TEST(ClusterDump, APrometheusAnswerAmongManifestsIsNamedAsSuch) {
  Diagnostics diags;
  read_text(R"({"status":"success","data":{"resultType":"matrix","result":[]}})", "rate.json",
            diags);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].message, "a Prometheus API answer, not a Kubernetes object");
  EXPECT_EQ(diags.all()[0].hint, "give it to kubetwin calibrate or backtest with --prometheus");
}

std::vector<PriceRow> bundled_prices() {
  Diagnostics diags;
  std::vector<PriceRow> prices;
  EXPECT_TRUE(load_price_table(kSource + "/data/prices", prices, diags));
  return prices;
}

TEST(ClusterImport, SampleDumpGivesThePoolsAndWorkloadsItHolds) {
  Diagnostics diags;
  ClusterImport im;
  ASSERT_TRUE(import_cluster({kSource + "/data/twin-sample/cluster-dump.yaml"}, bundled_prices(),
                             "sample", im, diags));
  EXPECT_TRUE(diags.ok());
  // By hand from the dump: five m5.xlarge nodes (three in us-east-1a, two in us-east-1b) and
  // one tainted c5.2xlarge in us-east-1a.
  ASSERT_EQ(im.pools.size(), 3u);
  EXPECT_EQ(im.pools[0].name, "m5-xlarge-us-east-1a");
  EXPECT_EQ(im.pools[0].nodes.size(), 3u);
  EXPECT_EQ(im.pools[1].name, "m5-xlarge-us-east-1b");
  EXPECT_EQ(im.pools[1].nodes.size(), 2u);
  EXPECT_EQ(im.pools[2].name, "c5-2xlarge-us-east-1a");
  EXPECT_EQ(im.pools[2].nodes, std::vector<std::string>{"ip-10-0-9-17.ec2.internal"});
  EXPECT_EQ(im.pools[0].cpu, "3920m");
  EXPECT_EQ(im.pools[0].memory, "15155124Ki");
  EXPECT_EQ(im.pools[2].cpu, "7910m");
  for (const ImportedPool& p : im.pools) {
    EXPECT_EQ(p.region, "us-east-1");
    EXPECT_EQ(p.provider, "aws");
  }
  ASSERT_TRUE(im.pools[0].usd_per_hour && im.pools[2].usd_per_hour);
  EXPECT_DOUBLE_EQ(*im.pools[0].usd_per_hour, 0.192);
  EXPECT_DOUBLE_EQ(*im.pools[2].usd_per_hour, 0.34);
  ASSERT_EQ(im.workloads.size(), 2u);
  EXPECT_EQ(im.workloads[0].service, "Service/checkout");
  EXPECT_EQ(im.workloads[0].deployment, "checkout");
  EXPECT_EQ(im.workloads[1].service, "Service/catalog");
  EXPECT_EQ(im.workloads[1].deployment, "catalog");
  ASSERT_EQ(im.skipped.size(), 1u);
  EXPECT_EQ(im.skipped[0],
            "Service/kubernetes (namespace default): no selector, so no pods of the dump serve it");

  // The folder it writes is a scenario kubetwin reads back: the pools, their labels and
  // taints, the workloads and the dump's objects (the HPA, the owned ReplicaSets).
  const fs::path dir = temp_dir("kt-import");
  fs::create_directories(dir / "manifests");
  std::ofstream(dir / "scenario.yaml") << im.scenario_yaml;
  std::ofstream(dir / "manifests" / "cluster-objects.yaml") << im.objects_yaml;
  Diagnostics load_diags;
  Scenario sc;
  ASSERT_TRUE(load_scenario_file((dir / "scenario.yaml").string(), sc, load_diags));
  EXPECT_EQ(load_diags.warning_count(), 0u);
  ASSERT_EQ(sc.infrastructure.regions.size(), 1u);
  const std::vector<NodePool>& pools = sc.infrastructure.regions[0].node_pools;
  ASSERT_EQ(pools.size(), 3u);
  EXPECT_EQ(pools[0].count, 3);
  EXPECT_EQ(pools[0].cpu_milli, 3920);
  EXPECT_EQ(pools[0].memory_milli, 15155124LL * 1024 * 1000);
  EXPECT_DOUBLE_EQ(pools[2].price_usd_per_hour, 0.34);
  EXPECT_EQ(pools[2].labels.at("topology.kubernetes.io/zone"), "us-east-1a");
  EXPECT_EQ(pools[2].labels.count("kubernetes.io/hostname"), 0u) << "a per-node label";
  ASSERT_EQ(pools[2].taints.size(), 1u);
  EXPECT_EQ(pools[2].taints[0].key, "dedicated");
  ASSERT_EQ(sc.workloads.size(), 2u);
  EXPECT_EQ(sc.workloads[0].target.name, "checkout");
  std::size_t hpas = 0, owned = 0;
  for (const ManifestObject& obj : sc.objects) {
    hpas += obj.kind == "HorizontalPodAutoscaler";
    owned += !obj.owner.empty();
    EXPECT_NE(obj.kind, "Node") << "nodes are the pools";
    if (obj.id() == "Deployment/checkout") {
      EXPECT_EQ(obj.annotations.at("deployment.kubernetes.io/revision"), "4");
    }
  }
  EXPECT_EQ(hpas, 1u);
  EXPECT_EQ(owned, 2u);
  fs::remove_all(dir);
}

TEST(ClusterImport, UnknownInstanceTypeHasNoPrice) {
  const fs::path dir = temp_dir("kt-import-price");
  std::ofstream(dir / "n.yaml") << R"(apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {node.kubernetes.io/instance-type: x9.huge, topology.kubernetes.io/region: mars-1}
spec: {providerID: "aws:///mars-1a/i-1"}
status: {allocatable: {cpu: "2", memory: 4Gi}}
)";
  Diagnostics diags;
  ClusterImport im;
  ASSERT_TRUE(import_cluster({(dir / "n.yaml").string()}, bundled_prices(), "p", im, diags));
  ASSERT_EQ(im.pools.size(), 1u);
  EXPECT_FALSE(im.pools[0].usd_per_hour.has_value());
  EXPECT_EQ(im.pools[0].price_note,
            "price unknown: no row for x9.huge in mars-1 (aws) in the price table");
  EXPECT_NE(im.scenario_yaml.find("# price unknown: no row for x9.huge"), std::string::npos);
  EXPECT_EQ(im.scenario_yaml.find("pricePerHour"), std::string::npos);
  fs::remove_all(dir);
}

TEST(ClusterImport, BadPriceRowsAreErrorsAtTheirPlace) {
  const fs::path dir = temp_dir("kt-prices");
  std::ofstream(dir / "p.csv") << "provider,region,instance_type,usd_per_hour,source\n"
                                  "aws,us-east-1,m5.large,cheap,recall\n"
                                  "aws,us-east-1,m5.large\n";
  Diagnostics diags;
  std::vector<PriceRow> rows;
  EXPECT_FALSE(load_price_table((dir / "p.csv").string(), rows, diags));
  ASSERT_EQ(diags.error_count(), 2u);
  EXPECT_EQ(diags.all()[0].message, "usd_per_hour must be a number >= 0");
  EXPECT_EQ(diags.all()[0].pos.line, 2);
  EXPECT_EQ(diags.all()[0].pos.column, 24);
  EXPECT_EQ(diags.all()[1].message,
            "a price row needs provider,region,instance_type,usd_per_hour,source");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kt::scenario
