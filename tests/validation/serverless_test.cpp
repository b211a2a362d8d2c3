// The serverless model (models/serverless) against what Knative's autoscaler and activator
// do (knative/serving @98e5ef90: pkg/autoscaler/scaling/autoscaler.go, pkg/reconciler/
// autoscaling/kpa/scaler.go, pkg/activator/net/throttler.go) and against the keep-alive
// policies of Shahrad et al. (USENIX ATC 2020): the KPA settles at ceil(concurrency / target),
// panics on a burst and never scales down while panicking, maxScale caps the pods while the
// activator holds the excess, scale from zero takes one pod start after the first held
// request, and the keep-alive policies decide which requests are cold.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "models/cluster/fleet_model.hpp"
#include "tests/validation/series_column.hpp"

namespace kt::models {
namespace {

// One Knative revision on capacity without limit, reached by one workload; pods start in
// exactly `start_s` (a deterministic cold start: timings are then exact).
FleetConfig knative(std::uint32_t cc, double target_per_pod, double start_s = 2.0) {
  FleetConfig c;
  c.unlimited_capacity = true;
  c.places = {{"default", false, 0, true}};
  c.sample_interval = kSecond;
  FleetDeployment d;
  d.name = "Service/fn";
  d.places = {0};
  d.replicas = 0;
  d.concurrency = cc > 0 ? cc : kUnlimitedConcurrency;
  d.queue_limit = cc > 0 ? 10 * cc : 0;
  d.start_time = Distribution::deterministic(start_s);
  serverless::RevisionConfig rc;
  rc.container_concurrency = cc;
  rc.kpa.total_value = target_per_pod;
  rc.kpa.target_value = target_per_pod * 0.7;
  rc.memory_gb = 0.128;
  d.serverless = rc;
  c.deployments = {d};
  c.timings.scheduling = Distribution::deterministic(0);
  return c;
}

FleetWorkload workload(const std::string& name, ArrivalConfig arrival, Distribution service) {
  FleetWorkload w;
  w.name = name;
  w.arrival = arrival;
  w.service_time = service;
  return w;
}

ArrivalConfig poisson(double rate) {
  ArrivalConfig a;
  a.process = ArrivalConfig::Process::poisson;
  a.rate_per_s = rate;
  return a;
}

ArrivalConfig every(SimTime interval) {
  ArrivalConfig a;
  a.process = ArrivalConfig::Process::constant;
  a.interval = interval;
  return a;
}

TEST(Knative, KpaSettlesAtCeilOfConcurrencyOverTarget) {
  // containerConcurrency 10, target 10 (x 0.7 = 7 per pod); 105/s x 0.5 s = 52.5 in flight:
  // ceil(52.5 / 7) = 8 pods. The stable window's average moves by about 1 around 52.5
  // (sd of a 60 s mean of an M/M/inf count: sqrt(52.5 x 2 x 0.5 / 60) = 0.94), so 7.5 x 7
  // = 52.5 stays between 49 and 56 (7 and 8 pods' worth) nearly always.
  FleetConfig c = knative(10, 10);
  c.duration = 2 * kHour;
  c.warmup = 20 * kMinute;
  c.workloads = {workload("fn", poisson(105), Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 11, 0);
  const std::vector<double> desired = column(out, "fn.kpa_desired");
  std::size_t eight = 0;
  std::size_t n = 0;
  for (std::size_t i = 20 * 60; i < desired.size(); ++i, ++n)
    eight += desired[i] == 8 ? 1 : 0;
  EXPECT_GT(static_cast<double>(eight) / static_cast<double>(n), 0.95);
  EXPECT_NEAR(out.metrics.at("workloads.fn.replicas.mean"), 8.0, 0.15);
  EXPECT_EQ(out.metrics.at("workloads.fn.requests.failed"), 0);
}

TEST(Knative, UnlimitedConcurrencyTargetsOneHundredPerPod) {
  // containerConcurrency 0: the target default 100 x 0.7 = 70 per pod; 300 in flight
  // (600/s x 0.5 s) -> ceil(300 / 70) = 5 pods (300 / 70 = 4.29: between 4 and 5 pods only
  // if the window's mean fell below 280, 5 standard errors away).
  FleetConfig c = knative(0, 100);
  c.duration = kHour;
  c.warmup = 20 * kMinute;
  c.workloads = {workload("fn", poisson(600), Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 12, 0);
  EXPECT_NEAR(out.metrics.at("workloads.fn.replicas.mean"), 5.0, 0.05);
}

TEST(Knative, PanicsOnABurstAndNeverScalesDownWhilePanicking) {
  // 1,200 requests a minute (20/s x 0.5 s: 10 in flight, ceil(10 / 7) = 2 pods), tripled for
  // minutes 30-39. Within the 6 s panic window the panic average reaches 30: ceil(30 / 7) =
  // 5 pods wanted for 2 ready, 250 % >= the 200 % threshold.
  std::vector<std::uint32_t> minutes(24 * 60, 1200);
  for (int m = 30; m < 40; ++m)
    minutes[m] = 3600;
  ArrivalConfig a;
  a.process = ArrivalConfig::Process::per_minute;
  a.per_minute = &minutes;
  FleetConfig c = knative(10, 10);
  c.duration = kHour;
  c.workloads = {workload("fn", a, Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 13, 0);
  const std::vector<double> panic = column(out, "fn.kpa_panic");
  const std::vector<double> desired = column(out, "fn.kpa_desired");
  // Samples are taken each second, row i at i seconds.
  ASSERT_GE(panic.size(), 3000u);
  EXPECT_EQ(desired[29 * 60], 2);  // settled before the burst
  EXPECT_EQ(panic[29 * 60], 0);
  std::size_t entered = 0;
  for (std::size_t i = 30 * 60; i < 31 * 60 && !entered; ++i) {
    if (panic[i] == 1) entered = i;
  }
  ASSERT_GT(entered, 0u) << "no panic within a minute of the burst";
  EXPECT_LE(entered, 30u * 60 + 8) << "panic should begin within the 6 s panic window";
  std::size_t left = 0;
  for (std::size_t i = entered; i < panic.size(); ++i) {
    if (panic[i] == 0) {
      left = i;
      break;
    }
    if (i > entered) {
      EXPECT_GE(desired[i], desired[i - 1]) << "scaled down in panic at " << i;
    }
  }
  ASSERT_GT(left, 0u) << "never left panic";
  // Over the threshold until the new pods are ready (2 s): 5 wanted / 5 ready is 100 %. It
  // leaves a stable window (60 s) after the last tick over it.
  EXPECT_GE(left, entered + 60);
  EXPECT_LE(left, entered + 60 + 8);
  EXPECT_EQ(desired[35 * 60], 5);  // ceil(30 / 7) in stable mode, the burst still on
  EXPECT_EQ(desired.back(), 2);    // and settled back after it
}

TEST(Knative, MaxScaleCapsPodsAndTheActivatorHoldsTheRest) {
  // containerConcurrency 1 and maxScale 2: 3/s x 0.5 s asks for ceil(1.5 / 0.7) = 3 pods and
  // more with the queue; it gets 2, and what finds both slots busy waits in the activator,
  // never at a pod (the activator forwards only to a free slot).
  FleetConfig c = knative(1, 1);
  c.deployments[0].serverless->max_scale = 2;
  c.duration = kHour;
  c.warmup = 10 * kMinute;
  c.workloads = {workload("fn", poisson(3), Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 14, 0);
  EXPECT_EQ(out.metrics.at("workloads.fn.replicas.max"), 2);
  const std::vector<double> desired = column(out, "fn.kpa_desired");
  EXPECT_EQ(*std::max_element(desired.begin(), desired.end()), 2);
  const std::vector<double> held = column(out, "fn.activator_held");
  EXPECT_GT(*std::max_element(held.begin(), held.end()), 0);
  const std::vector<double> queued = column(out, "fn.queued");
  EXPECT_EQ(*std::max_element(queued.begin(), queued.end()), 0);
  EXPECT_EQ(out.metrics.at("workloads.fn.requests.dropped"), 0);
}

TEST(Knative, TheActivatorBeforeTwoSingleSlotPodsIsAnMM2Queue) {
  // minScale = maxScale = 2, one slot each, the activator's FIFO in front: an M/M/2 queue
  // with rho = 0.75. Erlang C: C(2, 1.5) = 4.5 / 7 = 0.643, mean wait C / (2 mu - lambda)
  // = 643 ms. 4 h of 3/s is 43,000 requests; the standard error of the mean wait is about
  // 3 % of it (batch means over 10-minute batches): 10 % is 3 se.
  FleetConfig c = knative(1, 1);
  c.deployments[0].serverless->min_scale = 2;
  c.deployments[0].serverless->max_scale = 2;
  c.duration = 4 * kHour + 10 * kMinute;
  c.warmup = 10 * kMinute;
  c.workloads = {workload("fn", poisson(3), Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 18, 0);
  EXPECT_NEAR(out.metrics.at("workloads.fn.replicas.mean"), 2.0, 1e-9);
  EXPECT_NEAR(out.metrics.at("workloads.fn.wait.mean_ms"), 642.9, 0.10 * 642.9);
}

TEST(Knative, ARetryGoesThroughTheActivatorAgain) {
  // One single-slot pod (maxScale 1) answering 30 % of tries with a 503, 3 retries (Istio's
  // attempts: 4 tries). The activator is in the path (TBC 211), so a retry waits there for the
  // free slot like a new request and never queues at the pod; a request fails only when all
  // 4 tries fail: p^4 = 0.0081 of them (within 3 standard errors).
  FleetConfig c = knative(1, 1);
  c.deployments[0].serverless->max_scale = 1;
  c.deployments[0].error_rate = 0.3;
  c.duration = 12 * kHour;
  c.warmup = 10 * kMinute;
  FleetWorkload w = workload("fn", poisson(1), Distribution::exponential(0.2));
  w.retry_attempts = 3;
  c.workloads = {w};
  const RunOutput out = run_fleet(c, 23, 0);
  const std::vector<double> queued = column(out, "fn.queued");
  EXPECT_EQ(*std::max_element(queued.begin(), queued.end()), 0);
  const double n = out.metrics.at("workloads.fn.requests.total");
  const double p4 = std::pow(0.3, 4);
  EXPECT_NEAR(out.metrics.at("workloads.fn.requests.failed") / n, p4,
              3 * std::sqrt(p4 * (1 - p4) / n));
  // Extra tries per request: p + p^2 + p^3 = 0.417.
  EXPECT_NEAR(out.metrics.at("workloads.fn.requests.retries") / n, 0.3 + 0.09 + 0.027, 0.02);
}

TEST(Knative, AFullQueueProxyAnswers503AsAnMM1KQueue) {
  // target-burst-capacity 0: the activator leaves the path once the pod is ready, so
  // requests queue at the pod's queue-proxy, at most 10 x containerConcurrency = 10 behind
  // the one in service: an M/M/1/11 queue. At rho = 4 / 2 its loss probability is
  // (1 - rho) rho^11 / (1 - rho^12) = 2048 / 4095 = 0.5001: within 3 standard errors of
  // independent draws plus 0.01 (successive losses are correlated; ~29,000 arrivals).
  FleetConfig c = knative(1, 1);
  serverless::RevisionConfig& rc = *c.deployments[0].serverless;
  rc.kpa.target_burst_capacity = 0;
  rc.min_scale = 1;
  rc.max_scale = 1;
  c.duration = 4 * kHour;
  c.warmup = 10 * kMinute;
  c.workloads = {workload("fn", poisson(4), Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 24, 0);
  const std::vector<double> queued = column(out, "fn.queued");
  EXPECT_LE(*std::max_element(queued.begin(), queued.end()), 10);
  const double n = out.metrics.at("workloads.fn.requests.total");
  const double loss = 2048.0 / 4095.0;
  EXPECT_NEAR(out.metrics.at("workloads.fn.requests.dropped") / n, loss,
              3 * std::sqrt(loss * (1 - loss) / n) + 0.01);
}

TEST(Knative, AFullActivatorAnswers503) {
  // One pod at most, one slot, 4/s x 0.5 s: twice what it serves. The activator holds at
  // most 20 here; the rest is dropped (counted in failed and dropped).
  FleetConfig c = knative(1, 1);
  c.deployments[0].serverless->max_scale = 1;
  c.deployments[0].serverless->activator_queue = 20;
  c.duration = 30 * kMinute;
  c.workloads = {workload("fn", poisson(4), Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 15, 0);
  const std::vector<double> held = column(out, "fn.activator_held");
  EXPECT_LE(*std::max_element(held.begin(), held.end()), 20);
  const double dropped = out.metrics.at("workloads.fn.requests.dropped");
  const double total = out.metrics.at("workloads.fn.requests.total");
  // The pod serves 2/s of the 4/s: about half is dropped.
  EXPECT_NEAR(dropped / total, 0.5, 0.05);
  EXPECT_GE(out.metrics.at("workloads.fn.requests.failed"), dropped);
}

TEST(Knative, ScaleFromZeroTakesOnePodStartAfterTheFirstHeldRequest) {
  // A request every 10 minutes: the revision is at zero each time (a stable window, then
  // the activator already in the path: scaled to zero at once). The first held request pokes
  // the autoscaler, which asks for a pod at once: latency = 2 s start + 100 ms service, no
  // tick waited for.
  FleetConfig c = knative(10, 10);
  c.duration = 2 * kHour;
  c.warmup = 30 * kMinute;
  c.workloads = {workload("fn", every(10 * kMinute), Distribution::deterministic(0.1))};
  const RunOutput out = run_fleet(c, 16, 0);
  EXPECT_NEAR(out.metrics.at("workloads.fn.latency.p50_ms"), 2100, 5);
  EXPECT_NEAR(out.metrics.at("workloads.fn.latency.p99_ms"), 2100, 5);
  EXPECT_EQ(out.metrics.at("workloads.fn.coldstarts.ratio"), 1);
  // One pod for about a stable window after each request: 62 s of 600.
  EXPECT_NEAR(out.metrics.at("workloads.fn.replicas.mean"), 62.1 / 600, 0.01);
  // The FaaS bill: ready pods' GB-s at Lambda's price plus $0.20 per million requests; with
  // no node pools it is the run's whole cost.
  const double gb_s = out.metrics.at("workloads.fn.replicas.mean") * 5400 * 0.128;
  const double usd = gb_s * 0.0000166667 + out.metrics.at("requests.total") / 1e6 * 0.20;
  EXPECT_NEAR(out.metrics.at("cost.serverless_usd"), usd, 1e-9);
  EXPECT_EQ(out.metrics.at("cost.total_usd"), out.metrics.at("cost.serverless_usd"));
}

TEST(ColdStart, TheFirstStartOnANodePullsTheImageAtThePullRateLaterOnesFindItCached) {
  // One node; a 500 MB image at 50 MB/s takes 10 s to pull, once; the runtime starts in 2 s.
  // The revision's initial pod pulls it at time 0; a request every 10 minutes then finds the
  // revision at zero and waits only the 2 s start, the image being cached on the node
  // (latency adds the 100 ms service).
  FleetConfig c = knative(10, 10);
  c.unlimited_capacity = false;
  c.places = {{"us-east", false, 0}};
  NodePoolConfig pool;
  pool.count = 1;
  pool.cpu_milli = 4000;
  pool.memory_bytes = 8LL << 30;
  c.pools = {pool};
  c.deployments[0].image = "fn:1";
  c.deployments[0].image_bytes = 500'000'000;
  c.timings.pull_bytes_per_s = 50e6;
  c.duration = 2 * kHour;
  c.warmup = 0;
  c.workloads = {workload("fn", every(10 * kMinute), Distribution::deterministic(0.1))};
  const RunOutput out = run_fleet(c, 21, 0);
  EXPECT_NEAR(out.metrics.at("workloads.fn.latency.p50_ms"), 2100, 5);
  const double n = out.metrics.at("workloads.fn.requests.completed");
  const double mean = out.metrics.at("workloads.fn.latency.mean_ms");
  EXPECT_NEAR(mean, 2100, 5) << n;
  // The pull itself: the initial pod (created at 0) is ready at 10 + 2 s, so one request at
  // 1 s waits 11 s for it.
  const std::vector<SimTime> one = {kSecond};
  ArrivalConfig at_one;
  at_one.process = ArrivalConfig::Process::trace;
  at_one.trace = &one;
  FleetConfig early = c;
  early.workloads = {workload("fn", at_one, Distribution::deterministic(0.1))};
  early.duration = kMinute;
  const RunOutput e = run_fleet(early, 22, 0);
  EXPECT_NEAR(e.metrics.at("workloads.fn.latency.mean_ms"), 11.0 * 1000 + 100, 5);
  EXPECT_EQ(e.metrics.at("workloads.fn.coldstarts.count"), 1);
}

// A function that a timer calls every 30 minutes, under a keep-alive policy.
RunOutput timer_function(serverless::KeepAliveConfig ka, bool warmer) {
  FleetConfig c = knative(10, 10);
  c.deployments[0].serverless->keep_alive = ka;
  c.duration = 24 * kHour;
  c.warmup = 4 * kHour;
  c.workloads = {workload("timer", every(30 * kMinute), Distribution::deterministic(0.2))};
  // A warmer (the seed's function-warmup) calls it every 60 s.
  if (warmer)
    c.workloads.push_back(workload("warmer", every(kMinute), Distribution::deterministic(0.01)));
  return run_fleet(c, 17, 0);
}

TEST(KeepAlive, RequestsFartherApartThanKeepAlivePlusGraceAreAllCold) {
  serverless::KeepAliveConfig none;
  none.kind = serverless::KeepAliveConfig::Kind::none;
  serverless::KeepAliveConfig fixed;
  fixed.kind = serverless::KeepAliveConfig::Kind::fixed;
  fixed.duration = 10 * kMinute;
  for (const auto& ka : {none, fixed}) {
    const RunOutput out = timer_function(ka, false);
    EXPECT_EQ(out.metrics.at("workloads.timer.coldstarts.ratio"), 1);
    EXPECT_EQ(out.metrics.at("workloads.timer.requests.total"), 40);  // 20 h / 30 min
  }
}

TEST(KeepAlive, AWarmerEveryMinuteWithFixedTenMinutesLeavesNoColdStart) {
  serverless::KeepAliveConfig fixed;
  fixed.kind = serverless::KeepAliveConfig::Kind::fixed;
  fixed.duration = 10 * kMinute;
  const RunOutput out = timer_function(fixed, true);
  EXPECT_EQ(out.metrics.at("workloads.timer.coldstarts.count"), 0);
  EXPECT_EQ(out.metrics.at("coldstarts.count"), 0);
}

TEST(KeepAlive, HybridHistogramIsColdOnlyWhileItLearnsAndHoldsLessIdleMemory) {
  serverless::KeepAliveConfig fixed;
  fixed.kind = serverless::KeepAliveConfig::Kind::fixed;
  fixed.duration = 10 * kMinute;
  serverless::KeepAliveConfig hybrid;
  hybrid.kind = serverless::KeepAliveConfig::Kind::hybrid_histogram;
  const RunOutput f = timer_function(fixed, false);
  const RunOutput h = timer_function(hybrid, false);
  EXPECT_EQ(f.metrics.at("workloads.timer.coldstarts.ratio"), 1);
  // Learnt in the warm-up: idle times of 29:59.8 all fall in one bin (CV of the bin counts
  // sqrt(239) > 2): pre-warm at 0.9 x 29 min, keep until 1.1 x 30 min.
  EXPECT_EQ(h.metrics.at("workloads.timer.coldstarts.count"), 0);
  // Loaded from 26.1 min to the next call (~3.9 min of each 30) against 10 min for fixed.
  const double hi = h.metrics.at("serverless.idle_gb_s");
  const double fi = f.metrics.at("serverless.idle_gb_s");
  EXPECT_LT(hi, fi);
  EXPECT_NEAR(hi / fi, 3.9 / 10.0, 0.05);
}

// A FaaS function on the on-demand platform: one request per instance (max_inflight 1).
FleetConfig on_demand(serverless::KeepAliveConfig ka) {
  FleetConfig c = knative(1, 1);
  serverless::RevisionConfig& rc = *c.deployments[0].serverless;
  rc.platform = serverless::RevisionConfig::Platform::on_demand;
  rc.min_scale = 0;
  rc.initial_scale = 0;
  rc.keep_alive = ka;
  return c;
}

TEST(KeepAlive, FixedKeepAliveColdStartsFollowThePoissonGapTail) {
  // Poisson calls, one per 5 minutes, 100 ms each, kept 10 minutes: a call is cold when the
  // gap since the last one ended exceeds 10 min, P = exp(-600 / 300) = 0.1353 (the 0.1-2.1 s
  // busy time shifts it by < 0.001). 30 days give ~8,600 calls: se = 0.0037, 3 se = 0.011.
  serverless::KeepAliveConfig fixed;
  fixed.kind = serverless::KeepAliveConfig::Kind::fixed;
  fixed.duration = 10 * kMinute;
  FleetConfig c = on_demand(fixed);
  c.duration = 30 * kDay + kHour;
  c.warmup = kHour;
  c.sample_interval = kHour;
  c.workloads = {workload("fn", poisson(1.0 / 300), Distribution::deterministic(0.1))};
  const RunOutput out = run_fleet(c, 19, 0);
  const double n = out.metrics.at("workloads.fn.requests.total");
  EXPECT_GT(n, 8000);
  EXPECT_NEAR(out.metrics.at("workloads.fn.coldstarts.ratio"), std::exp(-2.0), 0.011);
  // Idle memory: after each call the instance idles min(gap, 10 min); E = 300 (1 - e^-2) s
  // = 259.4 s per call, times 0.128 GB.
  EXPECT_NEAR(out.metrics.at("serverless.idle_gb_s") / n, 259.4 * 0.128, 0.05 * 259.4 * 0.128);
}

TEST(KeepAlive, OnDemandStartsAnInstancePerConcurrentRequest) {
  // Kept for ever (the platform's default): the instances only grow, to the peak number of
  // requests in flight; every later request finds a warm one.
  FleetConfig c = on_demand(serverless::KeepAliveConfig{});
  c.duration = 2 * kHour;
  c.warmup = kHour;
  c.workloads = {workload("fn", poisson(4), Distribution::exponential(0.5))};
  const RunOutput out = run_fleet(c, 20, 0);
  // Two in flight on average; the peak of an M/M/inf count with mean 2 over an hour is ~10.
  EXPECT_GE(out.metrics.at("workloads.fn.replicas.max"), 7);
  EXPECT_LE(out.metrics.at("workloads.fn.replicas.max"), 16);
  EXPECT_LT(out.metrics.at("workloads.fn.coldstarts.ratio"), 0.001);
  // No instance is held back: nobody waits beyond a start.
  EXPECT_EQ(out.metrics.at("workloads.fn.requests.failed"), 0);
}

}  // namespace
}  // namespace kt::models
