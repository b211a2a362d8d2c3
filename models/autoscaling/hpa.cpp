#include "models/autoscaling/hpa.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kt::autoscaling {

ScalingRules HpaConfig::default_scale_up() {
  ScalingRules r;
  r.stabilization_window = 0;
  r.policies = {{ScalingPolicy::Type::Pods, 4, 15 * kSecond},
                {ScalingPolicy::Type::Percent, 100, 15 * kSecond}};
  return r;
}

ScalingRules HpaConfig::default_scale_down() {
  ScalingRules r;
  r.stabilization_window = 300 * kSecond;
  r.policies = {{ScalingPolicy::Type::Percent, 100, 15 * kSecond}};
  return r;
}

std::int32_t Hpa::recommend(std::int32_t current, std::int32_t ready, double utilization) const {
  if (ready <= 0) return current;  // no metrics: upstream keeps the current scale
  double ratio = utilization / config_.target_utilization;
  if (std::abs(1.0 - ratio) <= config_.tolerance) return current;
  std::int32_t counted = ready;
  if (ready < current && ratio > 1.0) {
    // Unready pods are assumed to use nothing when scaling up; recompute the ratio with them.
    ratio = utilization * ready / (config_.target_utilization * current);
    counted = current;
    if (ratio <= 1.0 || std::abs(1.0 - ratio) <= config_.tolerance) return current;
  }
  const double desired = std::ceil(ratio * counted);
  return static_cast<std::int32_t>(std::min(desired, 1e9));
}

std::int32_t Hpa::limit(SimTime now, std::int32_t current, std::int32_t desired) const {
  // Upstream calculateScaleUpLimitWithScalingRules / ...ScaleDownLimit...: each policy bounds
  // the change relative to the replica count at the start of its period.
  const bool up = desired > current;
  const ScalingRules& rules = up ? config_.scale_up : config_.scale_down;
  if (rules.policies.empty()) return desired;
  // The bound that allows the most change (selectPolicy Max) or the least (Min): scaling up
  // that is the highest proposal, scaling down the lowest.
  const bool take_highest = up == rules.select_max;
  std::int64_t bound = take_highest ? std::numeric_limits<std::int64_t>::min()
                                    : std::numeric_limits<std::int64_t>::max();
  for (const ScalingPolicy& p : rules.policies) {
    std::int32_t changed_in_period = 0;
    for (const ScaleEvent& e : events_) {
      if (e.at > now - p.period && ((up && e.change > 0) || (!up && e.change < 0))) {
        changed_in_period += e.change;
      }
    }
    const std::int64_t start = static_cast<std::int64_t>(current) - changed_in_period;
    std::int64_t proposed;
    if (up) {
      proposed = p.type == ScalingPolicy::Type::Pods
                     ? start + p.value
                     : static_cast<std::int64_t>(
                           std::ceil(static_cast<double>(start) * (1.0 + p.value / 100.0)));
    } else {
      // Upstream truncates here (int32 conversion), where scale up rounds up.
      proposed =
          p.type == ScalingPolicy::Type::Pods
              ? start - p.value
              : static_cast<std::int64_t>(static_cast<double>(start) * (1.0 - p.value / 100.0));
    }
    bound = take_highest ? std::max(bound, proposed) : std::min(bound, proposed);
  }
  if (up) return static_cast<std::int32_t>(std::min<std::int64_t>(desired, bound));
  return static_cast<std::int32_t>(std::max<std::int64_t>(desired, bound));
}

std::int32_t Hpa::sync(SimTime now, std::int32_t current, std::int32_t ready, double utilization) {
  std::int32_t desired = recommend(current, ready, utilization);
  desired = std::clamp(desired, config_.min_replicas, config_.max_replicas);
  // Upstream seeds the scale-down window with the current scale the first time it sees an
  // HPA (maybeInitScaleDownStabilizationWindow), so a new or restarted controller does not
  // scale down at once.
  if (!initialised_ && config_.scale_down.stabilization_window > 0) {
    recommendations_.push_back({now, current});
  }
  initialised_ = true;
  // Stabilisation (upstream stabilizeRecommendationWithBehaviors): within the scale-up window
  // take the lowest recommendation, within the scale-down window the highest.
  recommendations_.push_back({now, desired});
  const SimTime keep =
      std::max(config_.scale_up.stabilization_window, config_.scale_down.stabilization_window);
  while (!recommendations_.empty() && recommendations_.front().at <= now - keep) {
    recommendations_.pop_front();
  }
  std::int32_t up_bound = desired;    // min over the scale-up window
  std::int32_t down_bound = desired;  // max over the scale-down window
  for (const Recommendation& r : recommendations_) {
    // Strictly inside the window, as upstream's timestamp.After(cutoff).
    if (r.at > now - config_.scale_up.stabilization_window)
      up_bound = std::min(up_bound, r.replicas);
    if (r.at > now - config_.scale_down.stabilization_window) {
      down_bound = std::max(down_bound, r.replicas);
    }
  }
  std::int32_t stabilized = current;
  if (up_bound > current) stabilized = up_bound;
  if (down_bound < current) stabilized = down_bound;
  std::int32_t next = stabilized == current ? current : limit(now, current, stabilized);
  next = std::clamp(next, config_.min_replicas, config_.max_replicas);
  if (next != current) events_.push_back({now, next - current});
  SimTime longest = 0;
  for (const ScalingPolicy& p : config_.scale_up.policies)
    longest = std::max(longest, p.period);
  for (const ScalingPolicy& p : config_.scale_down.policies)
    longest = std::max(longest, p.period);
  while (!events_.empty() && events_.front().at <= now - longest)
    events_.pop_front();
  return next;
}

}  // namespace kt::autoscaling
