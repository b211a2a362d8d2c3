#include "models/scheduling/node_table.hpp"

namespace kt::scheduling {

namespace {

bool same_taints(const std::vector<k8s::Taint>& a, const std::vector<k8s::Taint>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].key != b[i].key || a[i].value != b[i].value || a[i].effect != b[i].effect) {
      return false;
    }
  }
  return true;
}

}  // namespace

// Linear searches: fleets have few distinct label and taint sets (one per pool and state),
// and interning runs when nodes are added or change state, not per pod.
ClassId NodeTable::intern_labels(const k8s::Labels& labels) {
  for (std::size_t i = 0; i < label_sets_.size(); ++i) {
    if (label_sets_[i] == labels) return static_cast<ClassId>(i);
  }
  label_sets_.push_back(labels);
  return static_cast<ClassId>(label_sets_.size() - 1);
}

ClassId NodeTable::intern_taints(const std::vector<k8s::Taint>& taints) {
  for (std::size_t i = 0; i < taint_sets_.size(); ++i) {
    if (same_taints(taint_sets_[i], taints)) return static_cast<ClassId>(i);
  }
  taint_sets_.push_back(taints);
  return static_cast<ClassId>(taint_sets_.size() - 1);
}

ClassId NodeTable::intern_class(NodeClass c) {
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    if (classes_[i].labels == c.labels && classes_[i].taints == c.taints) {
      return static_cast<ClassId>(i);
    }
  }
  classes_.push_back(c);
  return static_cast<ClassId>(classes_.size() - 1);
}

NodeIndex NodeTable::add(const NodeShape& shape) {
  cpu_free_.push_back(shape.cpu_milli);
  mem_free_.push_back(shape.memory_bytes);
  pods_free_.push_back(shape.max_pods);
  class_.push_back(intern_class({intern_labels(shape.labels), intern_taints(shape.taints)}));
  cpu_alloc_.push_back(shape.cpu_milli);
  mem_alloc_.push_back(shape.memory_bytes);
  cpu_nonzero_req_.push_back(0);
  mem_nonzero_req_.push_back(0);
  version_.push_back(0);
  ++class_version_;
  ++live_;
  return static_cast<NodeIndex>(cpu_free_.size() - 1);
}

void NodeTable::book(NodeIndex n, std::int64_t cpu, std::int64_t mem, std::int64_t cpu_nonzero,
                     std::int64_t mem_nonzero, std::int32_t sign) {
  cpu_free_[n] -= sign * cpu;
  mem_free_[n] -= sign * mem;
  pods_free_[n] -= sign;
  cpu_nonzero_req_[n] += sign * cpu_nonzero;
  mem_nonzero_req_[n] += sign * mem_nonzero;
  ++version_[n];
}

void NodeTable::retire(NodeIndex n) {
  cpu_free_[n] = 0;
  mem_free_[n] = 0;
  pods_free_[n] = 0;
  cpu_alloc_[n] = 0;
  mem_alloc_[n] = 0;
  ++version_[n];
  --live_;
}

void NodeTable::set_taints(NodeIndex n, const std::vector<k8s::Taint>& taints) {
  class_[n] = intern_class({classes_[class_[n]].labels, intern_taints(taints)});
  ++version_[n];
  ++class_version_;
}

std::size_t NodeTable::memory_bytes() const {
  const std::size_t per_node =
      6 * sizeof(std::int64_t) + sizeof(std::int32_t) + sizeof(ClassId) + sizeof(std::uint32_t);
  return cpu_free_.capacity() * per_node;
}

}  // namespace kt::scheduling
