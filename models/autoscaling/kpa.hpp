#pragma once
// The Knative Pod Autoscaler's decider as upstream implements it (knative/serving @98e5ef90,
// pkg/autoscaler/scaling/autoscaler.go; the windows of pkg/autoscaler/aggregation/
// bucketing.go; ../docs/models/serverless.md). Each 2 s tick the decider turns the
// revision's stable-window and panic-window averages of its observed concurrency (or
// requests per second) into a desired pod count and an excess burst capacity:
//   desired stable = clamp(ceil(stable / target), maxDown, maxUp), the same for panic;
//   panic mode when ceil(panic / target) / ready >= the panic threshold, left a stable window
//   after the last tick over it; while panicking the count never decreases; a scale-down
//   delay holds the highest count of its window; EBC = floor(ready x total - TBC - panic).
// The bounds (minScale, maxScale, initial scale) and scale to zero are the reconciler's,
// outside this decider (models/serverless, issue 14).

#include <cstdint>
#include <deque>
#include <vector>

#include "engine/time.hpp"

namespace kt::autoscaling {

// TimedFloat64Buckets: values recorded into per-granularity buckets over a window; the
// average is over the buckets written since the first write of the window (not the whole
// window while it fills), holes count as zero, rounded to 6 digits as upstream.
class WindowBuckets {
 public:
  WindowBuckets(SimTime window, SimTime granularity = kSecond);
  void record(SimTime now, double value);
  double average(SimTime now) const;
  bool empty(SimTime now) const { return now / granularity_ - last_write_ >= buckets_n(); }

 private:
  std::int64_t buckets_n() const { return static_cast<std::int64_t>(buckets_.size()); }
  SimTime window_;
  SimTime granularity_;
  std::vector<double> buckets_;
  double total_ = 0;
  // Bucket indices (time / granularity) of the first and last write; none yet: far past.
  std::int64_t first_write_ = kNever;
  std::int64_t last_write_ = kNever;
  static constexpr std::int64_t kNever = -(std::int64_t{1} << 60);
};

// DeciderSpec: what the reconciler derives from the revision and config-autoscaler.
struct KpaSpec {
  double target_value = 70;            // per pod: total x target utilisation (min 0.01)
  double total_value = 100;            // per pod: containerConcurrency, or the 100 default
  double target_burst_capacity = 211;  // -1: activator always in path; 0: never
  double panic_threshold = 2.0;        // panic-threshold-percentage / 100
  double max_scale_up_rate = 1000;
  double max_scale_down_rate = 2;
  SimTime stable_window = 60 * kSecond;
  SimTime scale_down_delay = 0;
  std::int32_t activation_scale = 1;
  bool reachable = true;  // the revision serves traffic (else scale down at once)
};

struct KpaDecision {
  std::int32_t desired = 0;
  std::int32_t excess_burst_capacity = 0;
};

class KpaDecider {
 public:
  // A decider created when the revision has `ready` pods: with more than one it starts in
  // panic mode holding them (upstream: a restarted autoscaler must not scale down before it
  // has data).
  KpaDecider(KpaSpec spec, std::int32_t ready, SimTime now);
  // One tick: `ready` pods, the stable- and panic-window averages of the metric.
  KpaDecision scale(SimTime now, std::int32_t ready, double stable, double panic);
  bool panicking() const { return panicking_; }
  const KpaSpec& spec() const { return spec_; }

 private:
  KpaSpec spec_;
  bool panicking_ = false;
  SimTime panic_time_ = 0;
  std::int32_t max_panic_pods_ = 0;
  // max.TimeWindow over scale_down_delay, in 2 s buckets: (bucket, highest desired).
  std::deque<std::pair<std::int64_t, std::int32_t>> delay_;
};

}  // namespace kt::autoscaling
