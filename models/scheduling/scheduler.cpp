#include "models/scheduling/scheduler.hpp"

#include <algorithm>
#include <cmath>

namespace kt::scheduling {

namespace {

constexpr std::int64_t kMaxNodeScore = 100;
constexpr std::int32_t kMinFeasibleNodesToFind = 100;
constexpr std::int32_t kMinFeasibleNodesPercentageToFind = 5;

bool tolerated(const k8s::Taint& taint, const std::vector<k8s::Toleration>& tolerations) {
  for (const k8s::Toleration& t : tolerations) {
    if (t.tolerates(taint)) return true;
  }
  return false;
}

}  // namespace

std::int32_t feasible_nodes_to_find(std::int32_t all_nodes, std::int32_t percentage) {
  if (all_nodes < kMinFeasibleNodesToFind) return all_nodes;
  if (percentage == 0) {
    percentage = 50 - all_nodes / 125;
    if (percentage < kMinFeasibleNodesPercentageToFind) {
      percentage = kMinFeasibleNodesPercentageToFind;
    }
  }
  const std::int32_t n =
      static_cast<std::int32_t>(static_cast<std::int64_t>(all_nodes) * percentage / 100);
  return n < kMinFeasibleNodesToFind ? kMinFeasibleNodesToFind : n;
}

std::int64_t least_allocated_score(std::int64_t requested, std::int64_t allocatable) {
  if (allocatable == 0 || requested > allocatable) return 0;
  return (allocatable - requested) * kMaxNodeScore / allocatable;
}

std::int64_t most_allocated_score(std::int64_t requested, std::int64_t allocatable) {
  if (allocatable == 0) return 0;
  if (requested > allocatable) requested = allocatable;  // upstream caps at the maximum
  return requested * kMaxNodeScore / allocatable;
}

std::int64_t balanced_allocation_score(double cpu_fraction, double memory_fraction) {
  cpu_fraction = std::min(cpu_fraction, 1.0);
  memory_fraction = std::min(memory_fraction, 1.0);
  const double std_dev = std::abs((cpu_fraction - memory_fraction) / 2);  // two resources
  return static_cast<std::int64_t>((1 - std_dev) * static_cast<double>(kMaxNodeScore));
}

PreparedPod Scheduler::prepare(const PodSpecView& pod) const {
  PreparedPod p;
  p.cpu_milli = pod.cpu_milli;
  p.memory_bytes = pod.memory_bytes;
  p.cpu_nonzero = pod.cpu_milli > 0 ? pod.cpu_milli : kNonZeroCpuMilli;
  p.memory_nonzero = pod.memory_bytes > 0 ? pod.memory_bytes : kNonZeroMemoryBytes;
  p.node_selector = pod.node_selector;
  p.node_affinity = pod.node_affinity;
  p.tolerations = pod.tolerations;
  extend(p);
  return p;
}

void Scheduler::extend(PreparedPod& p) const {
  k8s::LabelSelector selector;
  selector.match_labels = p.node_selector;
  const auto& classes = nodes_.classes();
  for (std::size_t c = p.class_ok.size(); c < classes.size(); ++c) {
    const k8s::Labels& labels = nodes_.label_sets()[classes[c].labels];
    bool ok = selector.matches(labels);
    // NodeAffinity: with required terms, at least one must match (terms are ORed).
    if (ok && !p.node_affinity.empty()) {
      ok = std::any_of(p.node_affinity.begin(), p.node_affinity.end(),
                       [&](const k8s::LabelSelector& term) { return term.matches(labels); });
    }
    std::uint16_t prefer = 0;
    for (const k8s::Taint& taint : nodes_.taint_sets()[classes[c].taints]) {
      const bool tol = tolerated(taint, p.tolerations);
      if (taint.effect == k8s::TaintEffect::PreferNoSchedule) {
        prefer += tol ? 0 : 1;
      } else if (!tol) {
        ok = false;
      }
    }
    p.class_ok.push_back(ok ? 1 : 0);
    p.prefer_count.push_back(prefer);
  }
}

std::int64_t Scheduler::resource_score(NodeIndex node, const PreparedPod& pod) const {
  const NodeTable& t = nodes_;
  const PluginWeights& w = config_.weights;
  const std::int64_t cpu_alloc = t.cpu_alloc_[node];
  const std::int64_t mem_alloc = t.mem_alloc_[node];
  std::int64_t score = 0;
  const std::int64_t cpu_req = t.cpu_nonzero_req_[node] + pod.cpu_nonzero;
  const std::int64_t mem_req = t.mem_nonzero_req_[node] + pod.memory_nonzero;
  if (config_.strategy == ScoringStrategy::least_allocated) {
    score +=
        w.node_resources_fit *
        ((least_allocated_score(cpu_req, cpu_alloc) + least_allocated_score(mem_req, mem_alloc)) /
         2);
  } else if (config_.strategy == ScoringStrategy::most_allocated) {
    score +=
        w.node_resources_fit *
        ((most_allocated_score(cpu_req, cpu_alloc) + most_allocated_score(mem_req, mem_alloc)) / 2);
  }
  // BalancedAllocation reads actual requests (upstream: useRequested, no non-zero defaults).
  const double cpu_fraction =
      static_cast<double>(t.cpu_requested(node) + pod.cpu_milli) / static_cast<double>(cpu_alloc);
  const double mem_fraction = static_cast<double>(t.mem_requested(node) + pod.memory_bytes) /
                              static_cast<double>(mem_alloc);
  score += w.balanced_allocation * balanced_allocation_score(cpu_fraction, mem_fraction);
  return score;
}

std::int32_t Scheduler::slot_for(const PreparedPod& pod) {
  const ScoreKey key{pod.cpu_milli, pod.memory_bytes, pod.cpu_nonzero, pod.memory_nonzero};
  for (std::size_t s = 0; s < slot_keys_.size(); ++s) {
    const ScoreKey& k = slot_keys_[s];
    if (k.cpu == key.cpu && k.memory == key.memory && k.cpu_nonzero == key.cpu_nonzero &&
        k.memory_nonzero == key.memory_nonzero) {
      return static_cast<std::int32_t>(s);
    }
  }
  if (slot_keys_.size() >= kScoreSlots) return -1;
  slot_keys_.push_back(key);
  score_cache_.emplace_back();
  fit_bits_.emplace_back();
  fit_bits_nodes_.push_back(0);
  return static_cast<std::int32_t>(slot_keys_.size() - 1);
}

void Scheduler::refresh_fit_bits(std::size_t slot) {
  const std::size_t n = nodes_.size();
  std::vector<std::uint64_t>& bits = fit_bits_[slot];
  bits.resize((n + 63) / 64, 0);
  const ScoreKey& key = slot_keys_[slot];
  for (std::size_t node = fit_bits_nodes_[slot]; node < n; ++node) {
    const bool fits = nodes_.cpu_free_[node] >= key.cpu && nodes_.mem_free_[node] >= key.memory &&
                      nodes_.pods_free_[node] > 0;
    if (fits) bits[node / 64] |= 1ull << (node % 64);
  }
  fit_bits_nodes_[slot] = n;
}

void Scheduler::update_fit_bits(NodeIndex node) {
  for (std::size_t slot = 0; slot < slot_keys_.size(); ++slot) {
    if (node >= fit_bits_nodes_[slot]) continue;  // covered when the slot is next refreshed
    const ScoreKey& key = slot_keys_[slot];
    const bool fits = nodes_.cpu_free_[node] >= key.cpu && nodes_.mem_free_[node] >= key.memory &&
                      nodes_.pods_free_[node] > 0;
    std::uint64_t& word = fit_bits_[slot][node / 64];
    const std::uint64_t bit = 1ull << (node % 64);
    word = fits ? (word | bit) : (word & ~bit);
  }
}

void Scheduler::refresh_class_bits(PreparedPod& pod) const {
  const std::size_t n = nodes_.size();
  pod.class_bits.assign((n + 63) / 64, 0);
  const ClassId* node_class = nodes_.class_.data();
  for (std::size_t node = 0; node < n; ++node) {
    if (pod.class_ok[node_class[node]]) pod.class_bits[node / 64] |= 1ull << (node % 64);
  }
  pod.class_bits_version = nodes_.class_version_;
}

std::optional<NodeIndex> Scheduler::schedule(PreparedPod& pod) {
  const auto best = select(pod);
  if (!best) return std::nullopt;
  bind(best->node, pod);
  return best->node;
}

void Scheduler::bind(NodeIndex node, const PreparedPod& pod) {
  nodes_.book(node, pod.cpu_milli, pod.memory_bytes, pod.cpu_nonzero, pod.memory_nonzero, 1);
  update_fit_bits(node);
}

std::optional<Scheduler::Choice> Scheduler::select(PreparedPod& pod) {
  const std::size_t n = nodes_.size();
  if (n == 0) return std::nullopt;
  if (pod.class_ok.size() < nodes_.classes().size()) extend(pod);
  if (pod.score_slot < 0) pod.score_slot = slot_for(pod);
  std::uint64_t* cache = nullptr;
  if (pod.score_slot >= 0) {
    auto& column = score_cache_[static_cast<std::size_t>(pod.score_slot)];
    if (column.size() < n) column.resize(n, 0);
    cache = column.data();
  }
  // Upstream counts the cluster's nodes; retired rows are not nodes.
  const std::size_t to_find = static_cast<std::size_t>(feasible_nodes_to_find(
      static_cast<std::int32_t>(nodes_.live()), config_.percentage_of_nodes_to_score));
  const NodeTable& t = nodes_;
  const ClassId* node_class = t.class_.data();
  const std::uint32_t* version = t.version_.data();
  // TaintToleration only separates nodes when some class has an intolerable
  // PreferNoSchedule taint for this pod; otherwise every feasible node scores 100 on it and
  // the best node is found in the same pass as the filter.
  bool any_prefer = false;
  for (const std::uint16_t c : pod.prefer_count)
    any_prefer = any_prefer || c > 0;

  const auto score_of = [&](NodeIndex node) -> std::int64_t {
    if (!cache) return resource_score(node, pod);
    const std::uint64_t entry = cache[node];
    const std::uint64_t tag = static_cast<std::uint64_t>(version[node]) + 1;
    if ((entry >> 32) == tag) return static_cast<std::int64_t>(entry & 0xFFFFFFFFu);
    const std::int64_t score = resource_score(node, pod);
    cache[node] = (tag << 32) | static_cast<std::uint32_t>(score);
    return score;
  };

  feasible_.clear();
  partial_score_.clear();
  prefer_.clear();
  std::size_t found = 0;
  NodeIndex best_node = 0;
  std::int64_t best_score = -1;
  std::uint16_t max_prefer = 0;
  const auto take = [&](NodeIndex node) {
    const std::int64_t score = score_of(node);
    if (any_prefer) {
      const std::uint16_t prefer = pod.prefer_count[node_class[node]];
      max_prefer = std::max(max_prefer, prefer);
      feasible_.push_back(node);
      partial_score_.push_back(score);
      prefer_.push_back(prefer);
    } else if (score > best_score) {  // first in scan order wins ties
      best_score = score;
      best_node = node;
    }
  };
  std::size_t processed = 0;
  if (bitmaps_enabled_ && pod.score_slot >= 0) {
    // 64 nodes per step: room for this request size AND a passing class.
    const auto slot = static_cast<std::size_t>(pod.score_slot);
    if (fit_bits_nodes_[slot] < n) refresh_fit_bits(slot);
    if (pod.class_bits_version != nodes_.class_version_) refresh_class_bits(pod);
    const std::uint64_t* fit = fit_bits_[slot].data();
    const std::uint64_t* cls = pod.class_bits.data();
    std::size_t i = next_start_;
    NodeIndex last = 0;
    while (processed < n && found < to_find) {
      const std::size_t word = i / 64;
      const std::size_t first_bit = i % 64;
      // Bits of this word from position i up to the end of the word or of the table.
      const std::size_t span =
          std::min<std::size_t>(64 - first_bit, std::min(n - i, n - processed));
      std::uint64_t mask = fit[word] & cls[word] & (~0ull << first_bit);
      if (first_bit + span < 64) mask &= (1ull << (first_bit + span)) - 1;
      if (!any_prefer && cache) {
        // The common case, kept free of calls: cached score, running best.
        while (mask && found < to_find) {
          const NodeIndex node =
              static_cast<NodeIndex>(word * 64 + static_cast<std::size_t>(__builtin_ctzll(mask)));
          mask &= mask - 1;
          const std::uint64_t entry = cache[node];
          const std::uint64_t tag = static_cast<std::uint64_t>(version[node]) + 1;
          std::int64_t score;
          if ((entry >> 32) == tag) {
            score = static_cast<std::int64_t>(entry & 0xFFFFFFFFu);
          } else {
            score = resource_score(node, pod);
            cache[node] = (tag << 32) | static_cast<std::uint32_t>(score);
          }
          if (score > best_score) {  // first in scan order wins ties
            best_score = score;
            best_node = node;
          }
          ++found;
          last = node;
        }
      }
      while (mask && found < to_find) {
        const NodeIndex node =
            static_cast<NodeIndex>(word * 64 + static_cast<std::size_t>(__builtin_ctzll(mask)));
        mask &= mask - 1;
        take(node);
        ++found;
        last = node;
      }
      if (found == to_find) {
        processed += last - i + 1;
        break;
      }
      processed += span;
      i += span;
      if (i == n) i = 0;
    }
  } else {
    // Node by node, in blocks: a branch-free pass writes the block's feasible nodes into a
    // compact list, which is then taken in scan order until enough are found.
    constexpr std::size_t kBlock = 256;
    block_nodes_.resize(kBlock);
    NodeIndex* compact = block_nodes_.data();
    const std::uint8_t* class_ok = pod.class_ok.data();
    const std::int64_t* cpu_free = t.cpu_free_.data();
    const std::int64_t* mem_free = t.mem_free_.data();
    const std::int32_t* pods_free = t.pods_free_.data();
    const std::int64_t cpu = pod.cpu_milli;
    const std::int64_t mem = pod.memory_bytes;
    std::size_t i = next_start_;
    while (processed < n && found < to_find) {
      const std::size_t len = std::min({kBlock, n - i, n - processed});
      std::size_t count = 0;
      for (std::size_t j = 0; j < len; ++j) {
        const std::size_t k = i + j;
        compact[count] = static_cast<NodeIndex>(k);
        count += static_cast<std::size_t>((cpu_free[k] >= cpu) & (mem_free[k] >= mem) &
                                          (pods_free[k] > 0) & class_ok[node_class[k]]);
      }
      const std::size_t taken = std::min(count, to_find - found);
      for (std::size_t c = 0; c < taken; ++c)
        take(compact[c]);
      found += taken;
      // Nodes processed: the whole block, or up to the last feasible node taken.
      const std::size_t used = found < to_find || taken == 0 ? len : compact[taken - 1] - i + 1;
      processed += used;
      i += used;
      if (i == n) i = 0;
    }
  }
  examined_ += processed;
  next_start_ = (next_start_ + processed) % n;
  if (found == 0) return std::nullopt;

  if (any_prefer) {
    // TaintToleration: DefaultNormalizeScore(reverse): 100 - count * 100 / max count.
    const std::int64_t taint_weight = config_.weights.taint_toleration;
    for (std::size_t k = 0; k < feasible_.size(); ++k) {
      std::int64_t taint_score = kMaxNodeScore;
      if (max_prefer > 0) taint_score = kMaxNodeScore - prefer_[k] * kMaxNodeScore / max_prefer;
      const std::int64_t total = partial_score_[k] + taint_weight * taint_score;
      if (total > best_score) {
        best_score = total;
        best_node = feasible_[k];
      }
    }
  }
  // Without intolerable PreferNoSchedule taints every feasible node scores the maximum on
  // TaintToleration: added, so that totals compare across schedulers (edge sites).
  if (!any_prefer) best_score += config_.weights.taint_toleration * kMaxNodeScore;
  return Choice{best_node, best_score};
}

void Scheduler::release(NodeIndex node, const PreparedPod& pod) {
  nodes_.book(node, pod.cpu_milli, pod.memory_bytes, pod.cpu_nonzero, pod.memory_nonzero, -1);
  update_fit_bits(node);
}

}  // namespace kt::scheduling
