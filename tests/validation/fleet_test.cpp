// The fleet model against Kubernetes' documented failure timing and the network path:
// a region outage makes its nodes NotReady after the node-monitor grace period (40 s), their
// pods are evicted after the unreachable toleration (300 s), requests sent in between fail,
// and requests that fail over to another region pay the path there and back.

#include <gtest/gtest.h>

#include <cmath>

#include "engine/replication.hpp"
#include "models/cluster/fleet_model.hpp"

namespace kt::models {
namespace {

// A single region with one node pool of `count` nodes.
FleetConfig one_region(std::uint32_t count, std::int64_t cpu_milli, std::int64_t memory_bytes) {
  FleetConfig c;
  c.places = {{"us-east", false, 0}};
  NodePoolConfig pool;
  pool.count = count;
  pool.cpu_milli = cpu_milli;
  pool.memory_bytes = memory_bytes;
  c.pools = {pool};
  return c;
}

// eu-west and us-east, 80 ms apart, one node each; one pod in each; users in eu-west send a
// request every second that takes exactly 100 ms; eu-west fails at 1000 s for good.
FleetConfig outage_config() {
  FleetConfig c;
  c.duration = 2000 * kSecond;
  c.sample_interval = kSecond;
  c.places = {{"eu-west", false}, {"us-east", false}};
  for (std::uint32_t p = 0; p < 2; ++p) {
    NodePoolConfig pool;
    pool.place = p;
    pool.name = "general";
    pool.count = 1;
    pool.cpu_milli = 4000;
    pool.memory_bytes = 8LL << 30;
    pool.price_usd_per_hour = 0.1;
    c.pools.push_back(pool);
  }
  c.links = {{0, 1, 80 * kMillisecond}};
  FleetDeployment d;
  d.name = "MultiClusterDeployment/app";
  d.cpu_milli = 500;
  d.memory_bytes = 512LL << 20;
  d.image = "app:1";
  d.replicas = 2;
  d.places = {0, 1};
  d.weights = {0.5, 0.5};
  c.deployments = {d};
  FleetWorkload w;
  w.name = "eu-users";
  w.origin = 0;
  w.arrival.process = ArrivalConfig::Process::constant;
  w.arrival.interval = kSecond;
  w.service_time = Distribution::deterministic(0.1);
  c.workloads = {w};
  FleetFault f;
  f.kind = FleetFault::Kind::region_outage;
  f.at = 1000 * kSecond;
  f.place = 0;
  c.faults = {f};
  c.timings.image_pull = Distribution::deterministic(5.0);
  c.timings.container_start = Distribution::deterministic(1.0);
  return c;
}

double column(const TimeSeries& s, const std::string& name, std::size_t row) {
  for (std::size_t c = 0; c < s.columns.size(); ++c) {
    if (s.columns[c] == name) return s.values[row * s.columns.size() + c];
  }
  throw std::runtime_error("no column " + name);
}

TEST(FleetOutage, NotReadyAfterGraceEvictedAfterTolerationRequestsFailInBetween) {
  FleetConfig config = outage_config();
  config.warmup = 10 * kSecond;  // leave out the pods' start-up
  const RunOutput r = run_fleet(config, 1, 0);
  const TimeSeries& s = r.series;
  ASSERT_GE(s.rows(), 1990u);
  // Rows are one per second. The eu-west pod is ready until the node turns NotReady at
  // 1000 + 40 s, not before.
  EXPECT_EQ(column(s, "eu-west.ready_pods", 1039), 1);
  EXPECT_EQ(column(s, "eu-west.ready_pods", 1041), 0);
  // Eviction at 1000 + 40 + 300 s, not before: the replacement goes to the region that is
  // up (eu-west's nodes are all unreachable), where the image is cached, so it is ready
  // 1 s later.
  EXPECT_EQ(column(s, "us-east.ready_pods", 1339), 1);
  EXPECT_EQ(column(s, "us-east.ready_pods", 1342), 2);
  EXPECT_EQ(r.metrics.at("pods.evicted"), 1);
  EXPECT_EQ(r.metrics.at("regions.eu-west.pods.evicted"), 1);
  EXPECT_EQ(r.metrics.at("pods.pending.max"), 0);
  // Requests sent during the grace period reach a dead node and fail: arrivals at
  // 1000, 1001, ..., 1040 s (the one at 1040 s comes before the NotReady event).
  EXPECT_NEAR(r.metrics.at("requests.failed"), 41, 1);
  // Before the outage requests are served locally in 100 ms; after failover they cross to
  // us-east and back: 100 ms + 2 x 80 ms.
  EXPECT_NEAR(r.metrics.at("regions.eu-west.latency.p99_ms"), 100, 0.5);
  EXPECT_NEAR(r.metrics.at("regions.us-east.latency.p50_ms"), 260, 1.1);
  EXPECT_NEAR(r.metrics.at("regions.us-east.latency.mean_ms"), 260, 1e-6);
  EXPECT_NEAR(r.metrics.at("regions.us-east.requests.completed"), 2000 - 1041, 1);
  EXPECT_NEAR(r.metrics.at("regions.eu-west.requests.completed"), 1000 - 10, 1);
}

TEST(FleetOutage, ReplicasMoveBackWhenTheRegionRecovers) {
  FleetConfig config = outage_config();
  config.faults[0].duration = 1000 * kSecond;  // eu-west is back at 2000 s of a 3000 s run
  config.duration = 3000 * kSecond;
  const RunOutput r = run_fleet(config, 1, 0);
  EXPECT_EQ(column(r.series, "us-east.ready_pods", 1500), 2);
  EXPECT_EQ(column(r.series, "eu-west.ready_pods", 1500), 0);
  // Back at 2000 s: one replica returns to eu-west (its node kept the image, so it starts in
  // 1 s), and us-east gives its extra one up.
  EXPECT_EQ(column(r.series, "eu-west.ready_pods", 2005), 1);
  EXPECT_EQ(column(r.series, "us-east.ready_pods", 2005), 1);
}

TEST(FleetOutage, RecoveryBeforeEvictionKeepsThePods) {
  FleetConfig config = outage_config();
  config.faults[0].duration = 120 * kSecond;  // back before the 340 s eviction deadline
  config.deployments[0].recovery_time_objective = 30 * kSecond;
  const RunOutput r = run_fleet(config, 1, 0);
  EXPECT_EQ(r.metrics.at("pods.evicted"), 0);
  // Self-healing took from the failure (1000 s) until the pod was ready again (1121 s),
  // which misses a 30 s recovery time objective.
  EXPECT_NEAR(r.metrics.at("workloads.eu-users.recovery.time_max_s"), 121, 1e-6);
  EXPECT_EQ(r.metrics.at("workloads.eu-users.recovery.rto_missed"), 1);
  // NotReady at 1040 s, node back at 1120 s, container restarted 1 s later.
  EXPECT_EQ(column(r.series, "eu-west.ready_pods", 1100), 0);
  EXPECT_EQ(column(r.series, "eu-west.ready_pods", 1122), 1);
}

// What happened before the end of the warm-up is not counted: the same outage and recovery
// at 1000-1121 s with a warm-up of 1500 s leaves no recovery and no missed objective, and
// pods that were pending only during the warm-up leave pods.pending.max at 0.
TEST(FleetWarmup, RecoveriesAndPendingPodsBeforeTheWarmupEndAreNotCounted) {
  FleetConfig config = outage_config();
  config.faults[0].duration = 120 * kSecond;
  config.deployments[0].recovery_time_objective = 30 * kSecond;
  config.warmup = 1500 * kSecond;
  const RunOutput r = run_fleet(config, 1, 0);
  EXPECT_EQ(r.metrics.count("workloads.eu-users.recovery.time_max_s"), 0u);
  EXPECT_EQ(r.metrics.at("workloads.eu-users.recovery.rto_missed"), 0);
  // Pods of 3 CPUs, one per region on 4-CPU nodes: when eu-west's pod is evicted (1340 s)
  // its replacement fits nowhere and waits until eu-west is back (1600 s), all before the
  // warm-up ends at 1700 s.
  FleetConfig crowded = outage_config();
  crowded.faults[0].duration = 600 * kSecond;
  crowded.deployments[0].cpu_milli = 3000;
  crowded.warmup = 1700 * kSecond;
  const RunOutput c = run_fleet(crowded, 1, 0);
  EXPECT_EQ(c.metrics.at("pods.pending.max"), 0);
  EXPECT_EQ(c.metrics.at("workloads.eu-users.pods.pending.max"), 0);
  crowded.warmup = 10 * kSecond;  // the same run counted from 10 s: one pod was pending
  const RunOutput counted = run_fleet(crowded, 1, 0);
  EXPECT_EQ(counted.metrics.at("pods.pending.max"), 1);
  EXPECT_EQ(counted.metrics.at("workloads.eu-users.pods.pending.max"), 1);
}

TEST(FleetCost, ComputeCostIsNodeHoursTimesPrice) {
  const FleetConfig config = outage_config();
  const RunOutput r = run_fleet(config, 1, 0);
  // 2 nodes x 0.1 USD/h x 2000 s.
  EXPECT_NEAR(r.metrics.at("cost.compute_usd"), 2 * 0.1 * 2000.0 / 3600.0, 1e-9);
  EXPECT_NEAR(r.metrics.at("regions.us-east.cost.compute_usd"), 0.1 * 2000.0 / 3600.0, 1e-9);
}

TEST(FleetCost, EgressIsChargedToTheSendingRegionForRequestsThatCross) {
  FleetConfig config = outage_config();
  config.warmup = 10 * kSecond;
  config.places[0].egress_usd_per_gb = 0.02;  // eu-west sends the requests
  config.places[1].egress_usd_per_gb = 0.09;  // us-east sends the responses
  config.workloads[0].request_bytes = 1'000'000;
  config.workloads[0].response_bytes = 2'000'000;
  const RunOutput r = run_fleet(config, 1, 0);
  const double crossed = r.metrics.at("regions.us-east.requests.completed");
  EXPECT_NEAR(r.metrics.at("regions.eu-west.cost.egress_usd"), crossed * 1e6 / 1e9 * 0.02, 1e-12);
  EXPECT_NEAR(r.metrics.at("regions.us-east.cost.egress_usd"), crossed * 2e6 / 1e9 * 0.09, 1e-12);
  EXPECT_NEAR(r.metrics.at("cost.total_usd"),
              r.metrics.at("cost.compute_usd") + r.metrics.at("cost.egress_usd"), 1e-12);
  // Without payloads the key does not apply and is absent.
  const RunOutput plain = run_fleet(outage_config(), 1, 0);
  EXPECT_EQ(plain.metrics.count("cost.egress_usd"), 0u);
  EXPECT_EQ(r.metrics.at("workloads.eu-users.pods.evicted"), 1);
}

TEST(FleetStartup, PodsServeAfterImagePullAndContainerStart) {
  FleetConfig config = outage_config();
  config.faults.clear();
  const RunOutput r = run_fleet(config, 1, 0);
  // Pods are created at 0 s and ready at 5 s (pull) + 1 s (start): the first requests (at
  // 1..6 s) find no endpoint.
  EXPECT_EQ(column(r.series, "eu-west.ready_pods", 5), 0);
  EXPECT_EQ(column(r.series, "eu-west.ready_pods", 7), 1);
  EXPECT_NEAR(r.metrics.at("requests.failed"), 5, 1);
}

}  // namespace
}  // namespace kt::models

namespace kt::models {
namespace {

// How requests reach pods, against queueing theory (docs/validation.md). c single-slot pods
// at 80 % load, exponential service of 1 s; each request is dispatched to one pod when it
// arrives and queues there.
//   random: each pod sees a Poisson stream of lambda/c, an M/M/1 queue: W = rho/(mu - lambda/c)
//   round-robin: each pod sees every c-th arrival, Erlang-c interarrivals, an E_c/M/1 queue
//     (GI/M/1): W = sigma/(mu (1 - sigma)), sigma the root of sigma = (lambda/(lambda +
//     mu (1 - sigma)))^c
//   least-request (two random choices): for many pods the mean-field limit of Mitzenmacher's
//     supermarket model, a fraction rho^(2^i - 1) of pods with at least i requests, so by
//     Little's law the mean time in system is sum_{i>=1} rho^(2^i - 2) / mu.
FleetConfig balancing_config(std::uint32_t pods, LoadBalancing lb) {
  FleetConfig c = one_region(1, 1'000'000, 1LL << 40);
  c.duration = 20000 * kSecond;
  c.warmup = 500 * kSecond;
  FleetDeployment d;
  d.name = "Deployment/web";
  d.cpu_milli = 100;
  d.replicas = pods;
  d.places = {0};
  c.deployments = {d};
  FleetWorkload w;
  w.name = "users";
  w.arrival.rate_per_s = 0.8 * pods;
  w.service_time = Distribution::exponential(1.0);
  w.load_balancing = lb;
  c.workloads = {w};
  c.timings.image_pull = Distribution::deterministic(0.001);
  c.timings.container_start = Distribution::deterministic(0.001);
  return c;
}

ReplicationSummary mean_wait_s(const FleetConfig& c, int replications) {
  std::vector<double> waits;
  for (int rep = 0; rep < replications; ++rep)
    waits.push_back(run_fleet(c, 7 + rep, 0).metrics.at("wait.mean_ms") / 1000);
  return summarize(waits);
}

double standard_error(const ReplicationSummary& s, int n) {
  return s.stddev / std::sqrt(n);
}

TEST(FleetBalancing, RandomIsMM1PerPod) {
  const ReplicationSummary r = mean_wait_s(balancing_config(3, LoadBalancing::random), 10);
  const double mm1 = 0.8 / (1 - 0.8);  // 4 s
  const double se = standard_error(r, 10);
  std::printf("random, 3 pods: wait %.3f ± %.3f s (se), M/M/1 %.3f s\n", r.mean, se, mm1);
  EXPECT_NEAR(r.mean, mm1, 3 * se);
  EXPECT_LT(se, 0.05 * mm1);
}

TEST(FleetBalancing, RoundRobinIsEcM1PerPod) {
  const ReplicationSummary r = mean_wait_s(balancing_config(3, LoadBalancing::round_robin), 10);
  const double lambda = 2.4;
  double sigma = 0.5;
  for (int i = 0; i < 500; ++i)
    sigma = std::pow(lambda / (lambda + 1 - sigma), 3);
  const double ecm1 = sigma / (1 - sigma);  // 2.46 s
  const double se = standard_error(r, 10);
  std::printf("round-robin, 3 pods: wait %.3f ± %.3f s (se), E3/M/1 %.3f s\n", r.mean, se, ecm1);
  EXPECT_NEAR(r.mean, ecm1, 3 * se);
  EXPECT_LT(se, 0.05 * ecm1);
}

// A Service over two Deployments (2 pods and 1) sends to all 3 ready pods alike, as its
// endpoints are one list: each pod is M/M/1 at 0.8 (4 s of waiting). Were the traffic split
// by Deployment, the single pod would get half of 2.4/s and be overloaded.
TEST(FleetBalancing, ServicesShareTrafficByReadyPodsAcrossDeployments) {
  FleetConfig c = balancing_config(3, LoadBalancing::random);
  c.deployments[0].replicas = 2;
  FleetDeployment canary = c.deployments[0];
  canary.name = "Deployment/web-canary";
  canary.replicas = 1;
  c.deployments.push_back(canary);
  c.workloads[0].backends = {0, 1};
  const ReplicationSummary r = mean_wait_s(c, 10);
  const double se = standard_error(r, 10);
  EXPECT_NEAR(r.mean, 4.0, 3 * se);
  EXPECT_LT(se, 0.05 * 4.0);
}

TEST(FleetBalancing, LeastRequestNearsThePowerOfTwoChoicesLimit) {
  FleetConfig c = balancing_config(100, LoadBalancing::least_request);
  c.duration = 3000 * kSecond;
  const ReplicationSummary r = mean_wait_s(c, 6);
  double sojourn = 0;
  for (int i = 1; i < 40; ++i)
    sojourn += std::pow(0.8, std::pow(2.0, i) - 2);
  const double limit = sojourn - 1;  // 0.948 s of waiting
  const double se = standard_error(r, 6);
  std::printf("least-request, 100 pods: wait %.3f ± %.3f s (se), mean-field %.3f s\n", r.mean, se,
              limit);
  // 100 pods are not infinitely many: finite systems wait a little longer than the limit.
  EXPECT_NEAR(r.mean, limit, 0.05 * limit + 3 * se);
  EXPECT_LT(se, 0.02 * limit);
}

}  // namespace
}  // namespace kt::models

namespace kt::models {
namespace {

// One run of a Job with 6 completions, 2 pods at a time (8 CPU, 4 per pod), each pod working
// exactly 100 s; pods are ready 6 s after creation on a fresh node (5 s pull, 1 s start; a
// pod created during the pull waits for it) and 1 s once the image is cached. The run is
// submitted at 10 s.
FleetConfig job_config(const std::vector<SimTime>* submissions) {
  FleetConfig c = one_region(1, 8000, 16LL << 30);
  c.duration = 2000 * kSecond;
  c.sample_interval = kSecond;
  FleetDeployment d;
  d.name = "Job/quantum-simulation";
  d.cpu_milli = 4000;
  d.memory_bytes = 8LL << 30;
  d.image = "sim:1";
  d.replicas = 0;
  d.places = {0};
  d.job = FleetJob{6, 2, 6};
  c.deployments = {d};
  FleetWorkload w;
  w.name = "sim";
  w.arrival.process = ArrivalConfig::Process::trace;
  w.arrival.trace = submissions;
  w.service_time = Distribution::deterministic(100.0);
  c.workloads = {w};
  c.timings.image_pull = Distribution::deterministic(5.0);
  c.timings.container_start = Distribution::deterministic(1.0);
  return c;
}

const std::vector<SimTime> kOneRun = {10 * kSecond};

TEST(FleetJob, CompletionsRunParallelismAtATime) {
  const RunOutput r = run_fleet(job_config(&kOneRun), 1, 0);
  // Pods 1-2 ready at 16 s, done at 116 s; pods 3-4 ready at 117 s, done at 217 s; pods 5-6
  // done at 318 s: a makespan of 308 s.
  EXPECT_EQ(r.metrics.at("requests.completed"), 1);
  EXPECT_NEAR(r.metrics.at("latency.mean_ms"), 308'000, 1e-6);
  EXPECT_NEAR(r.metrics.at("wait.mean_ms"), 6'000, 1e-6);     // until the first pod ran
  EXPECT_EQ(column(r.series, "us-east.ready_pods", 50), 2);   // parallelism 2
  EXPECT_EQ(column(r.series, "us-east.ready_pods", 400), 0);  // all done
}

TEST(FleetJob, EvictedPodsCountAgainstTheBackoffLimit) {
  FleetConfig c = job_config(&kOneRun);
  c.deployments[0].job = FleetJob{2, 2, 1};  // backoffLimit 1
  // The only node fails at 50 s for good: both pods are evicted at 390 s (2 failures > 1).
  FleetFault f;
  f.kind = FleetFault::Kind::node_failure;
  f.at = 50 * kSecond;
  c.faults = {f};
  const RunOutput r = run_fleet(c, 1, 0);
  EXPECT_EQ(r.metrics.at("requests.failed"), 1);
  EXPECT_EQ(r.metrics.at("requests.completed"), 0);
  EXPECT_EQ(r.metrics.at("pods.evicted"), 2);
}

// podFailurePolicy (batch/v1): an eviction sets the pod condition DisruptionTarget; a rule
// on it decides instead of backoffLimit (upstream's job controller, "Handling Pod and
// container failures" in the Job docs).
TEST(FleetJob, PodFailurePolicyDecidesWhatAnEvictionDoes) {
  const auto run_with = [](std::uint32_t backoff_limit, FleetJob::OnDisruption action) {
    FleetConfig c = job_config(&kOneRun);
    c.deployments[0].job = FleetJob{2, 2, backoff_limit};
    c.deployments[0].job->on_disruption = action;
    FleetFault f;
    f.kind = FleetFault::Kind::node_failure;
    f.at = 50 * kSecond;
    c.faults = {f};
    return run_fleet(c, 1, 0);
  };
  // Ignore: the two evictions do not count; with backoffLimit 1 the Job has not failed (its
  // replacements wait for a node).
  const RunOutput ignored = run_with(1, FleetJob::OnDisruption::ignore);
  EXPECT_EQ(ignored.metrics.at("pods.evicted"), 2);
  EXPECT_EQ(ignored.metrics.at("requests.failed"), 0);
  // FailJob: the first eviction fails the Job, however large backoffLimit is.
  const RunOutput failed = run_with(6, FleetJob::OnDisruption::fail_job);
  EXPECT_EQ(failed.metrics.at("requests.failed"), 1);
  // Count (no rule matches): 2 failures are within backoffLimit 6, the Job goes on.
  const RunOutput counted = run_with(6, FleetJob::OnDisruption::count);
  EXPECT_EQ(counted.metrics.at("requests.failed"), 0);
}

// A VirtualService's weights (Envoy's weighted clusters): each request picks its destination
// by weight before a pod. With 80 % to a Deployment with pods and 20 % to one with none, a
// fifth of the requests fail (no healthy upstream): over 20 000 requests the failed share
// must lie within 3 standard errors (sqrt(0.2 x 0.8 / n) = 0.0028) of 0.2.
TEST(FleetWeightedSplit, SendsEachRequestByWeight) {
  FleetConfig c = one_region(2, 4000, 8LL << 30);
  c.duration = 2000 * kSecond;
  c.warmup = 0;
  for (std::uint32_t replicas : {2u, 0u}) {
    FleetDeployment d;
    d.name = replicas ? "Deployment/stable" : "Deployment/canary";
    d.cpu_milli = 500;
    d.memory_bytes = 256LL << 20;
    d.image = "web:1";
    d.replicas = replicas;
    d.places = {0};
    c.deployments.push_back(d);
  }
  c.timings.image_pull = Distribution::deterministic(0.0);
  c.timings.container_start = Distribution::deterministic(0.0);
  FleetWorkload w;
  w.name = "users";
  w.deployment = 0;
  w.backends = {0, 1};
  w.split = {{80, {0}}, {20, {1}}};
  w.arrival.process = ArrivalConfig::Process::poisson;
  w.arrival.rate_per_s = 10;
  w.service_time = Distribution::deterministic(0.01);
  c.workloads = {w};
  const RunOutput r = run_fleet(c, 1, 0);
  const double total = r.metrics.at("requests.total");
  const double failed = r.metrics.at("requests.failed");
  ASSERT_GT(total, 19000);
  const double share = failed / total;
  EXPECT_NEAR(share, 0.2, 3 * std::sqrt(0.2 * 0.8 / total)) << failed << " of " << total;
}

// A request slot is reused once its request is done, while that request's timeout event is
// still on its way: the event must not fail the slot's next request, least of all one of a
// workload without a timeout.
TEST(FleetRouteTimeout, AStaleTimeoutLeavesTheSlotsNextRequestAlone) {
  FleetConfig c = one_region(1, 4000, 8LL << 30);
  c.duration = 200 * kSecond;
  c.warmup = 0;
  FleetDeployment d;
  d.name = "Deployment/web";
  d.cpu_milli = 500;
  d.memory_bytes = 256LL << 20;
  d.image = "web:1";
  d.replicas = 1;
  d.concurrency = 100;
  d.places = {0};
  c.deployments = {d};
  c.timings.image_pull = Distribution::deterministic(0.0);
  c.timings.container_start = Distribution::deterministic(0.0);
  FleetWorkload quick;  // done in 10 ms, long before its 5 s deadline
  quick.name = "quick";
  quick.arrival.process = ArrivalConfig::Process::constant;
  quick.arrival.interval = kSecond;
  quick.service_time = Distribution::deterministic(0.01);
  quick.timeout = 5 * kSecond;
  FleetWorkload plain = quick;  // no timeout, 2 s each: they take the freed slots
  plain.name = "plain";
  plain.arrival.interval = 300 * kMillisecond;
  plain.service_time = Distribution::deterministic(2.0);
  plain.timeout = 0;
  c.workloads = {quick, plain};
  const RunOutput out = run_fleet(c, 1, 0);
  EXPECT_GT(out.metrics.at("workloads.plain.requests.completed"), 600);
  EXPECT_EQ(out.metrics.at("workloads.plain.requests.failed"), 0);
  EXPECT_EQ(out.metrics.at("workloads.quick.requests.failed"), 0);
}

// A VirtualService route's timeout (Envoy's route timeout): a request whose response has not
// reached its client by then fails; the pod, which Envoy does not stop, still serves it.
TEST(FleetRouteTimeout, FailsLateResponsesAndFreesNoCapacity) {
  const auto run_with = [](double service_s, SimTime timeout) {
    FleetConfig c = one_region(1, 4000, 8LL << 30);
    c.duration = 100 * kSecond;
    c.warmup = 0;
    FleetDeployment d;
    d.name = "Deployment/web";
    d.cpu_milli = 500;
    d.memory_bytes = 256LL << 20;
    d.image = "web:1";
    d.replicas = 1;
    d.places = {0};
    c.deployments = {d};
    c.timings.image_pull = Distribution::deterministic(0.0);
    c.timings.container_start = Distribution::deterministic(0.0);
    FleetWorkload w;
    w.name = "users";
    w.arrival.process = ArrivalConfig::Process::constant;
    w.arrival.interval = kSecond;
    w.service_time = Distribution::deterministic(service_s);
    w.timeout = timeout;
    c.workloads = {w};
    return run_fleet(c, 1, 0);
  };
  // 300 ms requests, one a second: every one is late for 200 ms, none for 300 ms.
  const RunOutput late = run_with(0.3, 200 * kMillisecond);
  EXPECT_EQ(late.metrics.at("requests.completed"), 0);
  EXPECT_EQ(late.metrics.at("requests.failed"), late.metrics.at("requests.total"));
  const RunOutput on_time = run_with(0.3, 300 * kMillisecond);
  EXPECT_EQ(on_time.metrics.at("requests.failed"), 0);
  // 2 s requests, one a second, on one slot: request k (k = 1, 2, ...) takes k + 1 s, so with
  // a 5 s timeout requests 1-4 complete and the rest fail; the pod keeps serving the late
  // ones, so the queue still grows as without a timeout.
  const RunOutput overloaded = run_with(2.0, 5 * kSecond);
  EXPECT_EQ(overloaded.metrics.at("requests.completed"), 4);
  // The failure counts at the deadline, not when the pod finishes: 100 s requests (one a
  // second from 1 s) against a 1 s timeout in a 100 s run, where only the first finishes
  // before the end; all whose deadline falls in the run fail, every one but the last
  // arrival's (99 s + 1 s).
  const RunOutput stuck = run_with(100.0, kSecond);
  EXPECT_EQ(stuck.metrics.at("requests.completed"), 0);
  EXPECT_EQ(stuck.metrics.at("requests.failed"), stuck.metrics.at("requests.total") - 1);
  const RunOutput untimed = run_with(2.0, 0);
  const std::size_t last = overloaded.series.values.size() / overloaded.series.columns.size() - 1;
  EXPECT_GT(column(untimed.series, "users.queued", last), 20);
  EXPECT_EQ(column(overloaded.series, "users.queued", last),
            column(untimed.series, "users.queued", last));
}

// A VirtualService's retries (HTTPRetry.attempts = Envoy's num_retries): with pods that answer
// a share p of the tries with a 5xx, independently, a request fails only when its first try
// and all `attempts` retries fail: p^(attempts + 1). Each count is checked within 3 standard
// errors over 40 000 requests, and the retries counted are the expected extra tries,
// p + p^2 + ... + p^attempts per request.
TEST(FleetRetries, FailTheShareTheIndependentTriesGive) {
  const auto run_with = [](std::uint32_t attempts) {
    FleetConfig c = one_region(2, 8000, 16LL << 30);
    c.duration = 4000 * kSecond;
    c.warmup = 0;
    FleetDeployment d;
    d.name = "Deployment/flaky";
    d.cpu_milli = 500;
    d.memory_bytes = 256LL << 20;
    d.image = "web:1";
    d.replicas = 4;
    d.places = {0};
    d.error_rate = 0.3;
    c.deployments = {d};
    c.timings.image_pull = Distribution::deterministic(0.0);
    c.timings.container_start = Distribution::deterministic(0.0);
    FleetWorkload w;
    w.name = "users";
    w.arrival.process = ArrivalConfig::Process::poisson;
    w.arrival.rate_per_s = 10;
    w.service_time = Distribution::deterministic(0.01);
    w.retry_attempts = attempts;
    c.workloads = {w};
    return run_fleet(c, 1, 0);
  };
  const double p = 0.3;
  for (std::uint32_t attempts : {0u, 2u, 3u}) {
    const RunOutput r = run_with(attempts);
    const double n = r.metrics.at("requests.total");
    ASSERT_GT(n, 38000);
    const double q = std::pow(p, attempts + 1);
    EXPECT_NEAR(r.metrics.at("requests.failed") / n, q, 3 * std::sqrt(q * (1 - q) / n))
        << attempts << " attempts";
    EXPECT_EQ(r.metrics.at("requests.completed") + r.metrics.at("requests.failed"), n);
    if (attempts == 0) {
      EXPECT_FALSE(r.metrics.contains("requests.retries")) << "no retry policy: no key";
      continue;
    }
    double extra = 0;  // expected retries per request
    for (std::uint32_t k = 1; k <= attempts; ++k)
      extra += std::pow(p, k);
    // Each request's retries are at most `attempts`: a variance below attempts^2 / 4 bounds
    // the standard error.
    EXPECT_NEAR(r.metrics.at("requests.retries") / n, extra, 3 * attempts / 2.0 / std::sqrt(n));
  }
}

// A RuntimeClass's pod overhead is scheduled with the pod (the "Pod Overhead" docs: the
// scheduler adds overhead to the container requests): on a 1-CPU node, pods of 400m fit
// twice, pods of 400m + 200m overhead once.
TEST(FleetPodOverhead, IsScheduledWithThePod) {
  const auto ready_with = [](std::int64_t overhead) {
    FleetConfig c = one_region(1, 1000, 8LL << 30);
    c.duration = 100 * kSecond;
    c.sample_interval = kSecond;
    FleetDeployment d;
    d.name = "Deployment/web";
    d.cpu_milli = 400;
    d.overhead_cpu_milli = overhead;
    d.memory_bytes = 256LL << 20;
    d.image = "web:1";
    d.replicas = 3;
    d.places = {0};
    c.deployments = {d};
    FleetWorkload w;
    w.name = "users";
    w.arrival.process = ArrivalConfig::Process::constant;
    w.arrival.interval = kSecond;
    w.service_time = Distribution::deterministic(0.1);
    c.workloads = {w};
    const RunOutput r = run_fleet(c, 1, 0);
    return column(r.series, "us-east.ready_pods", 90);
  };
  EXPECT_EQ(ready_with(0), 2);
  EXPECT_EQ(ready_with(200), 1);
}

}  // namespace
}  // namespace kt::models
