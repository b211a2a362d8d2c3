#include "models/serverless/keep_alive.hpp"

#include <cmath>

namespace kt::serverless {

HybridHistogram::HybridHistogram(const HybridHistogramParams& params)
    : p_(params),
      bins_(static_cast<std::size_t>((params.range + params.bin - 1) / params.bin), 0) {}

void HybridHistogram::observe(SimTime idle) {
  if (idle < 0) idle = 0;
  const double s = to_seconds(idle);
  forecast_s_ =
      observations() == 0 ? s : p_.forecast_weight * s + (1 - p_.forecast_weight) * forecast_s_;
  if (idle >= p_.range) {
    ++out_of_range_;
    return;
  }
  ++bins_[static_cast<std::size_t>(idle / p_.bin)];
  ++in_range_;
}

double HybridHistogram::bin_cv() const {
  if (in_range_ == 0) return 0;
  const double n = static_cast<double>(bins_.size());
  const double mean = static_cast<double>(in_range_) / n;
  double sq = 0;
  for (std::uint32_t c : bins_)
    sq += (c - mean) * (c - mean);
  return std::sqrt(sq / n) / mean;
}

// The lower (or upper) edge of the bin holding the q-th quantile of the in-range idle times.
SimTime HybridHistogram::percentile_edge(double q, bool upper) const {
  const double rank = q * static_cast<double>(in_range_);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < bins_.size(); ++b) {
    seen += bins_[b];
    if (static_cast<double>(seen) >= rank && seen > 0) {
      return static_cast<SimTime>(upper ? b + 1 : b) * p_.bin;
    }
  }
  return p_.range;
}

KeepAliveWindows HybridHistogram::windows() const {
  KeepAliveWindows w;
  // Standard keep-alive (not enough known): no pre-warm, loaded for the histogram's range.
  w.keep_alive = p_.range;
  if (observations() == 0) return w;
  if (static_cast<double>(out_of_range_) > p_.oob_share * static_cast<double>(observations())) {
    // Idle times mostly beyond the range: a forecast of the next one, with its margin.
    const auto forecast = static_cast<SimTime>(forecast_s_ * 1e9);
    w.basis = KeepAliveWindows::Basis::forecast;
    w.prewarm = static_cast<SimTime>(static_cast<double>(forecast) * (1 - p_.forecast_margin));
    w.keep_alive = static_cast<SimTime>(static_cast<double>(forecast) * 2 * p_.forecast_margin);
    return w;
  }
  if (bin_cv() <= p_.cv_threshold) return w;
  w.basis = KeepAliveWindows::Basis::histogram;
  const SimTime head = percentile_edge(p_.head_percentile, false);
  const SimTime tail = percentile_edge(p_.tail_percentile, true);
  w.prewarm = static_cast<SimTime>(static_cast<double>(head) * (1 - p_.margin));
  w.keep_alive = static_cast<SimTime>(static_cast<double>(tail) * (1 + p_.margin)) - w.prewarm;
  return w;
}

}  // namespace kt::serverless
