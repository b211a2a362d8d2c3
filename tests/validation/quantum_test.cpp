// The quantum model (models/quantum, docs/models/quantum.md) against outside truths: the
// M/D/1 and two-class M/G/1 priority queue formulas, fair-share's equal split, queueDepth's
// exact overflow, qubit fit, calibration windows' exact pause, and workflow makespans on an
// idle system.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "models/cluster/fleet_model.hpp"

namespace kt::models {
namespace {

using quantum::QpuConfig;
using quantum::QuantumJobConfig;

// A 127-qubit QPU with the default timings: a 1024-shot, depth-100 circuit takes
// 15 s + 1024 x (100 x 300 ns + 1 us + 4 ms) = 19.127744 s.
constexpr double kExecS = 15.0 + 1024 * (100 * 300e-9 + 1e-6 + 4e-3);

QpuConfig qpu(const char* name, std::int64_t qubits) {
  QpuConfig q;
  q.name = name;
  q.qubits = qubits;
  return q;
}

// One region, a quantum Job (Deployment 0) and its workload.
FleetConfig quantum_fleet(double rate_per_s, SimTime duration) {
  FleetConfig c;
  c.duration = duration;
  c.places = {{"us-east", false, 0}};
  c.unlimited_capacity = true;
  c.quantum.qpus = {qpu("eagle", 127)};
  c.quantum.tenants = {"research"};
  FleetDeployment d;
  d.name = "Job/quantum-simulation";
  d.places = {0};
  d.replicas = 0;
  d.quantum = QuantumJobConfig{50, 100, 1024};
  c.deployments = {d};
  FleetWorkload w;
  w.name = "sim";
  w.tenant = 0;
  w.arrival.process = ArrivalConfig::Process::poisson;
  w.arrival.rate_per_s = rate_per_s;
  c.workloads = {w};
  return c;
}

struct MeanSe {
  double mean;
  double se;
};

template <class F>
MeanSe over_replications(const FleetConfig& c, int reps, F&& metric) {
  double sum = 0;
  double sq = 0;
  for (int i = 0; i < reps; ++i) {
    const double v = metric(run_fleet(c, 11, static_cast<std::uint64_t>(i)).metrics);
    sum += v;
    sq += v * v;
  }
  const double mean = sum / reps;
  return {mean, std::sqrt((sq / reps - mean * mean) / (reps - 1))};
}

TEST(Quantum, ExecutionTimeIsOverheadPlusShotsTimesLayersReadoutAndReset) {
  const QpuConfig q = qpu("eagle", 127);
  EXPECT_EQ(quantum::execution_time(q, {50, 100, 1024}), std::llround(kExecS * 1e9));
  // IBM's published breakdown of a 1024-shot job on ibmqx4 (PUBLISHED.md §3): ~15 s loading,
  // ~4 ms reset and calibration and ~1 ms circuit and readout per shot, ~19.8 s reported.
  // The formula with those figures comes within 2 % of the reported time.
  QpuConfig ibmqx4 = q;
  ibmqx4.gate_2q = 0;
  ibmqx4.readout = 1'000'000;
  EXPECT_NEAR(to_seconds(quantum::execution_time(ibmqx4, {5, 1, 1024})), 19.8, 0.4);
}

// FIFO, Poisson arrivals, a fixed execution time D: M/D/1, mean wait rho D / (2 (1 - rho)).
TEST(Quantum, FifoMatchesMD1AtTwoLoads) {
  for (const double rho : {0.5, 0.8}) {
    FleetConfig c = quantum_fleet(rho / kExecS, 400 * kHour);
    c.warmup = 2 * kHour;
    const double truth = rho * kExecS / (2 * (1 - rho));
    const MeanSe w =
        over_replications(c, 20, [](const MetricMap& m) { return m.at("quantum.wait.mean_s"); });
    EXPECT_NEAR(w.mean, truth, 3 * w.se) << "rho " << rho << " se " << w.se;
    EXPECT_LT(w.se, 0.03 * truth);
  }
}

TEST(Quantum, QueueDepthRejectsExactlyTheOverflow) {
  FleetConfig c = quantum_fleet(0, kHour);
  c.quantum.qpus[0].queue_depth = 3;
  static const std::vector<SimTime> burst = {1 * kSecond, 2 * kSecond, 3 * kSecond, 4 * kSecond,
                                             5 * kSecond, 6 * kSecond, 7 * kSecond, 8 * kSecond,
                                             9 * kSecond, 10 * kSecond};
  c.workloads[0].arrival.process = ArrivalConfig::Process::trace;
  c.workloads[0].arrival.trace = &burst;
  const MetricMap m = run_fleet(c, 1, 0).metrics;
  // The first runs at once, three wait, six find the queue full.
  EXPECT_EQ(m.at("quantum.jobs.rejected"), 6);
  EXPECT_EQ(m.at("quantum.jobs.completed"), 4);
  EXPECT_EQ(m.at("requests.failed"), 6);
  EXPECT_EQ(m.at("qpus.eagle.quantum.jobs.rejected"), 6);
}

// Two tenants submitting 3:1, both backlogged (3 and 0.75 times what the QPU serves): under
// fair-share each gets half the QPU time; under FIFO they get it 3:1.
TEST(Quantum, FairShareSplitsABackloggedQpuEqually) {
  FleetConfig c = quantum_fleet(2.25 / kExecS, 48 * kHour);
  c.warmup = kHour;
  c.quantum.tenants = {"a", "b"};
  c.workloads.push_back(c.workloads[0]);
  c.workloads[1].name = "b-jobs";
  c.workloads[1].tenant = 1;
  c.workloads[1].arrival.rate_per_s = 0.75 / kExecS;
  const auto share = [&](quantum::QueuePolicy p) {
    FleetConfig x = c;
    x.quantum.qpus[0].policy = p;
    const MetricMap m = run_fleet(x, 5, 0).metrics;
    return m.at("tenants.a.quantum.utilization") / m.at("tenants.b.quantum.utilization");
  };
  EXPECT_NEAR(share(quantum::QueuePolicy::fair_share), 1.0, 0.05);
  EXPECT_NEAR(share(quantum::QueuePolicy::fifo), 3.0, 0.15);
}

// Short (100 shots) and long (10,000 shots) circuits, half each, rho 0.8. Shortest-job-first
// is the two-class non-preemptive priority queue of M/G/1: W0 = lambda E[S^2] / 2, the short
// class waits W0 / (1 - rho1), the long W0 / ((1 - rho1)(1 - rho)); FIFO waits W0 / (1 - rho).
TEST(Quantum, ShortestJobFirstMatchesTheMG1PriorityFormulaAndBeatsFifo) {
  const QpuConfig q = qpu("eagle", 127);
  const double s1 = to_seconds(quantum::execution_time(q, {50, 100, 100}));
  const double s2 = to_seconds(quantum::execution_time(q, {50, 100, 10000}));
  const double rho = 0.8;
  const double lambda = rho / (0.5 * s1 + 0.5 * s2);
  FleetConfig c = quantum_fleet(lambda / 2, 400 * kHour);
  c.warmup = 2 * kHour;
  c.deployments[0].quantum->shots = 100;
  FleetDeployment long_job = c.deployments[0];
  long_job.name = "Job/long";
  long_job.quantum->shots = 10000;
  c.deployments.push_back(long_job);
  c.workloads.push_back(c.workloads[0]);
  c.workloads[1].name = "long";
  c.workloads[1].deployment = 1;
  const double w0 = lambda * (0.5 * s1 * s1 + 0.5 * s2 * s2) / 2;
  const double rho1 = lambda / 2 * s1;
  const double sjf = 0.5 * w0 / (1 - rho1) + 0.5 * w0 / ((1 - rho1) * (1 - rho));
  const double fifo = w0 / (1 - rho);
  const auto wait = [](const MetricMap& m) { return m.at("quantum.wait.mean_s"); };
  c.quantum.qpus[0].policy = quantum::QueuePolicy::shortest_job_first;
  const MeanSe w_sjf = over_replications(c, 20, wait);
  c.quantum.qpus[0].policy = quantum::QueuePolicy::fifo;
  const MeanSe w_fifo = over_replications(c, 20, wait);
  EXPECT_NEAR(w_sjf.mean, sjf, 3 * w_sjf.se) << "se " << w_sjf.se;
  EXPECT_NEAR(w_fifo.mean, fifo, 3 * w_fifo.se) << "se " << w_fifo.se;
  // The formulas put SJF 27 % below FIFO here (sjf / fifo = 0.727); measured, at least 20 %.
  EXPECT_NEAR(sjf / fifo, 0.727, 0.001);
  EXPECT_LT(w_sjf.mean, 0.8 * w_fifo.mean);
}

TEST(Quantum, AJobNeverRunsOnAQpuWithTooFewQubits) {
  FleetConfig c = quantum_fleet(0.5 / kExecS, 24 * kHour);
  c.quantum.qpus = {qpu("falcon", 27), qpu("eagle", 127)};
  const MetricMap m = run_fleet(c, 1, 0).metrics;
  EXPECT_EQ(m.at("qpus.falcon.quantum.jobs.completed"), 0);
  EXPECT_GT(m.at("qpus.eagle.quantum.jobs.completed"), 1000);
  EXPECT_EQ(m.at("quantum.jobs.rejected"), 0);
  // 200 qubits: no QPU has them, every job is rejected.
  c.deployments[0].quantum->qubits = 200;
  const MetricMap none = run_fleet(c, 1, 0).metrics;
  EXPECT_EQ(none.at("quantum.jobs.completed"), 0);
  EXPECT_EQ(none.at("quantum.jobs.rejected"), none.at("requests.total"));
}

// A depth-100 circuit lasts 100 x 300 ns = 30 us: on a QPU with T2 20 us it decoheres. It is
// flagged and still runs; under strict fidelity it is rejected.
TEST(Quantum, ACircuitLongerThanT2IsFlaggedAndRejectedUnderStrictFidelity) {
  FleetConfig c = quantum_fleet(0.1 / kExecS, 24 * kHour);
  c.quantum.qpus[0].t2 = 20 * kMicrosecond;
  const MetricMap loose = run_fleet(c, 1, 0).metrics;
  EXPECT_EQ(loose.at("quantum.jobs.decoherent"), loose.at("requests.total"));
  EXPECT_EQ(loose.at("quantum.jobs.rejected"), 0);
  c.quantum.strict_fidelity = true;
  const MetricMap strict = run_fleet(c, 1, 0).metrics;
  EXPECT_EQ(strict.at("quantum.jobs.completed"), 0);
  EXPECT_EQ(strict.at("quantum.jobs.rejected"), strict.at("requests.total"));
  c.quantum.qpus[0].t2 = 40 * kMicrosecond;  // long enough: nothing flagged
  EXPECT_EQ(run_fleet(c, 1, 0).metrics.count("quantum.jobs.decoherent"), 0u);
}

// A calibration window of 30 s at 100 s: a job started at 90 s pauses for exactly 30 s; one
// submitted during the window starts at its end.
TEST(Quantum, CalibrationStopsExecutionForExactlyItsLength) {
  FleetConfig c = quantum_fleet(0, 200 * kSecond);
  c.quantum.qpus[0].calibration_period = 100 * kSecond;
  c.quantum.qpus[0].calibration_length = 30 * kSecond;
  static const std::vector<SimTime> one = {90 * kSecond};
  c.workloads[0].arrival.process = ArrivalConfig::Process::trace;
  c.workloads[0].arrival.trace = &one;
  const MetricMap m = run_fleet(c, 1, 0).metrics;
  EXPECT_NEAR(m.at("latency.mean_ms"), (kExecS + 30) * 1e3, 1e-3);
  static const std::vector<SimTime> during = {110 * kSecond};
  c.workloads[0].arrival.trace = &during;
  const MetricMap w = run_fleet(c, 1, 0).metrics;
  EXPECT_NEAR(w.at("quantum.wait.mean_s"), 20.0, 1e-6);
}

// A hybrid workflow on an idle system. Each classical step's pod: 2 s pull (a new image per
// step), 1 s start, 5 s of work; the quantum step: kExecS.
FleetConfig workflow_fleet(bool dag) {
  FleetConfig c = quantum_fleet(0, kHour);
  c.unlimited_capacity = false;
  NodePoolConfig pool;
  pool.count = 2;
  pool.cpu_milli = 8000;
  pool.memory_bytes = 32LL << 30;
  c.pools = {pool};
  c.timings.image_pull = Distribution::deterministic(2);
  c.timings.container_start = Distribution::deterministic(1);
  FleetDeployment wf;
  wf.name = "Workflow/hybrid";
  wf.places = {0};
  wf.replicas = 0;
  quantum::WorkflowConfig steps;
  quantum::WorkflowStep pre{"pre", false, {}, 0, {}};
  quantum::WorkflowStep solve{"solve", true, {50, 100, 1024}, 0, {0}};
  quantum::WorkflowStep post{"post", false, {}, 1, {1}};
  steps.steps = {pre, solve, post};
  if (dag) {  // pre -> {solve, side} -> post
    quantum::WorkflowStep side{"side", false, {}, 2, {0}};
    steps.steps = {pre, solve, side, post};
    steps.steps[3].pod_offset = 1;
    steps.steps[3].deps = {1, 2};
  }
  wf.workflow = steps;
  c.deployments = {wf};
  for (const char* image : {"pre:1", "post:1", "side:1"}) {
    FleetDeployment pods;
    pods.name = std::string("Workflow/hybrid:") + image;
    pods.image = image;
    pods.cpu_milli = 1000;
    pods.memory_bytes = 1LL << 30;
    pods.places = {0};
    pods.replicas = 0;
    pods.workflow_pods = true;
    c.deployments.push_back(pods);
  }
  static const std::vector<SimTime> once = {10 * kSecond};
  c.workloads[0].arrival.process = ArrivalConfig::Process::trace;
  c.workloads[0].arrival.trace = &once;
  c.workloads[0].service_time = Distribution::deterministic(5);
  return c;
}

TEST(Quantum, AnIdleWorkflowsMakespanIsTheSumOfItsSteps) {
  const MetricMap m = run_fleet(workflow_fleet(false), 1, 0).metrics;
  EXPECT_NEAR(m.at("workflows.makespan_s"), 8 + kExecS + 8, 1e-6);
  EXPECT_EQ(m.at("quantum.jobs.completed"), 1);
  EXPECT_EQ(m.at("requests.completed"), 1);
}

TEST(Quantum, ADagWithTwoParallelBranchesTakesTheLongerOne) {
  const MetricMap m = run_fleet(workflow_fleet(true), 1, 0).metrics;
  // pre (8 s), then the quantum branch (kExecS) beside the classical one (8 s), then post.
  EXPECT_NEAR(m.at("workflows.makespan_s"), 8 + std::max(kExecS, 8.0) + 8, 1e-6);
}

}  // namespace
}  // namespace kt::models
