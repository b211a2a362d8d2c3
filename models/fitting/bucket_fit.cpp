#include "models/fitting/bucket_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>

namespace kt::models {

double regularized_gamma_p(double a, double x) {
  if (x <= 0) return 0;
  const double log_front = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1) {  // the series converges fast here
    double term = 1 / a, sum = term;
    for (int n = 1; n < 10000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::abs(term) < std::abs(sum) * 1e-16) break;
    }
    return std::min(1.0, sum * std::exp(log_front));
  }
  // Q(a, x) by its continued fraction, evaluated with the modified Lentz method.
  constexpr double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::abs(step - 1) < 1e-16) break;
  }
  return std::max(0.0, 1 - std::exp(log_front) * h);
}

namespace {

using Cdf = std::function<double(double)>;

double log_likelihood(const std::vector<double>& bounds, const std::vector<double>& counts,
                      const Cdf& cdf) {
  double ll = 0, below = 0;
  for (std::size_t j = 0; j < counts.size(); ++j) {
    const double upper = j < bounds.size() ? cdf(bounds[j]) : 1.0;
    const double p = upper - below;
    below = upper;
    if (counts[j] <= 0) continue;
    if (!(p > 0)) return -std::numeric_limits<double>::infinity();
    ll += counts[j] * std::log(p);
  }
  return ll;
}

// Nelder-Mead on two parameters (standard coefficients 1, 2, 0.5, 0.5).
std::array<double, 2> minimise(const std::function<double(const std::array<double, 2>&)>& f,
                               std::array<double, 2> start, bool& converged) {
  std::array<std::array<double, 2>, 3> p = {start, std::array<double, 2>{start[0] + 0.1, start[1]},
                                            std::array<double, 2>{start[0], start[1] + 0.1}};
  std::array<double, 3> v = {f(p[0]), f(p[1]), f(p[2])};
  converged = false;
  for (int iter = 0; iter < 5000; ++iter) {
    std::array<int, 3> order = {0, 1, 2};
    std::sort(order.begin(), order.end(), [&](int a, int b) { return v[a] < v[b]; });
    const auto best = p[order[0]], mid = p[order[1]], worst = p[order[2]];
    const double fb = v[order[0]], fm = v[order[1]], fw = v[order[2]];
    if (std::abs(fw - fb) <= 1e-12 * (std::abs(fb) + 1e-12) &&
        std::hypot(worst[0] - best[0], worst[1] - best[1]) < 1e-9) {
      converged = true;
      return best;
    }
    const std::array<double, 2> centre = {(best[0] + mid[0]) / 2, (best[1] + mid[1]) / 2};
    const auto along = [&](double t) {
      return std::array<double, 2>{centre[0] + t * (worst[0] - centre[0]),
                                   centre[1] + t * (worst[1] - centre[1])};
    };
    const auto reflected = along(-1);
    const double fr = f(reflected);
    auto& w = p[order[2]];
    double& fwv = v[order[2]];
    if (fr < fb) {
      const auto expanded = along(-2);
      const double fe = f(expanded);
      if (fe < fr) {
        w = expanded, fwv = fe;
      } else {
        w = reflected, fwv = fr;
      }
    } else if (fr < fm) {
      w = reflected, fwv = fr;
    } else {
      const auto contracted = fr < fw ? along(-0.5) : along(0.5);
      const double fc = f(contracted);
      if (fc < std::min(fr, fw)) {
        w = contracted, fwv = fc;
      } else {  // shrink towards the best
        for (int k : {order[1], order[2]}) {
          p[k] = {best[0] + 0.5 * (p[k][0] - best[0]), best[1] + 0.5 * (p[k][1] - best[1])};
          v[k] = f(p[k]);
        }
      }
    }
  }
  const auto it = std::min_element(v.begin(), v.end());
  return p[static_cast<std::size_t>(it - v.begin())];
}

// The bound below which a share q of the requests fall, interpolated in log time.
double quantile_of(const std::vector<double>& bounds, const std::vector<double>& counts, double q) {
  double total = 0;
  for (double c : counts)
    total += c;
  double below = 0, low = bounds.front() / 2;
  for (std::size_t j = 0; j < bounds.size(); ++j) {
    const double next = below + counts[j];
    if (next >= q * total && counts[j] > 0) {
      const double f = (q * total - below) / counts[j];
      return std::exp(std::log(low) + f * (std::log(bounds[j]) - std::log(low)));
    }
    below = next;
    low = bounds[j];
  }
  return bounds.back() * 2;
}

void goodness(const std::vector<double>& bounds, const std::vector<double>& counts, const Cdf& cdf,
              BucketFit& fit) {
  double total = 0;
  for (double c : counts)
    total += c;
  double observed = 0, expected = 0, below_cdf = 0, seen = 0;
  int groups = 0;
  for (std::size_t j = 0; j < counts.size(); ++j) {
    const double upper = j < bounds.size() ? cdf(bounds[j]) : 1.0;
    observed += counts[j];
    expected += (upper - below_cdf) * total;
    below_cdf = upper;
    seen += counts[j];
    if (j < bounds.size())
      fit.max_cdf_gap = std::max(fit.max_cdf_gap, std::abs(seen / total - upper));
    const bool last = j + 1 == counts.size();
    if (expected >= 5 || last) {
      if (expected > 0) {
        fit.chi2 += (observed - expected) * (observed - expected) / expected;
        ++groups;
      }
      observed = expected = 0;
    }
  }
  fit.dof = std::max(groups - 1 - 2, 0);
  fit.p_value = fit.dof > 0 ? 1 - regularized_gamma_p(fit.dof / 2.0, fit.chi2 / 2) : 0;
}

}  // namespace

BucketFit fit_lognormal(const std::vector<double>& bounds, const std::vector<double>& counts) {
  BucketFit fit;
  fit.family = "lognormal";
  const double median = quantile_of(bounds, counts, 0.5);
  const double iqr =
      std::log(quantile_of(bounds, counts, 0.75) / quantile_of(bounds, counts, 0.25));
  const auto cdf_of = [](double mu, double sigma) {
    return
        [=](double x) { return 0.5 * std::erfc(-(std::log(x) - mu) / (sigma * std::sqrt(2.0))); };
  };
  const auto nll = [&](const std::array<double, 2>& p) {
    return -log_likelihood(bounds, counts, cdf_of(p[0], std::exp(p[1])));
  };
  const auto best =
      minimise(nll, {std::log(median), std::log(std::max(iqr / 1.349, 0.05))}, fit.converged);
  const double mu = best[0], sigma = std::exp(best[1]);
  fit.mean_s = std::exp(mu + sigma * sigma / 2);
  fit.cv = std::sqrt(std::expm1(sigma * sigma));
  fit.log_likelihood = -nll(best);
  fit.aic = 4 - 2 * fit.log_likelihood;
  goodness(bounds, counts, cdf_of(mu, sigma), fit);
  return fit;
}

BucketFit fit_gamma(const std::vector<double>& bounds, const std::vector<double>& counts) {
  BucketFit fit;
  fit.family = "gamma";
  // Start from the lognormal's moments: a gamma with the same mean and cv.
  const BucketFit ln = fit_lognormal(bounds, counts);
  const double shape0 = 1 / std::max(ln.cv * ln.cv, 1e-4);
  const auto cdf_of = [](double shape, double scale) {
    return [=](double x) { return regularized_gamma_p(shape, x / scale); };
  };
  const auto nll = [&](const std::array<double, 2>& p) {
    return -log_likelihood(bounds, counts, cdf_of(std::exp(p[0]), std::exp(p[1])));
  };
  const auto best = minimise(nll, {std::log(shape0), std::log(ln.mean_s / shape0)}, fit.converged);
  const double shape = std::exp(best[0]), scale = std::exp(best[1]);
  fit.mean_s = shape * scale;
  fit.cv = 1 / std::sqrt(shape);
  fit.log_likelihood = -nll(best);
  fit.aic = 4 - 2 * fit.log_likelihood;
  goodness(bounds, counts, cdf_of(shape, scale), fit);
  return fit;
}

}  // namespace kt::models
