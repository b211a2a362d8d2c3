#pragma once
// Keep-alive policies of serverless platforms: how long a function's warm instances stay
// loaded after it goes idle, and whether one is loaded again before the next invocation.
//   fixed:D   an idle instance lives D after its last request (AWS Lambda's 10 min, Azure
//             Functions' 20 min; Knative's scale-to-zero-pod-retention and scale-down-delay);
//   none      unloaded as soon as the platform allows (Knative: after its grace period);
//   hybrid    the hybrid histogram policy of Shahrad et al., "Serverless in the Wild: Charac-
//             terizing and Optimizing the Serverless Workload at a Large Cloud Provider"
//             (USENIX ATC 2020, section 4): per function, a histogram of idle times decides
//             a pre-warm window and a keep-alive window (HybridHistogram below).
// docs/models/serverless.md, "Keep-alive", states the parameters and where each comes from.

#include <cstdint>
#include <vector>

#include "engine/time.hpp"

namespace kt::serverless {

struct HybridHistogramParams {
  SimTime range = 4 * kHour;  // the histogram covers idle times up to this
  SimTime bin = kMinute;      // its bins
  double head_percentile = 0.05;
  double tail_percentile = 0.99;
  double margin = 0.10;  // pre-warm earlier and keep alive longer by this share
  // A histogram whose bin counts vary less than this (coefficient of variation) says no
  // more than "idle times are spread out": the standard keep-alive applies.
  double cv_threshold = 2.0;
  // Idle times out of range in more than this share of the observations: the next idle
  // time is forecast from the recent ones instead.
  double oob_share = 0.5;
  double forecast_margin = 0.15;  // the forecast's window: [1 - m, 1 + m] x the forecast
  double forecast_weight = 0.3;   // weight of the newest idle time in the forecast (EWMA)
};

struct KeepAliveConfig {
  enum class Kind : std::uint8_t {
    platform,  // what the platform and the manifests declare (no keepAlive knob)
    none,
    fixed,
    hybrid_histogram,
  };
  Kind kind = Kind::platform;
  SimTime duration = 0;  // fixed
  HybridHistogramParams hybrid;
};

// What to do with a function that just went idle: unload it at once when prewarm > 0 and
// load it again `prewarm` after the idle period began; keep it loaded until
// prewarm + keep_alive after that (for ever when keep_alive is kTimeMax).
struct KeepAliveWindows {
  SimTime prewarm = 0;
  SimTime keep_alive = 0;
  enum class Basis : std::uint8_t { standard, histogram, forecast };
  Basis basis = Basis::standard;
};

// The hybrid histogram policy's per-function state: idle times observed so far.
class HybridHistogram {
 public:
  explicit HybridHistogram(const HybridHistogramParams& params);
  // An idle period (the end of one invocation to the start of the next) of length `idle`.
  void observe(SimTime idle);
  // The windows for the idle period starting now.
  KeepAliveWindows windows() const;
  std::uint64_t observations() const { return in_range_ + out_of_range_; }
  // The coefficient of variation of the bin counts (0 with no observation in range).
  double bin_cv() const;

 private:
  SimTime percentile_edge(double q, bool upper) const;
  HybridHistogramParams p_;
  std::vector<std::uint32_t> bins_;
  std::uint64_t in_range_ = 0;
  std::uint64_t out_of_range_ = 0;
  double forecast_s_ = 0;  // EWMA of idle times, seconds
};

}  // namespace kt::serverless
