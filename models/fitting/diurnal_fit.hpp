#pragma once
// A diurnal rate curve fitted to an observed request rate by least squares:
// rate(t) = mean * (1 + amplitude * sin(2 pi t / period + phase)), linear in
// (mean, mean*amplitude*cos(phase), mean*amplitude*sin(phase)), solved by QR (Eigen).

#include <vector>

namespace kt::models {

struct DiurnalFit {
  double mean = 0;       // requests per second
  double amplitude = 0;  // relative, 0..1 (clamped; `clamped` says so)
  double phase = 0;      // radians
  double peak_s = 0;     // the time of the maximum within a period, seconds after t = 0
  double period_s = 0;
  double mean_se = 0, amplitude_se = 0;  // standard errors from the least-squares covariance
  double rmse = 0;                       // root mean square residual, requests per second
  // The residual a perfect fit would still have: Poisson counting noise of the observed
  // rates over their intervals, sqrt(mean over intervals of rate / step).
  double noise_rmse = 0;
  double r2 = 0;  // share of the rate's variance the curve explains
  bool clamped = false;
  int intervals = 0;
};

// `times_s`: the middle of each interval, seconds from the window's start; `rates`: the
// observed requests per second there (NaN entries are left out); `step_s`: the intervals'
// length. Needs at least four finite points.
DiurnalFit fit_diurnal(const std::vector<double>& times_s, const std::vector<double>& rates,
                       double period_s, double step_s);

}  // namespace kt::models
