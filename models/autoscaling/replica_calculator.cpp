#include "models/autoscaling/replica_calculator.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace kt::autoscaling {

namespace {

std::int32_t ceil_to_replicas(double x) {
  return static_cast<std::int32_t>(std::min(std::ceil(x), 2147483647.0));
}

// The pods a re-run counts, with the values upstream fills in: the ready pods as measured,
// the missing ones pessimistically for the direction, the unready ones as 0 on a scale-up.
struct Counted {
  std::int64_t value = 0;
  std::int64_t request = 0;
};

struct Grouped {
  std::vector<Counted> counted;  // ready pods with their metric
  std::int32_t ready = 0;
  std::vector<const PodSample*> missing;
  std::vector<const PodSample*> unready;
};

Grouped group(std::span<const PodSample> pods) {
  Grouped g;
  for (const PodSample& p : pods) {
    switch (p.group) {
      case PodGroup::ready:
        g.counted.push_back({p.value_milli, p.request_milli});
        ++g.ready;
        break;
      case PodGroup::missing:
        g.missing.push_back(&p);
        break;
      case PodGroup::unready:
        g.unready.push_back(&p);
        break;
      case PodGroup::ignored:
        break;
    }
  }
  return g;
}

// metricsclient.GetResourceUtilizationRatio: the integer percentage of requests used.
std::optional<double> utilization_ratio(const std::vector<Counted>& counted,
                                        std::int32_t target_percent) {
  std::int64_t used = 0;
  std::int64_t requested = 0;
  for (const Counted& c : counted) {
    used += c.value;
    requested += c.request;
  }
  if (requested == 0) return std::nullopt;  // "no metrics returned matched known pods"
  const auto percent = static_cast<std::int32_t>(used * 100 / requested);
  return static_cast<double>(percent) / static_cast<double>(target_percent);
}

// metricsclient.GetMetricUsageRatio: the integer per-pod average over the target.
double usage_ratio(const std::vector<Counted>& counted, std::int64_t target_milli) {
  std::int64_t total = 0;
  for (const Counted& c : counted)
    total += c.value;
  const std::int64_t average = total / static_cast<std::int64_t>(counted.size());
  return static_cast<double>(average) / static_cast<double>(target_milli);
}

// The common shape of GetResourceReplicas and calcPlainMetricReplicas; `ratio_of` computes
// the usage ratio of a set of counted pods, `missing_value` what a missing pod counts as on
// a scale-down.
template <class RatioOf, class MissingValue>
Proposal replicas(std::int32_t current, std::span<const PodSample> pods, Tolerances tolerance,
                  bool zero_missing_at_one, RatioOf ratio_of, MissingValue missing_value) {
  Grouped g = group(pods);
  if (g.counted.empty()) return std::nullopt;  // "did not receive metrics for any ready pods"
  const std::optional<double> first = ratio_of(g.counted);
  if (!first) return std::nullopt;
  const double ratio = *first;
  const bool rebalance_unready = !g.unready.empty() && ratio > 1.0;
  if (!rebalance_unready && g.missing.empty()) {
    if (tolerance.within(ratio)) return current;
    return ceil_to_replicas(ratio * g.ready);
  }
  // Re-run with pessimistic values: a missing pod counts against the direction the ratio
  // points (at its request or the target going down, at 0 going up). At a ratio of exactly
  // 1 upstream's resource path adds none, its plain-metric path adds them at 0.
  for (const PodSample* p : g.missing) {
    if (ratio < 1.0) {
      g.counted.push_back({missing_value(*p), p->request_milli});
    } else if (ratio > 1.0 || zero_missing_at_one) {
      g.counted.push_back({0, p->request_milli});
    }
  }
  if (rebalance_unready) {
    for (const PodSample* p : g.unready)
      g.counted.push_back({0, p->request_milli});
  }
  const std::optional<double> second = ratio_of(g.counted);
  if (!second) return std::nullopt;
  const double new_ratio = *second;
  if (tolerance.within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) ||
      (ratio > 1.0 && new_ratio < 1.0)) {
    return current;  // too small a change, or the pessimistic values reverse the direction
  }
  const std::int32_t next = ceil_to_replicas(new_ratio * static_cast<double>(g.counted.size()));
  if ((new_ratio < 1.0 && next > current) || (new_ratio > 1.0 && next < current)) return current;
  return next;
}

}  // namespace

Proposal resource_utilization_replicas(std::int32_t current, std::int32_t target_percent,
                                       std::span<const PodSample> pods, Tolerances tolerance) {
  return replicas(
      current, pods, tolerance, false,
      [&](const std::vector<Counted>& c) { return utilization_ratio(c, target_percent); },
      [](const PodSample& p) { return p.request_milli; });  // 100 % of its request
}

Proposal plain_metric_replicas(std::int32_t current, std::int64_t target_milli,
                               std::span<const PodSample> pods, Tolerances tolerance) {
  return replicas(
      current, pods, tolerance, true,
      [&](const std::vector<Counted>& c) -> std::optional<double> {
        return usage_ratio(c, target_milli);
      },
      [&](const PodSample&) { return target_milli; });  // exactly the target
}

Proposal value_replicas(std::int32_t current, std::int64_t usage_milli, std::int64_t target_milli,
                        std::int32_t ready_pods, Tolerances tolerance) {
  const double ratio = static_cast<double>(usage_milli) / static_cast<double>(target_milli);
  if (current == 0) return ceil_to_replicas(ratio);  // scale from zero: no ready pods to count
  if (tolerance.within(ratio)) return current;
  return ceil_to_replicas(ratio * ready_pods);  // the Running and Ready pods, 0 if none
}

Proposal average_value_replicas(std::int32_t status_replicas, std::int64_t usage_milli,
                                std::int64_t target_milli, Tolerances tolerance) {
  const double ratio = static_cast<double>(usage_milli) /
                       (static_cast<double>(target_milli) * static_cast<double>(status_replicas));
  if (tolerance.within(ratio)) return status_replicas;
  return ceil_to_replicas(static_cast<double>(usage_milli) / static_cast<double>(target_milli));
}

}  // namespace kt::autoscaling
