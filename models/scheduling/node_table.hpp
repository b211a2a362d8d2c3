#pragma once
// The nodes a scheduler places pods on, stored column by column (structure of arrays) so that
// filtering thousands of nodes per pod streams through little memory. Labels and taints are
// interned into node classes (a label set and a taint set), so a pod's nodeSelector and
// tolerations are evaluated once per class rather than once per node.

#include <cstdint>
#include <string>
#include <vector>

#include "models/common/k8s_types.hpp"

namespace kt::scheduling {

using NodeIndex = std::uint32_t;
using ClassId = std::uint32_t;

// Upstream's defaults for pods that request nothing, used in scoring only
// (k8s.io/kubernetes/pkg/scheduler/util: DefaultMilliCPURequest, DefaultMemoryRequest).
inline constexpr std::int64_t kNonZeroCpuMilli = 100;
inline constexpr std::int64_t kNonZeroMemoryBytes = 200LL * 1024 * 1024;
inline constexpr std::int32_t kDefaultMaxPods = 110;  // kubelet's default --max-pods

struct NodeShape {
  std::int64_t cpu_milli = 0;
  std::int64_t memory_bytes = 0;
  std::int32_t max_pods = kDefaultMaxPods;
  k8s::Labels labels;
  std::vector<k8s::Taint> taints;
};

// A node class: one label set and one taint set.
struct NodeClass {
  ClassId labels = 0;
  ClassId taints = 0;
};

class NodeTable {
 public:
  NodeIndex add(const NodeShape& shape);
  std::size_t size() const { return cpu_free_.size(); }
  // Nodes not retired: what kube-scheduler counts as the cluster's nodes.
  std::size_t live() const { return live_; }
  // A node that left the cluster (a node autoscaler removed it): its row stays, with no room
  // for any pod, so node indexes stay valid.
  void retire(NodeIndex n);
  // The class of a node with these labels and taints, added if new (a node template's).
  ClassId class_for(const k8s::Labels& labels, const std::vector<k8s::Taint>& taints) {
    return intern_class({intern_labels(labels), intern_taints(taints)});
  }

  // Books or frees a pod's requests (`nonzero`: with upstream's scoring defaults).
  void book(NodeIndex n, std::int64_t cpu, std::int64_t mem, std::int64_t cpu_nonzero,
            std::int64_t mem_nonzero, std::int32_t sign);
  // Replaces a node's taints (NotReady, unreachable, cordoned), giving it a new class.
  void set_taints(NodeIndex n, const std::vector<k8s::Taint>& taints);

  // Hot columns, read for every node the filter examines.
  std::vector<std::int64_t> cpu_free_;  // allocatable - requested
  std::vector<std::int64_t> mem_free_;
  std::vector<std::int32_t> pods_free_;  // max pods - pods
  std::vector<ClassId> class_;
  // Scoring columns, read for feasible nodes whose cached score is stale.
  std::vector<std::int64_t> cpu_alloc_;
  std::vector<std::int64_t> mem_alloc_;
  std::vector<std::int64_t> cpu_nonzero_req_;
  std::vector<std::int64_t> mem_nonzero_req_;
  std::vector<std::uint32_t> version_;  // bumped on every change of the node
  std::uint64_t class_version_ = 0;     // bumped whenever any node changes class

  std::int64_t cpu_requested(NodeIndex n) const { return cpu_alloc_[n] - cpu_free_[n]; }
  std::int64_t mem_requested(NodeIndex n) const { return mem_alloc_[n] - mem_free_[n]; }
  const std::vector<NodeClass>& classes() const { return classes_; }
  const std::vector<k8s::Labels>& label_sets() const { return label_sets_; }
  const std::vector<std::vector<k8s::Taint>>& taint_sets() const { return taint_sets_; }
  const k8s::Labels& labels(NodeIndex n) const { return label_sets_[classes_[class_[n]].labels]; }
  const std::vector<k8s::Taint>& taints(NodeIndex n) const {
    return taint_sets_[classes_[class_[n]].taints];
  }
  std::size_t memory_bytes() const;

 private:
  ClassId intern_labels(const k8s::Labels& labels);
  ClassId intern_taints(const std::vector<k8s::Taint>& taints);
  ClassId intern_class(NodeClass c);
  std::vector<k8s::Labels> label_sets_;
  std::vector<std::vector<k8s::Taint>> taint_sets_;
  std::vector<NodeClass> classes_;
  std::size_t live_ = 0;
};

}  // namespace kt::scheduling
