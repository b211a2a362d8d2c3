// spec.infrastructure.clusterAutoscaler and spec.infrastructure.karpenter (kubetwin
// extensions, docs/scenario.md): the node autoscalers' settings under the names of the
// upstream flags and NodePool fields, upstream's defaults where unset.

#include "scenarios/scenario_sections.hpp"

namespace kt::scenario::sections {

namespace {

void read_cluster_autoscaler(const YAML::Node& node, models::ClusterAutoscalerConfig& ca,
                             YamlReader& r) {
  const std::string what = "spec.infrastructure.clusterAutoscaler";
  if (!r.expect_map(node, what)) return;
  r.check_keys(node,
               {"scanInterval", "expander", "newPodScaleUpDelay", "scaleDownUtilizationThreshold",
                "scaleDownUnneededTime", "scaleDownDelayAfterAdd", "scaleDownDelayAfterDelete",
                "scaleDownDelayAfterFailure", "maxNodeProvisionTime", "maxEmptyBulkDelete",
                "maxNodesTotal", "maxGracefulTerminationSec"},
               what, Severity::error);
  const auto duration = [&](const char* key, SimTime& out, SimTime min) {
    if (!node[key]) return;
    if (auto d = r.duration(node[key], what + "." + key, min, kDay)) out = *d;
  };
  duration("scanInterval", ca.scan_interval, kSecond);
  duration("newPodScaleUpDelay", ca.new_pod_scale_up_delay, 0);
  duration("scaleDownUnneededTime", ca.scale_down_unneeded_time, 0);
  duration("scaleDownDelayAfterAdd", ca.scale_down_delay_after_add, 0);
  duration("scaleDownDelayAfterDelete", ca.scale_down_delay_after_delete, 0);
  duration("scaleDownDelayAfterFailure", ca.scale_down_delay_after_failure, 0);
  duration("maxNodeProvisionTime", ca.max_node_provision_time, kSecond);
  if (node["maxGracefulTerminationSec"]) {
    if (auto n = r.integer(node["maxGracefulTerminationSec"], what + ".maxGracefulTerminationSec",
                           0, 86'400))
      ca.max_graceful_termination = *n * kSecond;
  }
  if (node["scaleDownUtilizationThreshold"]) {
    if (auto t = r.number(node["scaleDownUtilizationThreshold"],
                          what + ".scaleDownUtilizationThreshold", 0, 1))
      ca.scale_down_utilization_threshold = *t;
  }
  if (node["maxEmptyBulkDelete"]) {
    if (auto n = r.integer(node["maxEmptyBulkDelete"], what + ".maxEmptyBulkDelete", 1, 10'000))
      ca.max_empty_bulk_delete = static_cast<std::uint32_t>(*n);
  }
  if (node["maxNodesTotal"]) {
    if (auto n = r.integer(node["maxNodesTotal"], what + ".maxNodesTotal", 0, 1'000'000))
      ca.max_nodes_total = static_cast<std::uint32_t>(*n);
  }
  if (node["expander"]) {
    using E = models::ClusterAutoscalerConfig::Expander;
    if (auto e = r.string(node["expander"], what + ".expander")) {
      if (*e == "random") {
        ca.expander = E::random;
      } else if (*e == "most-pods") {
        ca.expander = E::most_pods;
      } else if (*e == "least-waste") {
        ca.expander = E::least_waste;
      } else if (*e == "price") {
        ca.expander = E::price;
      } else if (*e == "priority") {
        ca.expander = E::priority;
      } else {
        r.error(node["expander"], what + ".expander: unknown expander '" + *e + "'",
                "use random, most-pods, least-waste, price or priority");
      }
    }
  }
}

void read_karpenter(const YAML::Node& node, models::KarpenterConfig& k, YamlReader& r) {
  const std::string what = "spec.infrastructure.karpenter";
  if (!r.expect_map(node, what)) return;
  r.check_keys(node,
               {"batchIdleDuration", "batchMaxDuration", "consolidationPolicy", "consolidateAfter"},
               what, Severity::error);
  if (node["batchIdleDuration"]) {
    if (auto d = r.duration(node["batchIdleDuration"], what + ".batchIdleDuration", 0, kHour))
      k.batch_idle = *d;
  }
  if (node["batchMaxDuration"]) {
    if (auto d = r.duration(node["batchMaxDuration"], what + ".batchMaxDuration", 0, kHour))
      k.batch_max = *d;
  }
  if (node["consolidateAfter"]) {
    if (auto d = r.duration(node["consolidateAfter"], what + ".consolidateAfter", 0, kDay))
      k.consolidate_after = *d;
  }
  if (node["consolidationPolicy"]) {
    if (auto p = r.string(node["consolidationPolicy"], what + ".consolidationPolicy")) {
      if (*p == "WhenEmptyOrUnderutilized") {
        k.consolidate_underutilized = true;
      } else if (*p == "WhenEmpty") {
        k.consolidate_underutilized = false;
      } else {
        r.error(node["consolidationPolicy"],
                what + ".consolidationPolicy: unknown policy '" + *p + "'",
                "use WhenEmptyOrUnderutilized or WhenEmpty");
      }
    }
  }
}

}  // namespace

void read_node_autoscalers(const YAML::Node& infrastructure, Infrastructure& out, YamlReader& r) {
  if (const YAML::Node ca = infrastructure["clusterAutoscaler"])
    read_cluster_autoscaler(ca, out.cluster_autoscaler, r);
  if (const YAML::Node k = infrastructure["karpenter"]) read_karpenter(k, out.karpenter, r);
}

}  // namespace kt::scenario::sections
