// What the kinds' plan steps share (scenarios/plan_step.hpp).

#include "scenarios/plan_step.hpp"

#include <algorithm>

#include "scenarios/manifest_loader.hpp"

namespace kt::scenario {

std::optional<multicloud::PlacementStrategy> placement_strategy(const std::string& name) {
  if (name == "weighted") return multicloud::PlacementStrategy::weighted;
  if (name == "cost-optimized") return multicloud::PlacementStrategy::cost_optimized;
  if (name == "latency-optimized") return multicloud::PlacementStrategy::latency_optimized;
  if (name == "spread") return multicloud::PlacementStrategy::spread;
  return std::nullopt;
}

void apply_pod(const PodTemplate& pod, const std::vector<ManifestObject>& objects,
               models::FleetDeployment& d) {
  const k8s::ResourceList requests = pod.total_requests();
  const auto cpu = requests.find(k8s::kCpu);
  const auto mem = requests.find(k8s::kMemory);
  d.cpu_milli = cpu == requests.end() ? 0 : cpu->second;
  d.memory_bytes = mem == requests.end() ? 0 : mem->second / 1000;  // milli-bytes to bytes
  d.node_selector = pod.node_selector;
  d.node_affinity = pod.node_affinity;
  d.tolerations = pod.tolerations;
  d.image = pod.containers.empty() ? std::string() : pod.containers.front().image;
  d.image_bytes = pod.image_bytes;
  if (pod.termination_grace) d.termination_grace = *pod.termination_grace;
  // kubetwin.io/error-rate on the pod template: the share of requests its pods answer with a
  // 503 (read by pod_template.cpp).
  d.error_rate = pod.error_rate;
  d.memory_idle_bytes = pod.memory_idle_bytes.value_or(0);
  d.memory_per_request_bytes = pod.memory_per_request_bytes.value_or(0);
  d.concurrency =
      static_cast<std::uint32_t>(std::max<std::int64_t>(1, pod.container_concurrency.value_or(1)));
  if (!pod.runtime_class.empty()) {
    if (const ManifestObject* rc = find_object(objects, "RuntimeClass", pod.runtime_class)) {
      const auto& spec = std::get<RuntimeClassSpec>(rc->spec);
      for (const auto& [k, v] : spec.node_selector)
        d.node_selector.emplace(k, v);
      d.tolerations.insert(d.tolerations.end(), spec.tolerations.begin(), spec.tolerations.end());
      if (const auto c = spec.overhead.find(k8s::kCpu); c != spec.overhead.end()) {
        d.overhead_cpu_milli = c->second;
      }
      if (const auto m = spec.overhead.find(k8s::kMemory); m != spec.overhead.end()) {
        d.overhead_memory_bytes = m->second / 1000;  // milli-bytes to bytes
      }
    }
  }
}

}  // namespace kt::scenario

namespace kt::scenario {

const PodTemplate* pod_template_of(const ManifestObject& obj) {
  if (const auto* d = std::get_if<DeploymentSpec>(&obj.spec)) return &d->pod;
  if (const auto* m = std::get_if<MultiClusterDeploymentSpec>(&obj.spec)) return &m->pod;
  if (const auto* i = std::get_if<IntelligentDeploymentSpec>(&obj.spec)) {
    return i->pod ? &*i->pod : nullptr;
  }
  return nullptr;
}

std::string hpa_not_simulated(const HorizontalPodAutoscalerSpec& hpa,
                              const ManifestObject& target) {
  if (!hpa.not_simulated.empty()) return hpa.not_simulated;
  for (const autoscaling::HpaMetric& m : hpa.config.metrics) {
    if (m.quantity != autoscaling::HpaMetric::Quantity::memory) continue;
    const PodTemplate* pod = pod_template_of(target);
    if (!pod || (!pod->memory_idle_bytes && !pod->memory_per_request_bytes)) {
      return "metric memory has no simulated source: the pods of " + target.id() +
             " declare no memory usage model (annotations kubetwin.io/memory-idle, "
             "kubetwin.io/memory-per-request)";
    }
  }
  return {};
}

}  // namespace kt::scenario
