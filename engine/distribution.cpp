#include "engine/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "engine/det_math.hpp"

namespace kt {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

bool finite(double x) {
  return std::isfinite(x);
}

// Ziggurat tables for exp(-x): layer i covers [0, x_i) with equal areas. The base strip's
// right edge r and the common area v are the values published by Marsaglia & Tsang (2000).
struct ExponentialZiggurat {
  static constexpr int kLayers = 256;
  static constexpr double kR = 7.697117470131487;
  static constexpr double kV = 3.949659822581572e-3;
  std::uint32_t k[kLayers];  // acceptance thresholds on the 32-bit magnitude
  double w[kLayers];         // magnitude to x
  double f[kLayers];         // exp(-x_i)

  ExponentialZiggurat() {
    constexpr double m = 4294967296.0;  // 2^32
    double de = kR;
    double te = kR;
    const double q = kV / det_exp(-de);
    k[0] = static_cast<std::uint32_t>((de / q) * m);
    k[1] = 0;
    w[0] = q / m;
    w[kLayers - 1] = de / m;
    f[0] = 1.0;
    f[kLayers - 1] = det_exp(-de);
    for (int i = kLayers - 2; i >= 1; --i) {
      de = -det_log(kV / de + det_exp(-de));
      k[i + 1] = static_cast<std::uint32_t>((de / te) * m);
      te = de;
      f[i] = det_exp(-de);
      w[i] = de / m;
    }
  }
};

const ExponentialZiggurat kExponentialZiggurat;

}  // namespace

Distribution Distribution::deterministic(double value) {
  require(finite(value), "deterministic value must be finite");
  return {DistributionKind::kDeterministic, value, 0};
}

Distribution Distribution::exponential(double mean) {
  require(finite(mean) && mean > 0, "exponential mean must be positive");
  return {DistributionKind::kExponential, mean, 0};
}

Distribution Distribution::uniform(double low, double high) {
  require(finite(low) && finite(high) && low <= high, "uniform needs finite low <= high");
  return {DistributionKind::kUniform, low, high};
}

Distribution Distribution::normal(double mean, double stddev) {
  require(finite(mean) && finite(stddev) && stddev >= 0, "normal needs a finite stddev >= 0");
  return {DistributionKind::kNormal, mean, stddev};
}

Distribution Distribution::lognormal(double mean, double cv) {
  require(finite(mean) && mean > 0 && finite(cv) && cv > 0, "lognormal needs mean > 0, cv > 0");
  // For X = e^(mu + sigma Z): E[X] = e^(mu + sigma^2/2), CV^2 = e^(sigma^2) - 1.
  const double sigma2 = det_log(1.0 + cv * cv);
  return {DistributionKind::kLognormal, det_log(mean) - sigma2 / 2, std::sqrt(sigma2)};
}

Distribution Distribution::gamma(double mean, double cv) {
  require(finite(mean) && mean > 0 && finite(cv) && cv > 0, "gamma needs mean > 0, cv > 0");
  return {DistributionKind::kGamma, 1.0 / (cv * cv), mean * cv * cv};
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights,
                                     bool interpolate) {
  require(!values.empty(), "empirical distribution needs at least one value");
  require(std::all_of(values.begin(), values.end(), finite), "empirical values must be finite");
  if (weights.empty()) weights.assign(values.size(), 1.0);
  require(weights.size() == values.size(), "empirical needs one weight per value");
  require(std::all_of(weights.begin(), weights.end(), [](double w) { return finite(w) && w >= 0; }),
          "empirical weights must be finite and >= 0");
  require(!interpolate || std::all_of(weights.begin(), weights.end(),
                                      [&](double w) { return w == weights.front(); }),
          "an interpolated empirical distribution takes no weights");
  require(!interpolate || values.size() >= 2, "an interpolated empirical needs two values");

  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });
  auto table = std::make_shared<Table>();
  table->interpolate = interpolate;
  double running = 0;
  for (std::size_t i : order) {
    table->values.push_back(values[i]);
    running += weights[i];
    table->cumulative.push_back(running);
  }
  require(running > 0, "empirical weights must not all be zero");
  Distribution d{DistributionKind::kEmpirical, 0, 0};
  d.table_ = std::move(table);
  return d;
}

Distribution Distribution::piecewise_linear_cdf(std::vector<double> xs, std::vector<double> cdf) {
  require(xs.size() >= 2 && cdf.size() == xs.size(),
          "a piecewise-linear CDF needs two points or more, one CDF value per point");
  require(std::all_of(xs.begin(), xs.end(), finite) && std::all_of(cdf.begin(), cdf.end(), finite),
          "a piecewise-linear CDF's points must be finite");
  require(std::is_sorted(xs.begin(), xs.end()) && std::is_sorted(cdf.begin(), cdf.end()) &&
              cdf.front() >= 0 && cdf.back() > 0,
          "a piecewise-linear CDF needs ascending points and a non-decreasing CDF from >= 0");
  auto table = std::make_shared<Table>();
  table->values = std::move(xs);
  table->cumulative = std::move(cdf);
  table->interpolate = true;
  table->gap_weighted = true;
  Distribution d{DistributionKind::kEmpirical, 0, 0};
  d.table_ = std::move(table);
  return d;
}

double sample_standard_exponential(RandomStream& rng) {
  const ExponentialZiggurat& z = kExponentialZiggurat;
  for (;;) {
    // Layer and magnitude from disjoint bits of one draw, so they are independent.
    const std::uint64_t bits = rng.next_u64();
    const auto layer = static_cast<unsigned>(bits & 0xFF);
    const auto magnitude = static_cast<std::uint32_t>(bits >> 32);
    const double x = magnitude * z.w[layer];
    if (magnitude < z.k[layer]) return x;  // inside the layer's rectangle: ~98 % of draws
    if (layer == 0) return ExponentialZiggurat::kR - det_log(rng.next_open_double());  // tail
    // In the wedge between the rectangle and the curve: accept under exp(-x).
    const double y = z.f[layer] + rng.next_double() * (z.f[layer - 1] - z.f[layer]);
    if (y < det_exp(-x)) return x;
  }
}

double sample_standard_normal(RandomStream& rng) {
  for (;;) {
    const double u = 2.0 * rng.next_double() - 1.0;
    const double v = 2.0 * rng.next_double() - 1.0;
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * std::sqrt(-2.0 * det_log(s) / s);
  }
}

double sample_gamma(RandomStream& rng, double shape) {
  if (shape < 1) {
    // Gamma(a) = Gamma(a + 1) * U^(1/a).
    const double boost = det_exp(det_log(rng.next_open_double()) / shape);
    return sample_gamma(rng, shape + 1) * boost;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x;
    double v;
    do {
      x = sample_standard_normal(rng);
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng.next_open_double();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (det_log(u) < 0.5 * x2 + d * (1.0 - v + det_log(v))) return d * v;
  }
}

double Distribution::sample(RandomStream& rng) const {
  switch (kind_) {
    case DistributionKind::kDeterministic:
      return a_;
    case DistributionKind::kExponential:
      return a_ * sample_standard_exponential(rng);
    case DistributionKind::kUniform:
      return a_ + (b_ - a_) * rng.next_double();
    case DistributionKind::kNormal:
      return a_ + b_ * sample_standard_normal(rng);
    case DistributionKind::kLognormal:
      return det_exp(a_ + b_ * sample_standard_normal(rng));
    case DistributionKind::kGamma:
      return b_ * sample_gamma(rng, a_);
    case DistributionKind::kEmpirical: {
      const Table& t = *table_;
      if (t.gap_weighted) {
        // The gap whose CDF range holds u, then u's place within it.
        const double u =
            t.cumulative.front() + rng.next_double() * (t.cumulative.back() - t.cumulative.front());
        const auto it = std::upper_bound(t.cumulative.begin() + 1, t.cumulative.end(), u);
        const auto j = std::min<std::size_t>(it - t.cumulative.begin(), t.values.size() - 1);
        const double mass = t.cumulative[j] - t.cumulative[j - 1];
        const double frac = mass > 0 ? (u - t.cumulative[j - 1]) / mass : 0;
        return t.values[j - 1] + frac * (t.values[j] - t.values[j - 1]);
      }
      if (t.interpolate) {
        const double pos = rng.next_double() * static_cast<double>(t.values.size() - 1);
        const auto i = static_cast<std::size_t>(pos);
        const double frac = pos - static_cast<double>(i);
        return t.values[i] + frac * (t.values[i + 1] - t.values[i]);
      }
      const double u = rng.next_double() * t.cumulative.back();
      const auto it = std::upper_bound(t.cumulative.begin(), t.cumulative.end(), u);
      const auto i = std::min<std::size_t>(it - t.cumulative.begin(), t.values.size() - 1);
      return t.values[i];
    }
  }
  return 0;
}

double Distribution::mean() const {
  switch (kind_) {
    case DistributionKind::kDeterministic:
    case DistributionKind::kExponential:
    case DistributionKind::kNormal:
      return a_;
    case DistributionKind::kUniform:
      return (a_ + b_) / 2;
    case DistributionKind::kLognormal:
      return std::exp(a_ + b_ * b_ / 2);
    case DistributionKind::kGamma:
      return a_ * b_;
    case DistributionKind::kEmpirical:
      break;
  }
  const Table& t = *table_;
  double sum = 0;
  if (t.gap_weighted) {
    for (std::size_t i = 0; i + 1 < t.values.size(); ++i)
      sum += (t.cumulative[i + 1] - t.cumulative[i]) * (t.values[i] + t.values[i + 1]) / 2;
    return sum / (t.cumulative.back() - t.cumulative.front());
  }
  if (t.interpolate) {
    for (std::size_t i = 0; i + 1 < t.values.size(); ++i)
      sum += (t.values[i] + t.values[i + 1]) / 2;
    return sum / static_cast<double>(t.values.size() - 1);
  }
  double previous = 0;
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    sum += (t.cumulative[i] - previous) * t.values[i];
    previous = t.cumulative[i];
  }
  return sum / t.cumulative.back();
}

double Distribution::variance() const {
  switch (kind_) {
    case DistributionKind::kDeterministic:
      return 0;
    case DistributionKind::kExponential:
      return a_ * a_;
    case DistributionKind::kUniform:
      return (b_ - a_) * (b_ - a_) / 12;
    case DistributionKind::kNormal:
      return b_ * b_;
    case DistributionKind::kLognormal:
      return std::expm1(b_ * b_) * std::exp(2 * a_ + b_ * b_);
    case DistributionKind::kGamma:
      return a_ * b_ * b_;
    case DistributionKind::kEmpirical:
      break;
  }
  const Table& t = *table_;
  const double mu = mean();
  double second = 0;  // E[X^2]
  if (t.gap_weighted) {
    for (std::size_t i = 0; i + 1 < t.values.size(); ++i) {
      const double a = t.values[i];
      const double b = t.values[i + 1];
      second += (t.cumulative[i + 1] - t.cumulative[i]) * (a * a + a * b + b * b) / 3;
    }
    second /= t.cumulative.back() - t.cumulative.front();
  } else if (t.interpolate) {
    // Each gap [a, b] is a uniform segment: E[X^2] = (a^2 + ab + b^2) / 3.
    for (std::size_t i = 0; i + 1 < t.values.size(); ++i) {
      const double a = t.values[i];
      const double b = t.values[i + 1];
      second += (a * a + a * b + b * b) / 3;
    }
    second /= static_cast<double>(t.values.size() - 1);
  } else {
    double previous = 0;
    for (std::size_t i = 0; i < t.values.size(); ++i) {
      second += (t.cumulative[i] - previous) * t.values[i] * t.values[i];
      previous = t.cumulative[i];
    }
    second /= t.cumulative.back();
  }
  return second - mu * mu;
}

std::string Distribution::describe() const {
  std::ostringstream out;
  switch (kind_) {
    case DistributionKind::kDeterministic:
      out << "deterministic(" << a_ << ")";
      break;
    case DistributionKind::kExponential:
      out << "exponential(mean=" << a_ << ")";
      break;
    case DistributionKind::kUniform:
      out << "uniform(" << a_ << ", " << b_ << ")";
      break;
    case DistributionKind::kNormal:
      out << "normal(mean=" << a_ << ", stddev=" << b_ << ")";
      break;
    case DistributionKind::kLognormal:
      out << "lognormal(mu=" << a_ << ", sigma=" << b_ << ")";
      break;
    case DistributionKind::kGamma:
      out << "gamma(shape=" << a_ << ", scale=" << b_ << ")";
      break;
    case DistributionKind::kEmpirical:
      out << "empirical(" << table_->values.size() << " values"
          << (table_->gap_weighted  ? ", piecewise-linear CDF)"
              : table_->interpolate ? ", interpolated)"
                                    : ")");
      break;
  }
  return out.str();
}

}  // namespace kt
