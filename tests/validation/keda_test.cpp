// KEDA's ScaledObject with the kafka trigger (kedacore/keda @8b4f083ca, pkg/scalers/
// kafka_scaler.go, pkg/scaling/executor/scale_scaledobjects.go): scales out when the lag passes
// lagThreshold per replica, never beyond the partition count (the lag is capped at
// partitions x lagThreshold), and back to zero only a cooldownPeriod after the lag was last
// seen (each pollingInterval).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/cluster/fleet_model.hpp"
#include "tests/validation/series_column.hpp"

namespace kt::models {
namespace {

// A consumer Deployment on capacity without limit, pods ready 2 s after they are created;
// 12 partitions, lagThreshold 50; a producer writing `per_minute` messages each minute, each
// taking 100 ms to handle (one consumer: 10 messages a second).
RunOutput consume(const std::vector<std::uint32_t>& per_minute, SimTime duration) {
  FleetConfig c;
  c.unlimited_capacity = true;
  c.places = {{"default", false, 0, true}};
  c.sample_interval = kSecond;
  c.duration = duration;
  FleetDeployment d;
  d.name = "Deployment/consumer";
  d.places = {0};
  d.replicas = 0;
  d.concurrency = 1;
  serverless::KafkaScaling k;
  k.partitions = 12;
  k.lag_threshold = 50;
  k.hpa.min_replicas = 1;
  k.hpa.max_replicas = 100;
  d.kafka = k;
  c.deployments = {d};
  c.timings.container_start = Distribution::deterministic(2.0);
  FleetWorkload w;
  w.name = "logs";
  w.arrival.process = ArrivalConfig::Process::per_minute;
  w.arrival.per_minute = &per_minute;
  w.service_time = Distribution::deterministic(0.1);
  c.workloads = {w};
  return run_fleet(c, 5, 0);
}

TEST(KedaKafka, ScalesOutOnLagNeverBeyondThePartitionsAndToZeroAfterTheCooldown) {
  // 20 minutes of 150 messages a second (15 consumers' worth: more than the 12 partitions
  // allow), then nothing.
  std::vector<std::uint32_t> minutes(24 * 60, 0);
  for (int m = 0; m < 20; ++m)
    minutes[m] = 9000;
  const RunOutput out = consume(minutes, 40 * kMinute);
  const std::vector<double> replicas = column(out, "logs.replicas");
  const std::vector<double> lag = column(out, "logs.kafka_lag");
  ASSERT_GE(replicas.size(), 40u * 60);
  // Activated at the first poll with lag (30 s), then the HPA's AverageValue rule.
  EXPECT_EQ(replicas[29], 0);
  EXPECT_GE(*std::max_element(replicas.begin(), replicas.begin() + 60), 1);
  // The capped lag asks for at most 12: never more consumers than partitions.
  EXPECT_EQ(*std::max_element(replicas.begin(), replicas.end()), 12);
  EXPECT_EQ(replicas[15 * 60], 12);
  // 12 consumers handle 120/s of the 150/s: the lag grows the whole time.
  EXPECT_GT(lag[19 * 60], lag[10 * 60]);
  // The producer stops at 20 min; the backlog (about 30/s x 18 min) drains at 120/s, then
  // the lag is 0. KEDA scales to zero at the first poll more than 300 s after the last poll
  // that saw lag, and not before.
  std::size_t drained = 0;
  for (std::size_t i = 20 * 60; i < lag.size(); ++i) {
    if (lag[i] == 0) {
      drained = i;
      break;
    }
  }
  ASSERT_GT(drained, 0u);
  std::size_t zero = 0;
  for (std::size_t i = drained; i < replicas.size(); ++i) {
    if (replicas[i] == 0) {
      zero = i;
      break;
    }
  }
  ASSERT_GT(zero, 0u) << "never scaled to zero";
  EXPECT_GE(zero, drained + 300 - 30);
  EXPECT_LE(zero, drained + 300 + 30 + 30);
  EXPECT_EQ(out.metrics.at("workloads.logs.requests.failed"), 0);
}

TEST(KedaKafka, SteadyLoadSettlesWhereTheAverageValueRuleHolds) {
  // 60 messages a second on 12 partitions (5/s each), one consumer handling 10/s. Six
  // consumers would be exactly saturated; with seven the range assignor gives five of them
  // two partitions (10/s: their capacity), so a lag persists, and the HPA holds the count
  // where lag / (50 x replicas) is within its 10 % tolerance of 1: lag about 300-385 at 7.
  std::vector<std::uint32_t> minutes(24 * 60, 3600);
  const RunOutput out = consume(minutes, kHour);
  const std::vector<double> replicas = column(out, "logs.replicas");
  const std::vector<double> lag = column(out, "logs.kafka_lag");
  for (std::size_t i = 30 * 60; i < replicas.size(); i += 60) {
    EXPECT_GE(replicas[i], 7) << "at " << i << " s";
    EXPECT_LE(replicas[i], 8) << "at " << i << " s";
    const double ratio = lag[i] / (50.0 * replicas[i]);
    EXPECT_GT(ratio, 0.7) << "at " << i << " s";
    EXPECT_LT(ratio, 1.15) << "at " << i << " s";
  }
}

}  // namespace
}  // namespace kt::models
