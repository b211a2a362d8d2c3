#pragma once
// The request-rate forecaster behind predictive scaling: a seasonal autoregression fitted by
// least squares (Eigen) on the observed rate,
//   y[k+h] ~ a + b y[k] + c y[k-1] + d y[k+h-s],
// where s is the season (one day by default) and h the horizon. Chosen over Holt-Winters
// because it needs no initialisation of seasonal indices, adapts its weights to the data
// (a steady series learns b ~ 1, a strongly seasonal one leans on d), and refits in
// microseconds on a day of 15-second bins. docs/models/cluster.md discusses the choice.

#include <cstddef>
#include <deque>

namespace kt::forecast {

class SeasonalAr {
 public:
  // `season_bins`: bins per season (0: no seasonal term); `max_history`: bins kept.
  SeasonalAr(std::size_t season_bins, std::size_t max_history);

  void observe(double value);
  std::size_t size() const { return history_.size(); }
  // The forecast `horizon` bins after the last observation (never negative). Until there
  // are enough observations to fit, the last one (persistence).
  double forecast(std::size_t horizon) const;

 private:
  std::size_t season_;
  std::size_t max_history_;
  std::deque<double> history_;
};

}  // namespace kt::forecast
