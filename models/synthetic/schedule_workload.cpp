#include "models/synthetic/schedule_workload.hpp"

#include <string>

namespace kt::synthetic {

namespace {

constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;
constexpr std::int64_t kMiB = 1024LL * 1024;

struct Size {
  const char* name;
  std::int64_t cpu_milli;
  std::int64_t memory_bytes;
};
// Common general-purpose shapes (4..64 vCPU at 4 GiB per vCPU).
constexpr Size kNodeSizes[] = {{"xlarge", 4000, 16 * kGiB},
                               {"2xlarge", 8000, 32 * kGiB},
                               {"4xlarge", 16000, 64 * kGiB},
                               {"8xlarge", 32000, 128 * kGiB},
                               {"16xlarge", 64000, 256 * kGiB}};
constexpr const char* kZones[] = {"zone-a", "zone-b", "zone-c"};

struct Request {
  std::int64_t cpu_milli;
  std::int64_t memory_bytes;
};
// From BestEffort (no requests) to 2 CPU / 4 GiB.
constexpr Request kPodRequests[] = {
    {0, 0},           {100, 128 * kMiB}, {250, 256 * kMiB}, {500, 512 * kMiB},
    {1000, 1 * kGiB}, {2000, 4 * kGiB}};
constexpr std::uint32_t kRequestKinds = 6;
constexpr std::uint32_t kSelectorKinds = 6;  // none, 3 zones, 2 instance types
constexpr std::uint32_t kTolerationKinds = 2;

}  // namespace

void build_bench_nodes(scheduling::NodeTable& nodes, std::uint32_t count, RandomStream& rng) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const Size& size = kNodeSizes[rng.next_below(5)];
    scheduling::NodeShape shape;
    shape.cpu_milli = size.cpu_milli;
    shape.memory_bytes = size.memory_bytes;
    shape.labels = {{"node.kubernetes.io/instance-type", size.name},
                    {"topology.kubernetes.io/zone", kZones[i % 3]}};
    if (rng.next_double() < 0.10) {
      shape.taints.push_back({"workload", "batch", k8s::TaintEffect::NoSchedule});
    }
    nodes.add(shape);
  }
}

std::vector<scheduling::PodSpecView> bench_pod_templates() {
  std::vector<scheduling::PodSpecView> templates;
  for (std::uint32_t r = 0; r < kRequestKinds; ++r) {
    for (std::uint32_t s = 0; s < kSelectorKinds; ++s) {
      for (std::uint32_t t = 0; t < kTolerationKinds; ++t) {
        scheduling::PodSpecView pod;
        pod.cpu_milli = kPodRequests[r].cpu_milli;
        pod.memory_bytes = kPodRequests[r].memory_bytes;
        if (s >= 1 && s <= 3) pod.node_selector["topology.kubernetes.io/zone"] = kZones[s - 1];
        if (s == 4) pod.node_selector["node.kubernetes.io/instance-type"] = "8xlarge";
        if (s == 5) pod.node_selector["node.kubernetes.io/instance-type"] = "16xlarge";
        if (t == 1) {
          k8s::Toleration tol;
          tol.key = "workload";
          tol.value = "batch";
          tol.effect = k8s::TaintEffect::NoSchedule;
          pod.tolerations.push_back(tol);
        }
        templates.push_back(std::move(pod));
      }
    }
  }
  return templates;
}

std::uint32_t draw_bench_template(RandomStream& rng) {
  const std::uint32_t r = static_cast<std::uint32_t>(rng.next_below(kRequestKinds));
  // 20 % of pods select nodes: spread over the five selector kinds.
  std::uint32_t s = 0;
  if (rng.next_double() < 0.20) s = 1 + static_cast<std::uint32_t>(rng.next_below(5));
  const std::uint32_t t = rng.next_double() < 0.10 ? 1 : 0;
  return (r * kSelectorKinds + s) * kTolerationKinds + t;
}

}  // namespace kt::synthetic
