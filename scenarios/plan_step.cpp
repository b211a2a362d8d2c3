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
  if (pod.termination_grace) d.termination_grace = *pod.termination_grace;
  d.concurrency =
      static_cast<std::uint32_t>(std::max<std::int64_t>(1, pod.container_concurrency.value_or(1)));
  if (!pod.runtime_class.empty()) {
    if (const ManifestObject* rc = find_object(objects, "RuntimeClass", pod.runtime_class)) {
      const auto& spec = std::get<RuntimeClassSpec>(rc->spec);
      for (const auto& [k, v] : spec.node_selector)
        d.node_selector.emplace(k, v);
      d.tolerations.insert(d.tolerations.end(), spec.tolerations.begin(), spec.tolerations.end());
    }
  }
}

}  // namespace kt::scenario
