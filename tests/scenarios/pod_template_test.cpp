// Pod templates: required node affinity, RuntimeClass-free scheduling fields, defaults.

#include <gtest/gtest.h>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/yaml_source.hpp"

namespace kt::scenario {
namespace {

ManifestObject read_one(const std::string& text, Diagnostics& diags) {
  std::vector<YamlDocument> docs;
  EXPECT_TRUE(load_yaml_text(text, "t.yaml", docs, diags));
  ManifestSet set;
  read_manifests(docs, set, diags);
  EXPECT_EQ(set.objects.size(), 1u);
  return set.objects.empty() ? ManifestObject{} : set.objects.front();
}

TEST(PodTemplate, RequiredNodeAffinityTerms) {
  Diagnostics diags;
  const ManifestObject obj = read_one(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - {key: zone, operator: In, values: [a, b]}
          - {key: gpus, operator: Gt, values: ["6"]}
        - matchExpressions:
          - {key: node-type, operator: Exists}
        - {}
  containers: [{image: x}]
)",
                                      diags);
  EXPECT_TRUE(diags.ok());
  const auto& pod = std::get<PodSpec>(obj.spec).pod;
  ASSERT_EQ(pod.node_affinity.size(), 3u);
  EXPECT_TRUE(pod.node_affinity[0].matches({{"zone", "b"}, {"gpus", "8"}}));
  EXPECT_FALSE(pod.node_affinity[0].matches({{"zone", "b"}, {"gpus", "4"}}));
  EXPECT_TRUE(pod.node_affinity[1].matches({{"node-type", "edge"}}));
  EXPECT_FALSE(pod.node_affinity[2].matches({{"zone", "a"}})) << "an empty term matches nothing";
}

TEST(PodTemplate, GtNeedsOneIntegerValue) {
  Diagnostics diags;
  read_one(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: gpus, operator: Gt}]}]}}}
  containers: [{image: x}]
)",
           diags);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].message, "operator Gt needs a non-empty 'values' list");
}

}  // namespace
}  // namespace kt::scenario
