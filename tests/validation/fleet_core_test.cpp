// The fleet core with hand-picked components: a scripted controller sets a Deployment's
// desired count at chosen times, which makes states easy to reach that whole scenarios
// reach only by chance (a pod terminating while its node fails, say).

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "engine/simulation.hpp"
#include "models/cluster/fleet_core.hpp"
#include "models/cluster/node_lifecycle.hpp"
#include "models/cluster/replica_controller.hpp"
#include "models/workload/arrival_source.hpp"

namespace kt::models {
namespace {

// Sets Deployment 0's desired count at the given times: the smallest component there is,
// one event kind, no state but its script.
class ScriptedScale final : public FleetComponent {
 public:
  ScriptedScale(FleetCore& core, std::vector<std::pair<SimTime, std::int32_t>> script)
      : FleetComponent(core), script_(std::move(script)) {}
  void start() override {
    for (std::size_t i = 0; i < script_.size(); ++i)
      schedule_at(script_[i].first, kScale, i);
  }
  void handle(EventKind, std::uint64_t step, std::uint16_t) override {
    core_.set_desired(0, script_[step].second);
    core_.after_change();
  }

 private:
  static constexpr EventKind kScale = 0;
  std::vector<std::pair<SimTime, std::int32_t>> script_;
};

// One node with room for exactly two pods; two pods, each sent two requests of 100 s in turn
// at 40-43 s, so each is busy until about 240 s.
const std::vector<SimTime> kFourRequests = {40 * kSecond, 41 * kSecond, 42 * kSecond, 43 * kSecond};

FleetConfig two_pod_node() {
  FleetConfig c;
  c.duration = 400 * kSecond;
  c.places = {{"us-east", false, 0}};
  NodePoolConfig pool;
  pool.count = 1;
  pool.cpu_milli = 1000;
  pool.memory_bytes = 4LL << 30;
  c.pools = {pool};
  FleetDeployment d;
  d.name = "Deployment/web";
  d.cpu_milli = 500;
  d.memory_bytes = 1LL << 30;
  d.replicas = 2;
  d.places = {0};
  c.deployments = {d};
  FleetWorkload w;
  w.name = "users";
  w.arrival.process = ArrivalConfig::Process::trace;
  w.arrival.trace = &kFourRequests;
  w.service_time = Distribution::deterministic(100);
  w.load_balancing = LoadBalancing::round_robin;
  c.workloads = {w};
  c.timings.image_pull = Distribution::deterministic(0.001);
  c.timings.container_start = Distribution::deterministic(0.001);
  return c;
}

// Runs `config` with the ReplicaSet controller, the node lifecycle and `script`; calls
// `inspect` with the core at the end.
template <class F>
void run_scripted(const FleetConfig& config, std::vector<std::pair<SimTime, std::int32_t>> script,
                  F&& inspect) {
  Simulation sim(1, 0);
  FleetCore core(config);
  core.seed_routing(1, 0);
  ReplicaController replicas(core);
  NodeLifecycle nodes(core);
  ScriptedScale scale(core, std::move(script));
  core.add(replicas, 1, 0);
  core.add(nodes, 1, 0);
  core.add(scale, 1, 0);
  core.set_owner(0, replicas);
  const LpId id = sim.add(core);
  std::vector<ArrivalFeed> feeds;
  for (const FleetWorkload& w : config.workloads)
    feeds.push_back({&w.arrival, id, &w.service_time});
  const auto sources = add_arrival_sources(sim, feeds, FleetCore::kArrive, config.duration, 1, 0);
  core.start(sim, id);
  sim.run_until(config.duration);
  inspect(core);
}

// A pod deleted while it serves is Terminating until its requests finish. If its node fails
// meanwhile its requests fail with it, and once the node answers again (before the eviction
// deadline) the kubelet finishes the deletion: the pod's resources are free for a new pod.
TEST(FleetCore, TerminatingPodOnAFailedNodeIsGoneWhenTheNodeReturns) {
  FleetConfig c = two_pod_node();
  c.deployments[0].termination_grace = kHour;  // so that only the node's return can free it
  FleetFault f;
  f.kind = FleetFault::Kind::node_failure;
  f.at = 60 * kSecond;
  f.duration = 20 * kSecond;  // back at 80 s, before NotReady (100 s) and eviction (400 s)
  c.faults = {f};
  // 1 replica at 50 s (one pod terminates, busy for ~100 s), 2 again at 200 s.
  run_scripted(c, {{50 * kSecond, 1}, {200 * kSecond, 2}}, [](FleetCore& core) {
    EXPECT_EQ(core.pending_count(), 0u) << "the new pod found no room: the terminating pod "
                                           "still holds its CPU";
    EXPECT_EQ(core.deployment(0).ready, 2u);
  });
}

// Without the fault the terminating pod drains (at about 240 s) and goes, and the same script
// ends with two ready pods: the check above fails only through the fault.
TEST(FleetCore, TerminatingPodDrainsAndFreesItsNode) {
  FleetConfig c = two_pod_node();
  c.deployments[0].termination_grace = kHour;
  run_scripted(c, {{50 * kSecond, 1}, {200 * kSecond, 2}}, [](FleetCore& core) {
    EXPECT_EQ(core.pending_count(), 0u);
    EXPECT_EQ(core.deployment(0).ready, 2u);
    EXPECT_EQ(core.workload_stats(0).failed, 0u);
  });
}

// With upstream's terminationGracePeriodSeconds (30 s) the pod deleted at 50 s is killed at
// 80 s: the request it serves and the one queued behind it fail; the other pod's two
// complete (at 141 and 241 s). Its CPU is free from 80 s on, so the replica asked for at
// 100 s starts at once.
TEST(FleetCore, ATerminatingPodIsKilledAtTheEndOfItsGracePeriod) {
  run_scripted(two_pod_node(), {{50 * kSecond, 1}, {100 * kSecond, 2}}, [](FleetCore& core) {
    EXPECT_EQ(core.workload_stats(0).failed, 2u);
    EXPECT_EQ(core.workload_stats(0).completed, 2u);
    EXPECT_EQ(core.pending_count(), 0u);
    EXPECT_EQ(core.deployment(0).ready, 2u);
  });
}

// Owns Deployment 0, takes its requests as they arrive and releases them all at `release`, as
// an activator holds requests for a revision at zero: the smallest user of on_arrival and
// send_request.
class HoldUntil final : public FleetComponent {
 public:
  HoldUntil(FleetCore& core, SimTime release) : FleetComponent(core), release_(release) {}
  void start() override { schedule_at(release_, kRelease); }
  void reconcile(std::uint32_t d) override {
    while (static_cast<std::int32_t>(core_.deployment(d).pods[0].size()) <
           core_.deployment(d).desired)
      core_.create_pod(d, 0);
  }
  bool on_arrival(std::uint32_t workload, SimTime service) override {
    held_.push_back({workload, service, core_.now()});
    return true;
  }
  void handle(EventKind, std::uint64_t, std::uint16_t) override {
    for (const Held& h : held_)
      core_.send_request(h.workload, h.service, h.arrived);
    held_.clear();
  }

 private:
  static constexpr EventKind kRelease = 0;
  struct Held {
    std::uint32_t workload;
    SimTime service;
    SimTime arrived;
  };
  SimTime release_;
  std::vector<Held> held_;
};

// Requests held from their arrival (40-43 s) until 100 s, then sent in turn to two pods that
// serve each in 1 s: latencies 61, 60, 60 and 59 s (mean 60 s), waits 60, 59, 59 and 58 s
// (mean 59 s): a held request's latency and wait count from its arrival, not its release.
TEST(FleetCore, HeldRequestsCountFromTheirArrival) {
  FleetConfig c = two_pod_node();
  c.workloads[0].service_time = Distribution::deterministic(1);
  Simulation sim(1, 0);
  FleetCore core(c);
  core.seed_routing(1, 0);
  HoldUntil hold(core, 100 * kSecond);
  core.add(hold, 1, 0);
  core.set_owner(0, hold);
  core.take_arrivals_of(0);
  const LpId id = sim.add(core);
  const std::vector<ArrivalFeed> feeds = {
      {&c.workloads[0].arrival, id, &c.workloads[0].service_time}};
  const auto sources = add_arrival_sources(sim, feeds, FleetCore::kArrive, c.duration, 1, 0);
  core.start(sim, id);
  sim.run_until(c.duration);
  const RequestStats& s = core.workload_stats(0);
  ASSERT_EQ(s.completed, 4u);
  EXPECT_DOUBLE_EQ(s.latency_sum_ns / 4, 60.0 * kSecond);
  EXPECT_DOUBLE_EQ(s.wait_sum_ns / 4, 59.0 * kSecond);
  EXPECT_EQ(s.failed, 0u);
}

// Owns Deployment 0 (two pods) and records the hooks it hears.
class Watcher final : public FleetComponent {
 public:
  explicit Watcher(FleetCore& core) : FleetComponent(core) {}
  void reconcile(std::uint32_t d) override {
    while (static_cast<std::int32_t>(core_.deployment(d).pods[0].size()) <
           core_.deployment(d).desired)
      core_.create_pod(d, 0);
  }
  void on_pod_removed(std::uint32_t) override { removed.push_back(core_.now()); }
  void on_node_unreachable(std::uint32_t node) override {
    unreachable.push_back({node, core_.now()});
  }
  std::vector<SimTime> removed;
  std::vector<std::pair<std::uint32_t, SimTime>> unreachable;
};

// The node fails at 60 s: NotReady 40 s later (the node-monitor grace period), its two pods
// evicted 300 s after that (the unreachable toleration), and the owner hears each.
TEST(FleetCore, ComponentsHearNotReadyNodesAndRemovedPods) {
  FleetConfig c = two_pod_node();
  c.duration = 500 * kSecond;
  FleetFault f;
  f.kind = FleetFault::Kind::node_failure;
  f.at = 60 * kSecond;
  c.faults = {f};
  Simulation sim(1, 0);
  FleetCore core(c);
  core.seed_routing(1, 0);
  Watcher watcher(core);
  NodeLifecycle nodes(core);
  core.add(watcher, 1, 0);
  core.add(nodes, 1, 0);
  core.set_owner(0, watcher);
  const LpId id = sim.add(core);
  core.start(sim, id);
  sim.run_until(c.duration);
  ASSERT_EQ(watcher.unreachable.size(), 1u);
  EXPECT_EQ(watcher.unreachable[0], std::make_pair(0u, 100 * kSecond));
  // Evicted at 400 s; the replacements find no node (the only one is down) and stay pending.
  EXPECT_EQ(watcher.removed, (std::vector<SimTime>{400 * kSecond, 400 * kSecond}));
  EXPECT_EQ(core.pending_count(), 2u);
}

// A pod's own toleration of unreachable nodes times its eviction (taint_eviction.go): 60 s
// evicts it 60 s after NotReady, not at the default 300 s; a toleration without seconds keeps
// it for good.
TEST(FleetCore, APodsOwnUnreachableTolerationTimesItsEviction) {
  const auto run = [](std::optional<std::int64_t> seconds, SimTime duration) {
    FleetConfig c = two_pod_node();
    c.duration = duration;
    k8s::Toleration t;
    t.key = "node.kubernetes.io/unreachable";
    t.op = k8s::Toleration::Op::Exists;
    t.effect = k8s::TaintEffect::NoExecute;
    t.toleration_seconds = seconds;
    c.deployments[0].tolerations = {t};
    FleetFault f;
    f.kind = FleetFault::Kind::node_failure;
    f.at = 60 * kSecond;  // NotReady at 100 s
    c.faults = {f};
    std::uint64_t evicted = 0;
    run_scripted(c, {}, [&](FleetCore& core) { evicted = core.deployment(0).evicted; });
    return evicted;
  };
  EXPECT_EQ(run(60, 159 * kSecond), 0u);
  EXPECT_EQ(run(60, 161 * kSecond), 2u);
  EXPECT_EQ(run(std::nullopt, 2000 * kSecond), 0u);
}

}  // namespace
}  // namespace kt::models
