#pragma once
// The HorizontalPodAutoscaler's controller loop as upstream implements it (kube-controller-
// manager pkg/controller/podautoscaler/horizontal.go; autoscaling/v2 defaults in
// pkg/apis/autoscaling/v2/defaults.go; ../docs/models/cluster.md, "HPA"). Each sync the
// controller takes the largest proposal of its metrics (models/autoscaling/
// replica_calculator), then normalises it:
//  - with spec.behavior: stabilisation (scale up to the lowest recommendation of the scale-up
//    window, down to the highest of the scale-down window), then the rate policies of the
//    direction (selectPolicy Max, Min or Disabled), then [minReplicas, maxReplicas];
//  - without it (upstream's legacy path): the highest recommendation of the last 300 s
//    (--horizontal-pod-autoscaler-downscale-stabilization), then
//    [minReplicas, min(maxReplicas, max(2 x current, 4))].

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.hpp"
#include "models/autoscaling/replica_calculator.hpp"

namespace kt::autoscaling {

struct ScalingPolicy {
  enum class Type : std::uint8_t { Pods, Percent };
  Type type = Type::Pods;
  std::int32_t value = 0;
  SimTime period = 15 * kSecond;
};

struct ScalingRules {
  enum class Select : std::uint8_t { max, min, disabled };
  // nullopt (scale down only): the controller's --horizontal-pod-autoscaler-downscale-
  // stabilization applies, as upstream's maybeInitScaleDownStabilizationWindow.
  std::optional<SimTime> stabilization_window;
  std::vector<ScalingPolicy> policies;
  Select select = Select::max;
};

struct Behavior {
  ScalingRules scale_up = default_scale_up();
  ScalingRules scale_down = default_scale_down();
  // Upstream's GenerateHPAScaleUpRules / GenerateHPAScaleDownRules defaults: up 0 s window,
  // max(+4 pods, +100 %) per 15 s; down the flag's window, -100 % per 15 s.
  static ScalingRules default_scale_up();
  static ScalingRules default_scale_down();
};

// One entry of spec.metrics, resolved to what the twin measures.
struct HpaMetric {
  enum class Source : std::uint8_t { resource, pods, object, external };
  enum class Target : std::uint8_t { utilization, average_value, value };
  // The simulated quantity behind the metric (docs/scenario.md, "HPA metrics").
  enum class Quantity : std::uint8_t { cpu, memory, requests_per_second, in_flight, queue_length };
  Source source = Source::resource;
  Target target = Target::utilization;
  Quantity quantity = Quantity::cpu;
  // Utilization: percent of requests. Otherwise milli-units of the quantity (millicores,
  // milli-bytes, milli-requests per second, milli-requests).
  std::int64_t target_milli = 80;
  std::string name;  // as written, for messages
};

struct HpaConfig {
  std::int32_t min_replicas = 1;
  std::int32_t max_replicas = 1;
  // autoscaling/v2's default when spec.metrics is empty: CPU at 80 % of requests.
  std::vector<HpaMetric> metrics = {HpaMetric{}};
  Tolerances tolerance;
  SimTime sync_period = 15 * kSecond;               // --horizontal-pod-autoscaler-sync-period
  SimTime downscale_stabilization = 300 * kSecond;  // --horizontal-pod-autoscaler-downscale-...
  std::optional<Behavior> behavior;                 // nullopt: the HPA has no spec.behavior
  // The CPU utilisation the HPA aims at, as a fraction (0.8 without a CPU utilisation
  // metric): what predictive sizing provisions for.
  double cpu_target_fraction() const;
};

// What the controller remembers between syncs (upstream keeps them per HPA key).
struct Recommendation {
  SimTime at;
  std::int32_t replicas;
};
struct ScaleEvent {
  SimTime at;
  std::int32_t replicas;  // added (in `up`) or removed (in `down`)
};
struct ScaleHistory {
  std::deque<ScaleEvent> up;
  std::deque<ScaleEvent> down;
};

// The steps of a sync, as upstream names them (the tests ported from horizontal_test.go
// drive them with a given history):
// stabilizeRecommendation (legacy path): the highest recommendation not older than `window`,
// `desired` included; records `desired`.
std::int32_t stabilize_legacy(std::deque<Recommendation>& recommendations, SimTime now,
                              SimTime window, std::int32_t desired);
// convertDesiredReplicasWithBehaviorRate: `desired` bounded by the direction's policies and
// by [min, max].
std::int32_t rate_limited(const Behavior& behavior, std::int32_t min_replicas,
                          std::int32_t max_replicas, SimTime now, std::int32_t current,
                          std::int32_t desired, const ScaleHistory& history);

class Hpa {
 public:
  explicit Hpa(HpaConfig config) : config_(std::move(config)) {}

  // One sync of an HPA whose target has `current` replicas (its scale's spec.replicas).
  // `proposals` holds each metric's proposal (nullopt: the metric could not be computed).
  // Returns the replicas to set.
  std::int32_t sync(SimTime now, std::int32_t current,
                    const std::vector<std::optional<std::int32_t>>& proposals);
  const HpaConfig& config() const { return config_; }

 private:
  std::int32_t normalize_legacy(SimTime now, std::int32_t current, std::int32_t desired);
  std::int32_t normalize_with_behavior(SimTime now, std::int32_t current, std::int32_t desired);
  void store_scale_event(SimTime now, std::int32_t current, std::int32_t next);

  HpaConfig config_;
  std::deque<Recommendation> recommendations_;
  ScaleHistory history_;
};

}  // namespace kt::autoscaling
