// Predictive scaling: the seasonal autoregression forecasts a periodic rate, and provisioning
// ahead of the forecast beats the reactive HPA on tail latency for a diurnal workload.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "engine/replication.hpp"
#include "models/cluster/fleet_model.hpp"
#include "models/forecast/seasonal_ar.hpp"

namespace kt {
namespace {

TEST(SeasonalAr, PersistenceUntilItCanFit) {
  forecast::SeasonalAr f(40, 1000);
  EXPECT_EQ(f.forecast(4), 0.0);
  f.observe(5.0);
  EXPECT_EQ(f.forecast(4), 5.0);
}

TEST(SeasonalAr, ForecastsASinusoidAheadFromPastSeasons) {
  // A rate with period 40 bins; after three seasons the forecast 4 bins ahead must follow
  // the curve to within 2 % of its range, where persistence would be off by far more.
  const auto rate = [](int k) {
    return 20.0 * (1.0 + 0.9 * std::sin(2 * std::numbers::pi * k / 40.0));
  };
  forecast::SeasonalAr f(40, 1000);
  for (int k = 0; k < 120; ++k)
    f.observe(rate(k));
  double worst = 0;
  double worst_persistence = 0;
  for (int k = 120; k < 160; ++k) {
    worst = std::max(worst, std::abs(f.forecast(4) - rate(k - 1 + 4)));
    worst_persistence = std::max(worst_persistence, std::abs(rate(k - 1) - rate(k - 1 + 4)));
    f.observe(rate(k));
  }
  EXPECT_LT(worst, 0.02 * 36.0);
  EXPECT_GT(worst_persistence, 5.0);
}

// One region, an HPA-managed Deployment (target 80 % CPU, scale-down window cut to 30 s so
// that it follows the load down, as teams tune it for cost), a diurnal load with a 10-minute
// period swinging between 2 and 38 requests/s of 200 ms each, pods that take 30 s to start.
// The reactive HPA meets every ramp late; the predictive one starts pods a start-up ahead.
models::FleetConfig diurnal_config(bool predictive) {
  models::FleetConfig c;
  c.duration = 2 * kHour;
  c.warmup = 40 * kMinute;
  c.places = {{"us-east", false}};
  models::NodePoolConfig pool;
  pool.name = "general";
  pool.count = 10;
  pool.cpu_milli = 8000;
  pool.memory_bytes = 32LL << 30;
  c.pools = {pool};
  models::FleetDeployment d;
  d.name = "Deployment/web";
  d.cpu_milli = 500;
  d.memory_bytes = 512LL << 20;
  d.image = "web:1";
  d.replicas = 2;
  d.places = {0};
  d.mean_service_s = 0.2;
  autoscaling::HpaConfig hpa;
  hpa.min_replicas = 1;
  hpa.max_replicas = 40;
  hpa.metrics.front().target_milli = 80;  // CPU at 80 % of requests
  hpa.behavior = autoscaling::Behavior{};
  hpa.behavior->scale_down.stabilization_window = 30 * kSecond;  // tuned to follow the load down
  d.hpa = hpa;
  c.deployments = {d};
  models::FleetWorkload w;
  w.name = "users";
  w.arrival.process = models::ArrivalConfig::Process::diurnal;
  w.arrival.rate_per_s = 20;
  w.arrival.amplitude = 0.9;
  w.arrival.period = 10 * kMinute;
  w.service_time = Distribution::deterministic(0.2);
  c.workloads = {w};
  c.timings.image_pull = Distribution::deterministic(28.0);
  c.timings.container_start = Distribution::deterministic(2.0);
  c.predictive = predictive;
  c.forecast_season = 10 * kMinute;
  return c;
}

TEST(PredictiveScaling, BeatsReactiveHpaOnP99ForADiurnalLoad) {
  // Five replications with common random numbers; the stated margin: predictive's mean p99
  // at most half the reactive HPA's, and lower in every replication. (Measured: about
  // 1,500 ms against 6,000 ms, each pod queueing what kube-proxy sends it.)
  std::vector<double> reactive;
  std::vector<double> predictive;
  std::vector<double> reactive_pods;
  std::vector<double> predictive_pods;
  for (std::uint64_t rep = 0; rep < 5; ++rep) {
    const models::RunOutput a = models::run_fleet(diurnal_config(false), 100 + rep, 0);
    const models::RunOutput b = models::run_fleet(diurnal_config(true), 100 + rep, 0);
    reactive.push_back(a.metrics.at("latency.p99_ms"));
    predictive.push_back(b.metrics.at("latency.p99_ms"));
    reactive_pods.push_back(a.metrics.at("replicas.mean"));
    predictive_pods.push_back(b.metrics.at("replicas.mean"));
  }
  const ReplicationSummary r = summarize(reactive);
  const ReplicationSummary p = summarize(predictive);
  std::printf("p99 reactive %.0f ± %.0f ms, predictive %.0f ± %.0f ms\n", r.mean, r.ci95, p.mean,
              p.ci95);
  EXPECT_LT(p.mean, 0.5 * r.mean);
  for (std::size_t i = 0; i < reactive.size(); ++i)
    EXPECT_LT(predictive[i], reactive[i]) << i;
  // And not by buying pods: the load needs 20/s x 0.2 s / 0.8 = 5 pods on average, so a
  // policy that ran near maxReplicas (40) would pass the latency checks above but not this.
  const ReplicationSummary rp = summarize(reactive_pods);
  const ReplicationSummary pp = summarize(predictive_pods);
  std::printf("replicas.mean reactive %.2f, predictive %.2f (the load needs 5)\n", rp.mean,
              pp.mean);
  EXPECT_LT(pp.mean, 1.5 * rp.mean);
  EXPECT_LT(pp.mean, 2.0 * 5);
}

}  // namespace
}  // namespace kt
