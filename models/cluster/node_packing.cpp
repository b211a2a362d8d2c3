#include "models/cluster/node_packing.hpp"

#include <algorithm>

namespace kt::models {

void order_largest_first(std::vector<PackPod>& pods, std::int64_t ref_cpu,
                         std::int64_t ref_memory) {
  const auto score = [&](const PackPod& p) {
    const double cpu = ref_cpu > 0 ? static_cast<double>(p.cpu_milli) / ref_cpu : 0.0;
    const double mem = ref_memory > 0 ? static_cast<double>(p.memory_bytes) / ref_memory : 0.0;
    return cpu + mem;
  };
  std::stable_sort(pods.begin(), pods.end(),
                   [&](const PackPod& a, const PackPod& b) { return score(a) > score(b); });
}

bool fits(const PackPod& pod, const PackBin& bin) {
  return bin.pods_free > 0 && bin.cpu_free >= pod.cpu_milli && bin.memory_free >= pod.memory_bytes;
}

int first_fit(const PackPod& pod, std::vector<PackBin>& bins, const AcceptsClass& accepts) {
  for (std::size_t i = 0; i < bins.size(); ++i) {
    PackBin& bin = bins[i];
    if (!fits(pod, bin) || !accepts(pod.deployment, bin.node_class)) continue;
    bin.cpu_free -= pod.cpu_milli;
    bin.memory_free -= pod.memory_bytes;
    --bin.pods_free;
    return static_cast<int>(i);
  }
  return -1;
}

bool pack_all(const std::vector<PackPod>& pods, std::vector<PackBin>& bins,
              const AcceptsClass& accepts) {
  for (const PackPod& pod : pods) {
    if (first_fit(pod, bins, accepts) < 0) return false;
  }
  return true;
}

PackBin bin_of(const scheduling::NodeTable& table, scheduling::NodeIndex n, std::uint32_t id) {
  return {table.cpu_free_[n], table.mem_free_[n], table.pods_free_[n], table.class_[n], id};
}

}  // namespace kt::models
