// Quantum objects as a user writes them, into the fleet's configuration: QPUs from
// QuantumCluster objects and quantum Nodes, circuits from Jobs, Argo steps and dags as DAGs
// (docs/models/quantum.md); and the warning for circuits no QPU can run.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "scenarios/loader.hpp"
#include "scenarios/run_plan.hpp"

namespace kt::scenario {
namespace {

namespace fs = std::filesystem;

constexpr const char* kObjects = R"(apiVersion: quantum.k8s.io/v1alpha1
kind: QuantumCluster
metadata: {name: eagle}
spec:
  provider: IBM
  qubits: 127
  calibration:
    t1: 120us
    t2: 100us
    gateTime2q: 500ns
    window: {every: 12h, duration: 20m}
  scheduling: {queueDepth: 7, priority: fair-share}
---
apiVersion: v1
kind: Node
metadata:
  name: same-eagle
  labels: {quantum.vendor: ibm, quantum.qubits: "127"}
---
apiVersion: v1
kind: Node
metadata:
  name: other-qpu
  labels: {quantum.vendor: rigetti, quantum.qubits: "80"}
---
apiVersion: batch/v1
kind: Job
metadata: {name: sim}
spec:
  template:
    spec:
      containers:
      - name: c
        image: sim:1
        env: [{name: QUBITS, value: "50"}, {name: CIRCUIT_DEPTH, value: "30"}, {name: SHOTS, value: "2000"}]
      restartPolicy: Never
---
apiVersion: batch/v1
kind: Job
metadata: {name: huge}
spec:
  template:
    spec:
      containers:
      - {name: c, image: huge:1, resources: {requests: {quantum.qubits: "500"}}}
      restartPolicy: Never
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: post, template: classical, dependencies: [solve, side]}
      - {name: pre, template: classical}
      - {name: solve, template: quantum, dependencies: [pre]}
      - {name: side, template: inner, dependencies: [pre]}
  - name: inner
    steps:
    - - {name: a, template: classical}
      - {name: b, template: other}
    - - {name: c, template: other}
  - name: classical
    container: {image: c:1, resources: {requests: {cpu: 500m, memory: 1Gi}}}
  - name: other
    container: {image: o:1}
  - name: quantum
    container: {image: q:1, resources: {requests: {quantum.qubits: "20"}, limits: {quantum.qubits: "20"}}}
)";

struct Planned {
  models::FleetConfig fleet;
  std::vector<std::string> warnings;
};

Planned plan(const std::string& workloads, const std::string& policy = "") {
  const fs::path dir =
      fs::temp_directory_path() / ("kubetwin-quantum-plan-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(std::hash<std::string>{}(workloads + policy)));
  fs::create_directories(dir);
  std::ofstream(dir / "m.yaml") << kObjects;
  std::ofstream(dir / "s.yaml") << "apiVersion: kubetwin.io/v1alpha1\nkind: Scenario\n"
                                   "metadata: {name: t}\nspec:\n  duration: 1h\n"
                                   "  manifests: [m.yaml]\n  workloads:\n"
                                << workloads << policy;
  Diagnostics diags;
  Scenario sc;
  Planned out;
  if (load_scenario_file((dir / "s.yaml").string(), sc, diags)) {
    RunPlan rp;
    EXPECT_TRUE(build_run_plan(sc, sc.policies.front(), rp, diags));
    out.fleet = rp.fleet_config;
  }
  fs::remove_all(dir);
  for (const Diagnostic& d : diags.sorted()) {
    EXPECT_NE(d.severity, Severity::error) << format_diagnostic(d);
    if (d.severity == Severity::warning) out.warnings.push_back(d.message);
  }
  return out;
}

const char* kSim =
    "    - {name: s, target: Job/sim, tenant: lab, priority: 3, arrival: {process: poisson, "
    "rate: 1/s}, service: {distribution: exponential, mean: 1s}}\n";

TEST(QuantumPlan, QpusComeFromClustersAndNodesTheyDoNotDescribe) {
  const Planned p = plan(kSim);
  const auto& qpus = p.fleet.quantum.qpus;
  ASSERT_EQ(qpus.size(), 2u);  // eagle, other-qpu; same-eagle is eagle's own Node
  EXPECT_EQ(qpus[0].name, "eagle");
  EXPECT_EQ(qpus[0].qubits, 127);
  EXPECT_EQ(qpus[0].t2, 100 * kMicrosecond);
  EXPECT_EQ(qpus[0].gate_2q, 500);
  EXPECT_EQ(qpus[0].queue_depth, 7u);
  EXPECT_EQ(qpus[0].policy, quantum::QueuePolicy::fair_share);
  EXPECT_EQ(qpus[0].calibration_period, 12 * kHour);
  EXPECT_EQ(qpus[0].calibration_length, 20 * kMinute);
  EXPECT_EQ(qpus[0].calibration_start, 6 * kHour);  // half a period: the default
  EXPECT_EQ(qpus[1].name, "other-qpu");
  EXPECT_EQ(qpus[1].qubits, 80);
  EXPECT_EQ(qpus[1].calibration_period, kDay);  // the documented default
  // The policy knob overrides every QPU's.
  const Planned sjf = plan(kSim, "  policies: [{name: p, quantumQueue: shortest-job-first}]\n");
  for (const quantum::QpuConfig& q : sjf.fleet.quantum.qpus)
    EXPECT_EQ(q.policy, quantum::QueuePolicy::shortest_job_first);
}

TEST(QuantumPlan, AJobThatAsksForQubitsIsACircuit) {
  const Planned p = plan(kSim);
  ASSERT_EQ(p.fleet.deployments.size(), 1u);
  const models::FleetDeployment& d = p.fleet.deployments[0];
  ASSERT_TRUE(d.quantum.has_value());
  EXPECT_FALSE(d.job.has_value());
  EXPECT_EQ(d.quantum->qubits, 50);
  EXPECT_EQ(d.quantum->depth, 30);
  EXPECT_EQ(d.quantum->shots, 2000);
  EXPECT_EQ(p.fleet.quantum.tenants, std::vector<std::string>{"lab"});
  EXPECT_EQ(p.fleet.workloads[0].tenant, 0);
  EXPECT_EQ(p.fleet.workloads[0].priority, 3);
}

TEST(QuantumPlan, ACircuitNoQpuCanRunIsAWarning) {
  const Planned p = plan(
      "    - {name: h, target: Job/huge, arrival: {process: poisson, rate: 1/s}, service: "
      "{distribution: exponential, mean: 1s}}\n");
  ASSERT_EQ(p.fleet.deployments.size(), 1u);
  EXPECT_EQ(p.fleet.deployments[0].quantum->qubits, 500);
  EXPECT_EQ(p.fleet.quantum.tenants, std::vector<std::string>{"h"});  // the workload's name
  bool said = false;
  for (const std::string& w : p.warnings)
    said = said || w == "workload h: its circuits need 500 qubits and the largest QPU has 127: "
                        "every one is rejected";
  EXPECT_TRUE(said);
}

// main's dag: pre -> {solve (quantum), side} -> post, side being the steps template inner:
// {a, b} in parallel, then c.
TEST(QuantumPlan, StepsAndDagsBecomeOneDag) {
  const Planned p = plan(
      "    - {name: w, target: Workflow/wf, arrival: {process: poisson, rate: 1/s}, service: "
      "{distribution: exponential, mean: 1s}}\n");
  ASSERT_EQ(p.fleet.deployments.size(), 3u);  // the workflow, then classical's and other's pods
  const auto& wf = p.fleet.deployments[0].workflow;
  ASSERT_TRUE(wf.has_value());
  EXPECT_TRUE(p.fleet.deployments[1].workflow_pods);
  EXPECT_EQ(p.fleet.deployments[1].cpu_milli, 500);
  EXPECT_EQ(p.fleet.deployments[2].name, "Workflow/wf:other");
  std::vector<std::string> names;
  for (const quantum::WorkflowStep& s : wf->steps)
    names.push_back(s.name);
  // In dependency order: pre, solve, a, b, c, post.
  ASSERT_EQ(names, (std::vector<std::string>{"classical", "quantum", "classical", "other", "other",
                                             "classical"}));
  const auto& s = wf->steps;
  EXPECT_TRUE(s[0].deps.empty());
  EXPECT_TRUE(s[1].quantum);
  EXPECT_EQ(s[1].job.qubits, 20);
  EXPECT_EQ(s[1].deps, std::vector<std::uint32_t>{0});
  EXPECT_EQ(s[2].deps, std::vector<std::uint32_t>{0});       // a, after pre
  EXPECT_EQ(s[3].deps, std::vector<std::uint32_t>{0});       // b, beside a
  EXPECT_EQ(s[4].deps, (std::vector<std::uint32_t>{2, 3}));  // c, after a and b
  EXPECT_EQ(s[5].deps, (std::vector<std::uint32_t>{1, 4}));  // post, after solve and side
  EXPECT_EQ(s[0].pod_offset, 0u);
  EXPECT_EQ(s[3].pod_offset, 1u);
}

}  // namespace
}  // namespace kt::scenario
