#include "models/fitting/diurnal_fit.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <numbers>

namespace kt::models {

DiurnalFit fit_diurnal(const std::vector<double>& times_s, const std::vector<double>& rates,
                       double period_s, double step_s) {
  DiurnalFit fit;
  fit.period_s = period_s;
  std::vector<std::size_t> used;
  for (std::size_t i = 0; i < rates.size(); ++i)
    if (std::isfinite(rates[i])) used.push_back(i);
  const auto n = static_cast<Eigen::Index>(used.size());
  fit.intervals = static_cast<int>(n);
  if (n < 4) return fit;
  const double omega = 2 * std::numbers::pi / period_s;
  Eigen::MatrixXd x(n, 3);
  Eigen::VectorXd y(n);
  for (Eigen::Index k = 0; k < n; ++k) {
    const double t = times_s[used[static_cast<std::size_t>(k)]];
    x(k, 0) = 1;
    x(k, 1) = std::sin(omega * t);
    x(k, 2) = std::cos(omega * t);
    y(k) = rates[used[static_cast<std::size_t>(k)]];
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  const Eigen::Vector3d beta = qr.solve(y);
  const Eigen::VectorXd residual = y - x * beta;
  const double sse = residual.squaredNorm();
  const double mean_y = y.mean();
  const double sst = (y.array() - mean_y).square().sum();
  fit.rmse = std::sqrt(sse / static_cast<double>(n));
  fit.r2 = sst > 0 ? 1 - sse / sst : 0;
  double noise = 0;
  for (Eigen::Index k = 0; k < n; ++k)
    noise += std::max(y(k), 0.0) / step_s;
  fit.noise_rmse = std::sqrt(noise / static_cast<double>(n));
  // b sin + c cos = R sin(wt + phase), R = hypot(b, c), phase = atan2(c, b).
  const double a = beta(0), b = beta(1), c = beta(2);
  const double r = std::hypot(b, c);
  fit.mean = a;
  fit.amplitude = a > 0 ? r / a : 0;
  fit.phase = std::atan2(c, b);
  if (fit.amplitude > 1) {
    fit.amplitude = 1;
    fit.clamped = true;
  }
  fit.peak_s = std::fmod((std::numbers::pi / 2 - fit.phase) / omega + period_s, period_s);
  // Covariance sigma^2 (X'X)^-1; the amplitude's error by the delta method.
  const double sigma2 = n > 3 ? sse / static_cast<double>(n - 3) : 0;
  const Eigen::Matrix3d cov = sigma2 * (x.transpose() * x).inverse();
  fit.mean_se = std::sqrt(cov(0, 0));
  if (a > 0 && r > 0) {
    const Eigen::Vector3d grad(-r / (a * a), b / (r * a), c / (r * a));
    fit.amplitude_se = std::sqrt(grad.transpose() * cov * grad);
  }
  return fit;
}

}  // namespace kt::models
