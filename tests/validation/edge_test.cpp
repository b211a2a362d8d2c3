// The edge model (models/edge, docs/models/edge.md) against outside truths: an alternating
// renewal process's availability, Kubernetes' eviction timeline (UPSTREAM.md §5), a link's
// transfer time and the Pollaczek-Khinchine mean wait of an M/D/1 queue, and what the two
// outage policies promise about pods, local requests and the buffer.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/simulation.hpp"
#include "models/cluster/fleet_core.hpp"
#include "models/cluster/fleet_model.hpp"
#include "models/cluster/replica_controller.hpp"
#include "models/edge/edge_sites.hpp"
#include "models/workload/arrival_source.hpp"

namespace kt::models {
namespace {

const k8s::Taint kIntermittent{"network-type", "intermittent", k8s::TaintEffect::NoSchedule};

k8s::Toleration tolerate_intermittent() {
  k8s::Toleration t;
  t.key = "network-type";
  t.value = "intermittent";
  t.effect = k8s::TaintEffect::NoSchedule;
  return t;
}

// A region (place 0) and an edge site (place 1, in the region's cluster) on one uplink of
// 25 ms. The site has two tainted nodes of 2 CPU; the region four of 4 CPU. Deployment 0 runs
// only at the site (nodeSelector node-type: edge, the seed's edge-optimized RuntimeClass),
// Deployment 1 only in the region (no toleration). Workload 0 comes from the site to
// Deployment 0, workload 1 from the site to Deployment 1 (the cloud).
FleetConfig site_and_region() {
  FleetConfig c;
  c.duration = 3600 * kSecond;
  c.places = {{"us-east", false, 0}, {"factory-1", true, 0}};
  c.places[1].cluster = 0;
  c.places[1].buffer = 1000;
  NodePoolConfig cloud;
  cloud.place = 0;
  cloud.count = 4;
  cloud.cpu_milli = 4000;
  cloud.memory_bytes = 16LL << 30;
  NodePoolConfig edge;
  edge.place = 1;
  edge.count = 2;
  edge.cpu_milli = 2000;
  edge.memory_bytes = 8LL << 30;
  edge.labels = {{"node-type", "edge"}};
  edge.taints = {kIntermittent};
  c.pools = {cloud, edge};
  c.links = {{1, 0, 25 * kMillisecond}};
  FleetDeployment at_edge;
  at_edge.name = "Deployment/edge-app";
  at_edge.cpu_milli = 500;
  at_edge.memory_bytes = 1LL << 30;
  at_edge.replicas = 2;
  at_edge.places = {0};
  at_edge.node_selector = {{"node-type", "edge"}};
  at_edge.tolerations = {tolerate_intermittent()};
  FleetDeployment in_cloud = at_edge;
  in_cloud.name = "Deployment/backend";
  in_cloud.node_selector = {};
  in_cloud.tolerations = {};
  c.deployments = {at_edge, in_cloud};
  FleetWorkload local;
  local.name = "local";
  local.deployment = 0;
  local.origin = 1;
  local.arrival.process = ArrivalConfig::Process::constant;
  local.arrival.interval = 10 * kSecond;
  local.service_time = Distribution::deterministic(0.01);
  FleetWorkload backhaul = local;
  backhaul.name = "backhaul";
  backhaul.deployment = 1;
  c.workloads = {local, backhaul};
  c.timings.image_pull = Distribution::deterministic(0.001);
  c.timings.container_start = Distribution::deterministic(0.001);
  return c;
}

void outage(FleetConfig& c, SimTime from, SimTime to) {
  edge::UplinkOutages o;
  o.link = 0;
  o.intervals = {{from, to}};
  c.edge.outages.push_back(o);
}

// Reads Deployment 0's evicted count and live pods at chosen times.
class Probe final : public FleetComponent {
 public:
  Probe(FleetCore& core, std::vector<SimTime> at) : FleetComponent(core), at_(std::move(at)) {}
  void start() override {
    for (std::size_t i = 0; i < at_.size(); ++i)
      schedule_at(at_[i], 0, i);
  }
  void handle(EventKind, std::uint64_t, std::uint16_t) override {
    evicted.push_back(core_.deployment(0).evicted);
    live.push_back(core_.deployment(0).pods[0].size());
  }
  std::vector<std::uint64_t> evicted;
  std::vector<std::size_t> live;

 private:
  std::vector<SimTime> at_;
};

struct Probed {
  std::vector<std::uint64_t> evicted;
  std::vector<std::size_t> live;
};

// The fleet with the ReplicaSet controller, the edge component and a probe.
Probed run_probed(const FleetConfig& config, std::vector<SimTime> at) {
  Simulation sim(1, 0);
  FleetCore core(config);
  core.seed_routing(1, 0);
  ReplicaController replicas(core);
  edge::EdgeSites edge(core);
  Probe probe(core, std::move(at));
  core.add(replicas, 1, 0);
  core.add(edge, 1, 0);
  core.add(probe, 1, 0);
  core.set_offline_owner(edge);
  for (std::uint32_t d = 0; d < config.deployments.size(); ++d)
    core.set_owner(d, replicas);
  const LpId id = sim.add(core);
  std::vector<ArrivalFeed> feeds;
  for (const FleetWorkload& w : config.workloads)
    feeds.push_back({&w.arrival, id, &w.service_time});
  const auto sources = add_arrival_sources(sim, feeds, FleetCore::kArrive, config.duration, 1, 0);
  core.start(sim, id);
  sim.run_until(config.duration);
  return {probe.evicted, probe.live};
}

TEST(Edge, PodsAtTheSiteAreScheduledOntoItsNodes) {
  const RunOutput r = run_fleet(site_and_region(), 1, 0);
  EXPECT_EQ(r.metrics.at("sites.factory-1.replicas.final"), 2);
  EXPECT_EQ(r.metrics.at("regions.us-east.replicas.final"), 2);  // the backend's
  // Local requests stay at the site: 10 ms of service, no network.
  EXPECT_NEAR(r.metrics.at("workloads.local.latency.mean_ms"), 10.0, 1e-6);
  EXPECT_NEAR(r.metrics.at("workloads.backhaul.latency.mean_ms"), 60.0, 1e-6);
}

// A Deployment that tolerates the site's taint and selects no node type may land in either
// place: kube-scheduler's LeastAllocated scores put pods on the edge nodes once the region's
// one node is fuller (by the weighted total, not the first place that fits). Requests from
// the site then stay on its own pods even when they are busy and the region's are free.
TEST(Edge, PodsGoWhereTheyScoreBestAndTheSiteServesItself) {
  FleetConfig c = site_and_region();
  c.pools[0].count = 1;  // one 4-CPU node in the region
  c.deployments[1].tolerations = {tolerate_intermittent()};
  c.deployments[1].replicas = 6;
  c.workloads.erase(c.workloads.begin());  // the backhaul only, from the site
  c.workloads[0].arrival.process = ArrivalConfig::Process::poisson;
  c.workloads[0].arrival.rate_per_s = 20;  // 20 requests of 0.25 s on the site's pods
  c.workloads[0].service_time = Distribution::deterministic(0.25);
  const RunOutput r = run_fleet(c, 1, 0);
  // The site's two edge-app pods, and some of the six (not all: the region's node scores
  // best at first).
  const double at_site = r.metrics.at("sites.factory-1.replicas.final");
  EXPECT_GT(at_site, 2);
  EXPECT_LT(at_site, 2 + 6);
  EXPECT_EQ(r.metrics.count("regions.us-east.requests.completed"), 0u)
      << "requests from the site went to the region's pods";
  EXPECT_GT(r.metrics.at("sites.factory-1.requests.completed"), 0);
}

// evict: NotReady at the outage + node-monitor grace period (40 s), each pod evicted 300 s
// later (DefaultTolerationSeconds), not a moment before.
TEST(Edge, EvictionComesAtGracePlusTolerationAndNotBefore) {
  FleetConfig c = site_and_region();
  const SimTime cut = 1005 * kSecond;
  outage(c, cut, cut + 10 * kMinute);
  const SimTime due = cut + 40 * kSecond + 300 * kSecond;
  const Probed p = run_probed(c, {due - kMillisecond, due + kMillisecond, cut + 11 * kMinute});
  EXPECT_EQ(p.evicted[0], 0u);
  EXPECT_EQ(p.evicted[1], 2u);
  // Replaced at once in the API: the replacements are pending (they select edge nodes, and
  // the site's are tainted unreachable), the live count is back to 2.
  EXPECT_EQ(p.live[1], 2u);
  EXPECT_EQ(p.live[2], 2u);
}

TEST(Edge, APodsOwnTolerationSecondsSetItsEviction) {
  FleetConfig c = site_and_region();
  k8s::Toleration t;
  t.key = "node.kubernetes.io/unreachable";
  t.op = k8s::Toleration::Op::Exists;
  t.effect = k8s::TaintEffect::NoExecute;
  t.toleration_seconds = 60;
  c.deployments[0].tolerations.push_back(t);
  const SimTime cut = 1005 * kSecond;
  outage(c, cut, cut + 10 * kMinute);
  const SimTime due = cut + 40 * kSecond + 60 * kSecond;
  const Probed p = run_probed(c, {due - kMillisecond, due + kMillisecond});
  EXPECT_EQ(p.evicted[0], 0u);
  EXPECT_EQ(p.evicted[1], 2u);
}

TEST(Edge, AThirtySecondOutageEvictsNothing) {
  FleetConfig c = site_and_region();
  outage(c, 1005 * kSecond, 1035 * kSecond);
  const RunOutput r = run_fleet(c, 1, 0);
  EXPECT_EQ(r.metrics.at("pods.evicted"), 0);
  EXPECT_EQ(r.metrics.at("workloads.local.requests.failed"), 0);
}

// Under evict the evicted pods run on until the kubelet hears of the deletion, so the site's
// own requests are still served; requests that need the cloud fail.
TEST(Edge, EvictedPodsServeTheSiteUntilTheLinkReturns) {
  FleetConfig c = site_and_region();
  outage(c, 1005 * kSecond, 1605 * kSecond);
  const RunOutput r = run_fleet(c, 1, 0);
  EXPECT_EQ(r.metrics.at("sites.factory-1.pods.evicted"), 2);
  EXPECT_EQ(r.metrics.at("workloads.local.requests.failed"), 0);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.failed"), 60);  // 1010 s .. 1600 s
  // After the link is back the orphans go and the replacements start: two pods again.
  EXPECT_EQ(r.metrics.at("sites.factory-1.replicas.final"), 2);
  EXPECT_EQ(r.metrics.at("workloads.local.edge.requests.offline"), 60);
}

TEST(Edge, TolerateEvictsNothingAndFailsNoLocalRequest) {
  FleetConfig c = site_and_region();
  c.edge.mode = edge::OutageMode::tolerate;
  outage(c, 1005 * kSecond, 1605 * kSecond);
  const RunOutput r = run_fleet(c, 1, 0);
  EXPECT_EQ(r.metrics.at("pods.evicted"), 0);
  EXPECT_EQ(r.metrics.at("workloads.local.requests.failed"), 0);
  EXPECT_EQ(r.metrics.at("workloads.local.requests.completed"),
            r.metrics.at("workloads.local.requests.total"));
  // The cloud-bound ones were buffered and forwarded: none lost, the first waited ~590 s.
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.failed"), 0);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.dropped"), 0);
  EXPECT_EQ(r.metrics.at("edge.requests.offline"), 120);
}

TEST(Edge, AFullBufferDropsExactlyTheOverflow) {
  FleetConfig c = site_and_region();
  c.edge.mode = edge::OutageMode::tolerate;
  c.places[1].buffer = 5;
  outage(c, 1005 * kSecond, 1605 * kSecond);  // 60 cloud-bound arrivals while cut off
  const RunOutput r = run_fleet(c, 1, 0);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.dropped"), 55);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.failed"), 55);
  EXPECT_EQ(r.metrics.at("sites.factory-1.requests.dropped"), 55);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.edge.requests.offline"), 5);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.completed"),
            r.metrics.at("workloads.backhaul.requests.total") - 55);
}

// On an idle link a payload takes size / bandwidth, then the path's latency.
TEST(Edge, AnIdleLinkTakesSizeOverBandwidthPlusLatency) {
  FleetConfig c = site_and_region();
  c.links[0].bytes_per_s = 1e6;            // 1 MB/s
  c.workloads[1].request_bytes = 200'000;  // 200 ms on the link
  c.workloads[1].response_bytes = 50'000;  // 50 ms back
  c.workloads.resize(2);
  const RunOutput r = run_fleet(c, 1, 0);
  // 200 + 25 (there) + 10 (service) + 50 + 25 (back); one request per 10 s never queues.
  EXPECT_NEAR(r.metrics.at("workloads.backhaul.latency.mean_ms"), 310.0, 1e-3);
}

// Poisson requests crossing a link with a fixed transfer time D: an M/D/1 queue, whose mean
// wait is rho D / (2 (1 - rho)) (Pollaczek-Khinchine). Checked within 3 standard errors of
// the replications' mean.
TEST(Edge, ABusyLinkQueuesAsMD1) {
  FleetConfig c = site_and_region();
  c.duration = 4 * kHour;
  c.warmup = 10 * kMinute;
  const double d_s = 0.1;     // 100 kB at 1 MB/s
  const double lambda = 7.0;  // rho = 0.7
  c.links[0].bytes_per_s = 1e6;
  c.workloads.resize(2);
  c.workloads.erase(c.workloads.begin());  // the backhaul only
  c.workloads[0].request_bytes = 100'000;
  c.workloads[0].arrival.process = ArrivalConfig::Process::poisson;
  c.workloads[0].arrival.rate_per_s = lambda;
  c.workloads[0].service_time = Distribution::deterministic(0);
  c.deployments[1].concurrency = kUnlimitedConcurrency;
  const double rho = lambda * d_s;
  const double wq_ms = rho * d_s / (2 * (1 - rho)) * 1e3;  // 116.7 ms
  const int reps = 20;
  double sum = 0;
  double sq = 0;
  for (int i = 0; i < reps; ++i) {
    const RunOutput r = run_fleet(c, 7, static_cast<std::uint64_t>(i));
    // Latency = wait on the link + D + 25 ms there + 25 ms back.
    const double w = r.metrics.at("workloads.backhaul.latency.mean_ms") - d_s * 1e3 - 50.0;
    sum += w;
    sq += w * w;
  }
  const double mean = sum / reps;
  const double se = std::sqrt((sq / reps - mean * mean) / (reps - 1));
  EXPECT_NEAR(mean, wq_ms, 3 * se) << "se " << se;
  EXPECT_LT(se, 0.05 * wq_ms);  // enough samples for the check to mean something
}

// Two uplinks: while the first (10 ms to us-east) is down, traffic takes the second (30 ms
// to eu-west, then 20 ms to us-east); the site never loses its control plane.
TEST(Edge, TrafficFailsOverToTheSecondUplink) {
  FleetConfig c = site_and_region();
  c.places.push_back({"eu-west", false, 0});
  c.links = {{1, 0, 10 * kMillisecond}, {1, 2, 30 * kMillisecond}, {0, 2, 20 * kMillisecond}};
  c.workloads.erase(c.workloads.begin());  // the backhaul only
  outage(c, 1005 * kSecond, 1605 * kSecond);
  c.warmup = 1005 * kSecond;
  c.duration = 1605 * kSecond;
  const RunOutput r = run_fleet(c, 1, 0);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.failed"), 0);
  EXPECT_EQ(r.metrics.at("workloads.backhaul.requests.completed"), 60);
  EXPECT_NEAR(r.metrics.at("workloads.backhaul.latency.mean_ms"), 2 * 50.0 + 10.0, 1e-6);
  EXPECT_EQ(r.metrics.at("edge.uplink.availability"), 1.0);
}

// A linkOutage between two regions (no edge site at all): requests that need the link fail
// while it is down, and only then.
TEST(Edge, ALinkOutageBetweenRegionsFailsWhatNeedsTheLink) {
  FleetConfig c = site_and_region();
  c.places = {{"us-east", false, 0}, {"eu-west", false, 0}};
  c.pools.resize(1);
  c.links = {{0, 1, 80 * kMillisecond}};
  c.deployments.resize(2);
  c.deployments.erase(c.deployments.begin());  // the backend, in us-east
  c.workloads.resize(1);
  c.workloads[0].deployment = 0;
  c.workloads[0].origin = 1;    // from eu-west, every 10 s: 360 arrivals
  c.duration = 3605 * kSecond;  // the last one completes too
  outage(c, 1005 * kSecond, 1605 * kSecond);
  const RunOutput r = run_fleet(c, 1, 0);
  EXPECT_EQ(r.metrics.at("requests.failed"), 60);
  EXPECT_EQ(r.metrics.at("requests.total"), 360);
  EXPECT_EQ(r.metrics.at("requests.completed"), 360 - 60);
  EXPECT_EQ(r.metrics.count("edge.uplink.availability"), 0u);  // no site: does not apply
}

// Exponential up and down times: the long-run share of time up is meanUp / (meanUp +
// meanDown) (an alternating renewal process), within 3 standard errors of the replications.
TEST(Edge, UplinkAvailabilityMatchesTheRenewalFormula) {
  FleetConfig c = site_and_region();
  c.duration = 500 * kHour;
  c.workloads.resize(1);
  c.workloads[0].arrival.interval = kHour;
  edge::UplinkOutages o;
  o.link = 0;
  o.mean_up = 2 * kHour;
  o.mean_down = 20 * kMinute;
  c.edge.outages = {o};
  const double truth = 120.0 / 140.0;
  const int reps = 30;
  double sum = 0;
  double sq = 0;
  for (int i = 0; i < reps; ++i) {
    const double a = run_fleet(c, 3, static_cast<std::uint64_t>(i))
                         .metrics.at("sites.factory-1.edge.uplink.availability");
    sum += a;
    sq += a * a;
  }
  const double mean = sum / reps;
  const double se = std::sqrt((sq / reps - mean * mean) / (reps - 1));
  EXPECT_NEAR(mean, truth, 3 * se) << "se " << se;
  EXPECT_LT(se, 0.005);
}

}  // namespace
}  // namespace kt::models
