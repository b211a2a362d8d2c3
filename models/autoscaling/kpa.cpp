#include "models/autoscaling/kpa.hpp"

#include <algorithm>
#include <cmath>

namespace kt::autoscaling {

namespace {

double round6(double x) {
  return std::round(x * 1e6) / 1e6;
}

constexpr SimTime kTick = 2 * kSecond;  // the autoscaler's tick, the delay window's bucket

}  // namespace

WindowBuckets::WindowBuckets(SimTime window, SimTime granularity)
    : window_(window),
      granularity_(granularity),
      buckets_(static_cast<std::size_t>(std::max<SimTime>(1, window / granularity)), 0.0) {}

void WindowBuckets::record(SimTime now, double value) {
  const std::int64_t b = now / granularity_;
  const std::int64_t n = buckets_n();
  if (last_write_ != b) {
    if (b + n > last_write_) {
      if (first_write_ == kNever || first_write_ > b) first_write_ = b;
      if (b > last_write_) {
        if (b - last_write_ >= n) {
          // Nothing for a whole window: start afresh.
          first_write_ = b;
          std::fill(buckets_.begin(), buckets_.end(), 0.0);
          total_ = 0;
        } else {
          for (std::int64_t i = last_write_ + 1; i <= b; ++i) {
            double& slot = buckets_[static_cast<std::size_t>(i % n)];
            total_ -= slot;
            slot = 0;
          }
        }
        last_write_ = b;
      }
    } else {
      return;  // older than the window
    }
  }
  buckets_[static_cast<std::size_t>(b % n)] += value;
  total_ += value;
}

double WindowBuckets::average(SimTime now) const {
  const std::int64_t b = now / granularity_;
  const std::int64_t n = buckets_n();
  const std::int64_t d = b - last_write_;
  const double written = static_cast<double>(last_write_ - first_write_ + 1);
  if (d <= 0) return round6(total_ / std::min(written, static_cast<double>(n)));
  if (d < n) {
    // Buckets not written since the last write hold nothing any more.
    double sum = total_;
    for (std::int64_t i = last_write_ + 1; i <= b; ++i)
      sum -= buckets_[static_cast<std::size_t>(i % n)];
    return round6(sum / std::min(written, static_cast<double>(n - d)));
  }
  return 0.0;
}

KpaDecider::KpaDecider(KpaSpec spec, std::int32_t ready, SimTime now)
    : spec_(spec), max_panic_pods_(std::max(ready, 0)) {
  if (ready > 1) {
    panicking_ = true;
    panic_time_ = now;
  }
}

KpaDecision KpaDecider::scale(SimTime now, std::int32_t ready, double stable, double panic) {
  const double pods = std::max(1.0, static_cast<double>(ready));
  // At least one pod more when the rate is too small to add a whole one (MSUR 1.1 x 2 pods).
  const double max_up = std::ceil(spec_.max_scale_up_rate * pods);
  const double max_down = spec_.reachable ? std::floor(pods / spec_.max_scale_down_rate) : 0.0;
  const double dspc = std::ceil(stable / spec_.target_value);
  const double dppc = std::ceil(panic / spec_.target_value);
  auto stable_pods = static_cast<std::int32_t>(std::min(std::max(dspc, max_down), max_up));
  auto panic_pods = static_cast<std::int32_t>(std::min(std::max(dppc, max_down), max_up));
  if (spec_.activation_scale > 1) {
    if (dspc > 0 && spec_.activation_scale > stable_pods) stable_pods = spec_.activation_scale;
    if (dppc > 0 && spec_.activation_scale > panic_pods) panic_pods = spec_.activation_scale;
  }
  const bool over = dppc / pods >= spec_.panic_threshold;
  if (!panicking_ && over) {
    panicking_ = true;  // the burst crossed the threshold in the panic window
    panic_time_ = now;
  } else if (over) {
    panic_time_ = now;  // still over: extend the panic
  } else if (panicking_ && panic_time_ + spec_.stable_window < now) {
    panicking_ = false;  // the surge has made its way into the stable window
    max_panic_pods_ = 0;
  }
  std::int32_t desired = stable_pods;
  if (panicking_) {
    desired = std::max(desired, panic_pods);  // provision for the larger of the two
    max_panic_pods_ = std::max(max_panic_pods_, desired);
    desired = max_panic_pods_;  // never down while panicking
  }
  if (spec_.reachable && spec_.scale_down_delay > 0) {
    // max.TimeWindow: the highest count recorded within the delay, in tick buckets.
    const std::int64_t bucket = now / kTick;
    const std::int64_t span = spec_.scale_down_delay / kTick;
    while (!delay_.empty() && delay_.front().first <= bucket - span)
      delay_.pop_front();
    if (!delay_.empty() && delay_.back().first == bucket) {
      delay_.back().second = std::max(delay_.back().second, desired);
    } else {
      delay_.emplace_back(bucket, desired);
    }
    for (const auto& [b, v] : delay_)
      desired = std::max(desired, v);
  }
  double ebc = -1;
  if (spec_.target_burst_capacity == 0) {
    ebc = 0;
  } else if (spec_.target_burst_capacity > 0) {
    ebc = std::floor(static_cast<double>(ready) * spec_.total_value - spec_.target_burst_capacity -
                     panic);
  }
  return {desired, static_cast<std::int32_t>(ebc)};
}

}  // namespace kt::autoscaling
