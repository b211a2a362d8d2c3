#pragma once
// The HorizontalPodAutoscaler's replica calculation as upstream documents and implements it
// (autoscaling/v2, kube-controller-manager v1.28, docs/models/cluster.md):
//   desired = ceil(current * currentMetric / targetMetric), no change within the tolerance
//   (0.1); recommendations are stabilised (scale down: the highest recommendation of the last
//   300 s; scale up: the lowest of the last 0 s); the change per period is limited by the
//   behavior policies (default scale up: max(+4 pods, +100 %) per 15 s; default scale down:
//   -100 % per 15 s); the result is clamped to [minReplicas, maxReplicas].
// The controller is evaluated every sync period (15 s by default) by the cluster model.

#include <cstdint>
#include <deque>
#include <vector>

#include "engine/time.hpp"

namespace kt::autoscaling {

struct ScalingPolicy {
  enum class Type { Pods, Percent };
  Type type = Type::Pods;
  std::int32_t value = 0;
  SimTime period = 15 * kSecond;
};

struct ScalingRules {
  SimTime stabilization_window = 0;
  std::vector<ScalingPolicy> policies;
  bool select_max = true;  // selectPolicy Max (the default); false: Min
};

struct HpaConfig {
  std::int32_t min_replicas = 1;
  std::int32_t max_replicas = 1;
  double target_utilization = 0.8;  // of the pods' CPU requests
  double tolerance = 0.1;           // --horizontal-pod-autoscaler-tolerance
  SimTime sync_period = 15 * kSecond;
  ScalingRules scale_up = default_scale_up();
  ScalingRules scale_down = default_scale_down();
  static ScalingRules default_scale_up();
  static ScalingRules default_scale_down();
};

class Hpa {
 public:
  explicit Hpa(HpaConfig config) : config_(config) {}

  // One sync: `current` replicas, of which `ready` report `utilization` (mean CPU usage over
  // requests, 1.0 = 100 %). Pods not yet ready count as 0 % when the metric says scale up
  // (upstream's conservative handling of unready pods). Returns the new replica count.
  std::int32_t sync(SimTime now, std::int32_t current, std::int32_t ready, double utilization);

  // The raw recommendation, before stabilisation and policies (for tests and reports).
  std::int32_t recommend(std::int32_t current, std::int32_t ready, double utilization) const;
  const HpaConfig& config() const { return config_; }

 private:
  struct Recommendation {
    SimTime at;
    std::int32_t replicas;
  };
  struct ScaleEvent {
    SimTime at;
    std::int32_t change;  // > 0 scale up, < 0 scale down
  };
  std::int32_t limit(SimTime now, std::int32_t current, std::int32_t desired) const;

  HpaConfig config_;
  std::deque<Recommendation> recommendations_;
  std::deque<ScaleEvent> events_;
  bool initialised_ = false;
};

}  // namespace kt::autoscaling
