#include "models/autoscaling/hpa.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kt::autoscaling {

ScalingRules Behavior::default_scale_up() {
  ScalingRules r;
  r.stabilization_window = 0;
  r.policies = {{ScalingPolicy::Type::Pods, 4, 15 * kSecond},
                {ScalingPolicy::Type::Percent, 100, 15 * kSecond}};
  return r;
}

ScalingRules Behavior::default_scale_down() {
  ScalingRules r;  // no window of its own: the controller's flag
  r.policies = {{ScalingPolicy::Type::Percent, 100, 15 * kSecond}};
  return r;
}

double HpaConfig::cpu_target_fraction() const {
  for (const HpaMetric& m : metrics) {
    if (m.quantity == HpaMetric::Quantity::cpu && m.target == HpaMetric::Target::utilization) {
      return static_cast<double>(m.target_milli) / 100.0;
    }
  }
  return 0.8;
}

std::int32_t Hpa::sync(SimTime now, std::int32_t current,
                       const std::vector<std::optional<std::int32_t>>& proposals) {
  // recordInitialRecommendation: the first sync remembers the current scale, so that a new
  // (or restarted) controller does not scale down at once.
  if (recommendations_.empty()) recommendations_.push_back({now, current});
  std::int32_t desired = 0;
  if (current == 0 && config_.min_replicas != 0) {
    return current;  // "scaling is disabled since the replica count of the target is zero"
  } else if (current > config_.max_replicas) {
    desired = config_.max_replicas;
  } else if (current < config_.min_replicas) {
    desired = config_.min_replicas;
  } else {
    // computeReplicasForMetrics: the largest valid proposal; nothing if every metric failed,
    // or if some failed and the others would scale down.
    std::int32_t largest = 0;
    std::size_t invalid = 0;
    for (const auto& p : proposals) {
      if (!p) {
        ++invalid;
      } else if (largest == 0 || *p > largest) {
        largest = *p;
      }
    }
    if (invalid >= proposals.size() || (invalid > 0 && largest < current)) return current;
    desired = config_.behavior ? normalize_with_behavior(now, current, largest)
                               : normalize_legacy(now, current, largest);
  }
  if (desired != current) store_scale_event(now, current, desired);
  return desired;
}

namespace {

std::int32_t changed_within(SimTime now, SimTime period, const std::deque<ScaleEvent>& events) {
  std::int32_t replicas = 0;
  for (const ScaleEvent& e : events) {
    if (e.at > now - period) replicas += e.replicas;  // timestamp.After(cutoff)
  }
  return replicas;
}

}  // namespace

std::int32_t stabilize_legacy(std::deque<Recommendation>& recommendations, SimTime now,
                              SimTime window, std::int32_t desired) {
  const SimTime cutoff = now - window;
  while (!recommendations.empty() && recommendations.front().at < cutoff)
    recommendations.pop_front();  // timestamp.Before(cutoff): replaced
  std::int32_t stabilized = desired;
  for (const Recommendation& r : recommendations)
    stabilized = std::max(stabilized, r.replicas);
  recommendations.push_back({now, desired});
  return stabilized;
}

std::int32_t rate_limited(const Behavior& behavior, std::int32_t min_replicas,
                          std::int32_t max_replicas, SimTime now, std::int32_t current,
                          std::int32_t desired, const ScaleHistory& history) {
  // calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors: each policy
  // bounds the change relative to the replicas at the start of its period (what was added
  // and removed in it undone).
  if (desired == current) return desired;
  const bool up = desired > current;
  const ScalingRules& rules = up ? behavior.scale_up : behavior.scale_down;
  std::int64_t limit = current;
  if (rules.select != ScalingRules::Select::disabled) {
    // Max selects the policy that allows the largest change, Min the smallest.
    const bool largest_change = rules.select == ScalingRules::Select::max;
    const bool take_max = up == largest_change;
    limit = take_max ? std::numeric_limits<std::int32_t>::min()
                     : std::numeric_limits<std::int32_t>::max();
    for (const ScalingPolicy& p : rules.policies) {
      const std::int64_t start = static_cast<std::int64_t>(current) -
                                 changed_within(now, p.period, history.up) +
                                 changed_within(now, p.period, history.down);
      std::int64_t proposed = 0;
      const double fraction = static_cast<double>(p.value) / 100.0;
      if (up) {
        proposed = p.type == ScalingPolicy::Type::Pods
                       ? start + p.value
                       : static_cast<std::int64_t>(
                             std::ceil(static_cast<double>(start) * (1.0 + fraction)));
      } else {
        // int32(float64(start) * (1 - v/100)): truncated, where scaling up rounds up.
        proposed = p.type == ScalingPolicy::Type::Pods
                       ? start - p.value
                       : static_cast<std::int64_t>(static_cast<double>(start) * (1.0 - fraction));
      }
      limit = take_max ? std::max(limit, proposed) : std::min(limit, proposed);
    }
  }
  if (up) {
    limit = std::max<std::int64_t>(limit, current);  // no further scale-up until events expire
    const std::int64_t highest = std::min<std::int64_t>(max_replicas, limit);
    return static_cast<std::int32_t>(std::min<std::int64_t>(desired, highest));
  }
  limit = std::min<std::int64_t>(limit, current);
  const std::int64_t lowest = std::max<std::int64_t>(min_replicas, limit);
  return static_cast<std::int32_t>(std::max<std::int64_t>(desired, lowest));
}

std::int32_t Hpa::normalize_legacy(SimTime now, std::int32_t current, std::int32_t desired) {
  const std::int32_t stabilized =
      stabilize_legacy(recommendations_, now, config_.downscale_stabilization, desired);
  // convertDesiredReplicasWithRules: at most max(2 x current, 4) (calculateScaleUpLimit).
  const auto scale_up_limit = static_cast<std::int32_t>(std::max(2.0 * current, 4.0));
  const std::int32_t highest = std::min(config_.max_replicas, scale_up_limit);
  if (stabilized < config_.min_replicas) return config_.min_replicas;
  return std::min(stabilized, highest);
}

std::int32_t Hpa::normalize_with_behavior(SimTime now, std::int32_t current, std::int32_t desired) {
  const Behavior& b = *config_.behavior;
  // stabilizeRecommendationWithBehaviors: recommendations strictly inside each window.
  const SimTime up_window = b.scale_up.stabilization_window.value_or(0);
  const SimTime down_window =
      b.scale_down.stabilization_window.value_or(config_.downscale_stabilization);
  const SimTime up_cutoff = now - up_window;
  const SimTime down_cutoff = now - down_window;
  const SimTime oldest = std::min(up_cutoff, down_cutoff);
  while (!recommendations_.empty() && recommendations_.front().at < oldest)
    recommendations_.pop_front();
  std::int32_t up = desired;
  std::int32_t down = desired;
  for (const Recommendation& r : recommendations_) {
    if (r.at > up_cutoff) up = std::min(up, r.replicas);
    if (r.at > down_cutoff) down = std::max(down, r.replicas);
  }
  recommendations_.push_back({now, desired});
  std::int32_t stabilized = current;
  if (stabilized < up) stabilized = up;
  if (stabilized > down) stabilized = down;
  return rate_limited(b, config_.min_replicas, config_.max_replicas, now, current, stabilized,
                      history_);
}

void Hpa::store_scale_event(SimTime now, std::int32_t current, std::int32_t next) {
  if (!config_.behavior) return;  // the legacy path keeps none
  const bool up = next > current;
  const ScalingRules& rules = up ? config_.behavior->scale_up : config_.behavior->scale_down;
  SimTime longest = 0;
  for (const ScalingPolicy& p : rules.policies)
    longest = std::max(longest, p.period);
  std::deque<ScaleEvent>& events = up ? history_.up : history_.down;
  while (!events.empty() && events.front().at < now - longest)
    events.pop_front();  // markScaleEventsOutdated
  events.push_back({now, up ? next - current : current - next});
}

}  // namespace kt::autoscaling
