#pragma once
// The HorizontalPodAutoscaler's per-metric replica proposal, as upstream's replica calculator
// computes it (kubernetes pkg/controller/podautoscaler/replica_calculator.go and
// metrics/utilization.go; ../docs/models/cluster.md, "HPA"). Values are milli-units held in
// int64, as upstream's resource.Quantity.MilliValue(), so that its integer truncations (the
// utilisation percentage, the per-pod average) happen here too.

#include <cstdint>
#include <optional>
#include <span>

namespace kt::autoscaling {

// The band around a usage ratio of 1 inside which the HPA does not scale
// (--horizontal-pod-autoscaler-tolerance, 0.1; since v1.33 per direction,
// behavior.scaleUp/scaleDown.tolerance).
struct Tolerances {
  double scale_down = 0.1;
  double scale_up = 0.1;
  bool within(double ratio) const { return 1.0 - scale_down <= ratio && ratio <= 1.0 + scale_up; }
};

// How upstream's groupPods sorts a target pod for one metric.
enum class PodGroup : std::uint8_t {
  ready,    // Running and counted (for CPU also Ready and past its initialisation window)
  unready,  // Pending, or (CPU only) not Ready or still initialising: 0 when scaling up
  missing,  // counted but without a metric sample: pessimistic value on a re-run
  ignored,  // being deleted, or Failed: dropped entirely
};

struct PodSample {
  PodGroup group = PodGroup::ready;
  std::int64_t value_milli = 0;    // the pod's metric (ready pods; others are not read)
  std::int64_t request_milli = 0;  // Σ container requests of the resource (utilisation only)
};

// One metric's proposal; nullopt where upstream returns an error (no metric for any ready
// pod, no requests): the metric is invalid this sync.
using Proposal = std::optional<std::int32_t>;

// Resource metric with an averageUtilization target (percent of requests): GetResourceReplicas.
Proposal resource_utilization_replicas(std::int32_t current, std::int32_t target_percent,
                                       std::span<const PodSample> pods, Tolerances tolerance);

// Pods metric, or Resource metric with an averageValue target: calcPlainMetricReplicas.
// `target_milli` is the per-pod average the HPA aims at.
Proposal plain_metric_replicas(std::int32_t current, std::int64_t target_milli,
                               std::span<const PodSample> pods, Tolerances tolerance);

// Object or External metric with a Value target (`usage_milli`: the object's value, or the
// external series summed): getUsageRatioReplicaCount over the Running and Ready pods.
Proposal value_replicas(std::int32_t current, std::int64_t usage_milli, std::int64_t target_milli,
                        std::int32_t ready_pods, Tolerances tolerance);

// Object or External metric with an AverageValue target: GetObjectPerPodMetricReplicas /
// GetExternalPerPodMetricReplicas, relative to the target's status replicas.
Proposal average_value_replicas(std::int32_t status_replicas, std::int64_t usage_milli,
                                std::int64_t target_milli, Tolerances tolerance);

}  // namespace kt::autoscaling
