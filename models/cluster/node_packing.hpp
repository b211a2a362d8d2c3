#pragma once
// What-if bin packing for the node autoscalers: would these pods fit on these nodes? The
// Cluster Autoscaler asks it of node templates before a scale-up (its binpacking estimator,
// first fit with pods in decreasing order of size) and of the other nodes before it removes
// one; Karpenter asks it before it launches or consolidates. The real placement is still the
// kube-scheduler's, once the nodes exist.

#include <cstdint>
#include <functional>
#include <vector>

#include "models/scheduling/node_table.hpp"

namespace kt::models {

struct PackPod {
  std::uint32_t deployment = 0;
  std::int64_t cpu_milli = 0;  // requests, overhead included
  std::int64_t memory_bytes = 0;
  std::uint32_t id = 0;  // the caller's (a pod index)
};

// A node with room: what is free on it and its class (labels and taints).
struct PackBin {
  std::int64_t cpu_free = 0;
  std::int64_t memory_free = 0;
  std::int32_t pods_free = 0;
  scheduling::ClassId node_class = 0;
  std::uint32_t id = 0;  // the caller's (a node id, or a template's index)
};

// Whether pods of a Deployment may run on nodes of a class (selector, affinity, taints).
using AcceptsClass = std::function<bool(std::uint32_t deployment, scheduling::ClassId)>;

// Sorts pods largest first by cpu/ref_cpu + memory/ref_memory (cluster-autoscaler's
// DecreasingPodOrderer, with the node template's allocatable as the reference); ties keep
// their order.
void order_largest_first(std::vector<PackPod>& pods, std::int64_t ref_cpu, std::int64_t ref_memory);

bool fits(const PackPod& pod, const PackBin& bin);

// Books `pod` on the first bin it fits and is accepted on; the bin's index, or -1.
int first_fit(const PackPod& pod, std::vector<PackBin>& bins, const AcceptsClass& accepts);

// Pods packed onto bins first fit (in the given order): true when every pod found a bin.
bool pack_all(const std::vector<PackPod>& pods, std::vector<PackBin>& bins,
              const AcceptsClass& accepts);

// The free room of a live node of `table` as a bin.
PackBin bin_of(const scheduling::NodeTable& table, scheduling::NodeIndex n, std::uint32_t id);

}  // namespace kt::models
