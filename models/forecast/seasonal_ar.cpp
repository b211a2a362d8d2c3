#include "models/forecast/seasonal_ar.hpp"

#include <Eigen/Dense>
#include <algorithm>

namespace kt::forecast {

SeasonalAr::SeasonalAr(std::size_t season_bins, std::size_t max_history)
    : season_(season_bins), max_history_(std::max<std::size_t>(max_history, 8)) {}

void SeasonalAr::observe(double value) {
  history_.push_back(value);
  if (history_.size() > max_history_) history_.pop_front();
}

double SeasonalAr::forecast(std::size_t horizon) const {
  const std::size_t n = history_.size();
  if (n == 0) return 0;
  const double last = history_.back();
  // The seasonal term needs the value one season before the target: only once a whole
  // season (plus the horizon) has been observed.
  const bool seasonal = season_ > horizon && n > season_ + 2;
  const std::size_t first = seasonal ? season_ - horizon : 1;  // first k with all features
  if (n < first + horizon + 8) return last;
  const std::size_t rows = n - horizon - first;
  const int cols = seasonal ? 4 : 3;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows), cols);
  Eigen::VectorXd y(static_cast<Eigen::Index>(rows));
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t k = first + r;
    const auto row = static_cast<Eigen::Index>(r);
    x(row, 0) = 1.0;
    x(row, 1) = history_[k];
    x(row, 2) = history_[k - 1];
    if (seasonal) x(row, 3) = history_[k + horizon - season_];
    y(row) = history_[k + horizon];
  }
  const Eigen::VectorXd coef = x.colPivHouseholderQr().solve(y);
  double f = coef(0) + coef(1) * history_[n - 1] + coef(2) * history_[n - 2];
  if (seasonal) f += coef(3) * history_[n - 1 + horizon - season_];
  if (!(f >= 0)) f = 0;  // also catches NaN from a degenerate fit
  return f;
}

}  // namespace kt::forecast
