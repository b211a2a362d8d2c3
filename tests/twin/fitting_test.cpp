// The fits calibrate relies on, against outside truths: closed forms of the incomplete gamma
// function, distributions binned exactly (the MLE must return their parameters), sampled data
// (within 3 standard errors of the truth, the errors from the MLE's known variances), and a
// diurnal curve under Poisson noise (within 3 of the fit's own standard errors).

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "engine/distribution.hpp"
#include "engine/random.hpp"
#include "models/fitting/bucket_fit.hpp"
#include "models/fitting/diurnal_fit.hpp"
#include "models/workload/arrival_process.hpp"

namespace kt::models {
namespace {

const std::vector<double> kBounds = {0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4,
                                     0.5,   0.75, 1,     1.5, 2,    3,   5,   10};

TEST(RegularizedGamma, MatchesClosedForms) {
  for (double x : {0.01, 0.5, 1.0, 1.9, 2.1, 7.0, 30.0}) {
    EXPECT_NEAR(regularized_gamma_p(1, x), 1 - std::exp(-x), 1e-13) << x;  // exponential
    EXPECT_NEAR(regularized_gamma_p(0.5, x), std::erf(std::sqrt(x)), 1e-13) << x;
    // P(2, x) = 1 - e^-x (1 + x): on both sides of the series / continued fraction switch (x = 3).
    EXPECT_NEAR(regularized_gamma_p(2, x), 1 - std::exp(-x) * (1 + x), 1e-13) << x;
  }
  EXPECT_EQ(regularized_gamma_p(3, 0), 0);
  // The chi-square CDF: 2 degrees of freedom, at the median 2 ln 2.
  EXPECT_NEAR(regularized_gamma_p(1, std::log(2.0)), 0.5, 1e-14);
}

// Requests per bucket that a distribution with this CDF gives, exactly.
std::vector<double> binned(double n, double (*cdf)(double, double, double), double a, double b) {
  std::vector<double> counts;
  double below = 0;
  for (double bound : kBounds) {
    const double c = cdf(bound, a, b);
    counts.push_back(n * (c - below));
    below = c;
  }
  counts.push_back(n * (1 - below));
  return counts;
}

double lognormal_cdf(double x, double mu, double sigma) {
  return 0.5 * std::erfc(-(std::log(x) - mu) / (sigma * std::numbers::sqrt2));
}
double gamma_cdf(double x, double shape, double scale) {
  return regularized_gamma_p(shape, x / scale);
}

TEST(BucketFit, ExactlyBinnedDistributionsGiveTheirParametersAndFamily) {
  // lognormal mean 0.8 s, cv 0.8: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2.
  const double s2 = std::log1p(0.64);
  const std::vector<double> ln = binned(1e6, lognormal_cdf, std::log(0.8) - s2 / 2, std::sqrt(s2));
  const BucketFit a = fit_lognormal(kBounds, ln);
  EXPECT_TRUE(a.converged);
  EXPECT_NEAR(a.mean_s, 0.8, 0.8e-6);
  EXPECT_NEAR(a.cv, 0.8, 0.8e-6);
  EXPECT_NEAR(a.chi2, 0, 1e-6);
  EXPECT_LT(a.aic, fit_gamma(kBounds, ln).aic) << "AIC must pick the lognormal";
  // gamma mean 0.15 s, cv 0.5: shape 4, scale 0.0375.
  const std::vector<double> g = binned(1e6, gamma_cdf, 4, 0.0375);
  const BucketFit b = fit_gamma(kBounds, g);
  EXPECT_TRUE(b.converged);
  EXPECT_NEAR(b.mean_s, 0.15, 0.15e-6);
  EXPECT_NEAR(b.cv, 0.5, 0.5e-6);
  EXPECT_LT(b.aic, fit_lognormal(kBounds, g).aic) << "AIC must pick the gamma";
}

TEST(BucketFit, SampledLognormalWithinThreeStandardErrors) {
  // 40,000 draws of lognormal(0.8 s, cv 0.8), binned. The MLE of mu and sigma^2 have
  // variances sigma^2 / n and 2 sigma^4 / n (unbinned; 16 buckets lose little), so the mean
  // exp(mu + sigma^2 / 2) has relative standard error sqrt((sigma^2 + sigma^4 / 2) / n).
  const Distribution d = Distribution::lognormal(0.8, 0.8);
  RandomStream rng(7, 0, 0);
  std::vector<double> counts(kBounds.size() + 1, 0.0);
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    const double x = d.sample(rng);
    counts[static_cast<std::size_t>(std::lower_bound(kBounds.begin(), kBounds.end(), x) -
                                    kBounds.begin())] += 1;
  }
  const double s2 = std::log1p(0.64);
  const BucketFit f = fit_lognormal(kBounds, counts);
  const double mean_se = 0.8 * std::sqrt((s2 + s2 * s2 / 2) / n);
  EXPECT_NEAR(f.mean_s, 0.8, 3 * mean_se);
  // cv = sqrt(e^{sigma^2} - 1): d cv / d sigma^2 = e^{sigma^2} / (2 cv).
  const double cv_se = std::exp(s2) / (2 * 0.8) * std::sqrt(2 * s2 * s2 / n);
  EXPECT_NEAR(f.cv, 0.8, 3 * cv_se);
  EXPECT_GT(f.p_value, 0.001) << "the true family passes the chi-square test";
  EXPECT_LT(fit_gamma(kBounds, counts).p_value, 1e-6) << "the wrong family fails it";
}

TEST(DiurnalFit, RecoversACurveUnderPoissonNoise) {
  // A day of a diurnal Poisson process (mean 15/s, amplitude 0.6, peak at 14:00), counted per
  // minute, as Prometheus's rate() over 1-minute windows would give it.
  ArrivalConfig c;
  c.process = ArrivalConfig::Process::diurnal;
  c.rate_per_s = 15;
  c.amplitude = 0.6;
  c.period = kDay;
  c.phase = std::numbers::pi / 2 - 2 * std::numbers::pi * 14.0 / 24;
  ArrivalProcess p(c);
  RandomStream rng(11, 0, 0);
  std::vector<double> per_minute(1440, 0.0);
  for (SimTime t = p.next(0, rng); t < kDay; t = p.next(t, rng))
    per_minute[static_cast<std::size_t>(t / kMinute)] += 1;
  std::vector<double> mid, rates;
  for (std::size_t i = 0; i < per_minute.size(); ++i) {
    mid.push_back(60.0 * static_cast<double>(i) + 30);
    rates.push_back(per_minute[i] / 60);
  }
  const DiurnalFit f = fit_diurnal(mid, rates, 86400, 60);
  EXPECT_NEAR(f.mean, 15, 3 * f.mean_se);
  EXPECT_NEAR(f.amplitude, 0.6, 3 * f.amplitude_se);
  // The phase's standard error is the amplitude's relative one (a sinusoid's two components
  // have the same variance): in seconds, divided by the angular frequency.
  const double peak_se = f.amplitude_se / f.amplitude / (2 * std::numbers::pi / 86400);
  EXPECT_NEAR(f.peak_s, 14 * 3600.0, 3 * peak_se);
  // What is left is the counting noise: its RMSE within 3 standard errors (1/sqrt(2n)) of it.
  EXPECT_NEAR(f.rmse / f.noise_rmse, 1, 3 / std::sqrt(2.0 * 1440));
  EXPECT_FALSE(f.clamped);
}

}  // namespace
}  // namespace kt::models
