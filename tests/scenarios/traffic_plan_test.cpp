// How the planner resolves a workload's path to pods, as Kubernetes and Istio do: a Service
// selects the Deployments of its own namespace whose pod labels match; the load balancing is
// the knob, else the kubetwin.io/load-balancing annotation, else a DestinationRule for the
// Service's host, else Istio's LEAST_REQUEST when a VirtualService routes it, else
// kube-proxy's random choice.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenarios/loader.hpp"
#include "scenarios/run_plan.hpp"

namespace kt::scenario {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDeployments = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web-a}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: web:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-b}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, track: canary}}
    spec: {terminationGracePeriodSeconds: 5, containers: [{name: c, image: web:2}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-elsewhere, namespace: other}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: web:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
)";

// Loads a scenario over kDeployments plus `extra` manifests and plans every policy.
std::vector<RunPlan> plan(const std::string& extra, const std::string& policies) {
  const fs::path dir =
      fs::temp_directory_path() /
      ("kubetwin-traffic-" + std::to_string(reinterpret_cast<std::uintptr_t>(&extra)) + "-" +
       std::to_string(std::hash<std::string>{}(extra + policies)));
  fs::create_directories(dir);
  std::ofstream(dir / "m.yaml") << kDeployments << (extra.empty() ? "" : "---\n") << extra;
  std::ofstream(dir / "s.yaml") << "apiVersion: kubetwin.io/v1alpha1\nkind: Scenario\n"
                                   "metadata: {name: t}\nspec:\n  duration: 1h\n"
                                   "  manifests: [m.yaml]\n  workloads:\n"
                                   "    - {name: users, target: Service/web, arrival: {process: "
                                   "poisson, rate: 1/s}, service: {distribution: exponential, "
                                   "mean: 100ms}}\n  policies:\n"
                                << policies;
  Diagnostics diags;
  Scenario sc;
  std::vector<RunPlan> plans;
  if (load_scenario_file((dir / "s.yaml").string(), sc, diags)) {
    for (const Policy& p : sc.policies) {
      RunPlan rp;
      EXPECT_TRUE(build_run_plan(sc, p, rp, diags));
      plans.push_back(std::move(rp));
    }
  }
  fs::remove_all(dir);
  for (const Diagnostic& d : diags.sorted()) {
    EXPECT_NE(d.severity, Severity::error) << format_diagnostic(d);
  }
  return plans;
}

TEST(TrafficPlan, AServiceSelectsTheMatchingDeploymentsOfItsNamespace) {
  const auto plans = plan("", "    - name: p\n");
  ASSERT_EQ(plans.size(), 1u);
  const models::FleetConfig& f = plans[0].fleet_config;
  ASSERT_EQ(f.workloads.size(), 1u);
  ASSERT_EQ(f.workloads[0].backends.size(), 2u);  // web-a and web-b, not web-elsewhere
  std::vector<std::string> names;
  for (std::uint32_t d : f.workloads[0].backends)
    names.push_back(f.deployments[d].name);
  EXPECT_EQ(names, (std::vector<std::string>{"Deployment/web-a", "Deployment/web-b"}));
  EXPECT_EQ(f.workloads[0].load_balancing, models::LoadBalancing::random);  // kube-proxy
  EXPECT_EQ(f.workloads[0].retry_attempts, 0u) << "kube-proxy retries nothing";
  // terminationGracePeriodSeconds as written, upstream's 30 s where it is not.
  EXPECT_EQ(f.deployments[0].termination_grace, 30 * kSecond);
  EXPECT_EQ(f.deployments[1].termination_grace, 5 * kSecond);
}

TEST(TrafficPlan, NativeBalancingFollowsTheMesh) {
  const std::string rule = R"(apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: web}
spec:
  host: web.default.svc.cluster.local
  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
)";
  const std::string route = R"(apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http: [{route: [{destination: {host: web}}]}]
)";
  const std::string other_rule = R"(apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: elsewhere}
spec:
  host: web.other.svc.cluster.local
  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
)";
  using models::LoadBalancing;
  EXPECT_EQ(plan(rule, "    - name: p\n")[0].fleet_config.workloads[0].load_balancing,
            LoadBalancing::round_robin);
  EXPECT_EQ(plan(route, "    - name: p\n")[0].fleet_config.workloads[0].load_balancing,
            LoadBalancing::least_request);
  // A rule for another namespace's host does not apply.
  EXPECT_EQ(plan(other_rule, "    - name: p\n")[0].fleet_config.workloads[0].load_balancing,
            LoadBalancing::random);
  // The knob overrides what the manifests declare.
  EXPECT_EQ(plan(rule, "    - {name: p, loadBalancing: least-request}\n")[0]
                .fleet_config.workloads[0]
                .load_balancing,
            LoadBalancing::least_request);
}

}  // namespace
}  // namespace kt::scenario

namespace kt::scenario {
namespace {

TEST(FleetPlan, NodeObjectsBecomeNodesWithTheirAllocatableLabelsAndTaints) {
  const std::string nodes = R"(apiVersion: v1
kind: Node
metadata: {name: kwok-0, labels: {type: kwok}}
spec:
  taints: [{key: kwok.x-k8s.io/node, value: fake, effect: NoSchedule}]
status:
  capacity: {cpu: "4", memory: 8Gi}
  allocatable: {cpu: 3500m, memory: 7Gi}
---
apiVersion: v1
kind: Node
metadata: {name: cordoned}
spec: {unschedulable: true}
status: {capacity: {cpu: "2", memory: 4Gi}}
---
apiVersion: v1
kind: Node
metadata: {name: listed-only}
)";
  const auto plans = plan(nodes, "    - name: p\n");
  ASSERT_EQ(plans.size(), 1u);
  const models::FleetConfig& f = plans[0].fleet_config;
  EXPECT_FALSE(f.unlimited_capacity) << "Node objects give the fleet its capacity";
  ASSERT_EQ(f.pools.size(), 2u) << "a Node without cpu and memory is not a node";
  EXPECT_EQ(f.pools[0].name, "kwok-0");
  EXPECT_EQ(f.pools[0].count, 1u);
  EXPECT_EQ(f.pools[0].cpu_milli, 3500) << "allocatable, not capacity";
  EXPECT_EQ(f.pools[0].memory_bytes, 7LL << 30);
  EXPECT_EQ(f.pools[0].labels.at("type"), "kwok");
  EXPECT_EQ(f.pools[0].labels.at("kubernetes.io/hostname"), "kwok-0");
  ASSERT_EQ(f.pools[0].taints.size(), 1u);
  EXPECT_EQ(f.pools[0].taints[0].key, "kwok.x-k8s.io/node");
  EXPECT_EQ(f.pools[1].cpu_milli, 2000) << "capacity when there is no allocatable";
  ASSERT_EQ(f.pools[1].taints.size(), 1u);
  EXPECT_EQ(f.pools[1].taints[0].key, "node.kubernetes.io/unschedulable");
}

TEST(FleetPlan, VirtualServiceRetriesAndPodErrorRatesArePlanned) {
  const std::string extra = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
  - route: [{destination: {host: web}}]
    retries: {attempts: 5, perTryTimeout: 2s}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-flaky}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, flaky: "yes"}
      annotations: {kubetwin.io/error-rate: "0.25"}
    spec: {containers: [{name: c, image: web:1}]}
)";
  const auto plans = plan(extra, "    - name: p\n");
  ASSERT_EQ(plans.size(), 1u);
  const models::FleetConfig& f = plans[0].fleet_config;
  EXPECT_EQ(f.workloads[0].retry_attempts, 5u);
  ASSERT_EQ(f.deployments.size(), 3u);
  EXPECT_EQ(f.deployments[2].error_rate, 0.25);
  EXPECT_EQ(f.deployments[0].error_rate, 0.0);
}

TEST(FleetPlan, ARuntimeClassOverheadIsPlanned) {
  const std::string extra = R"(apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: kata}
handler: kata
overhead: {podFixed: {cpu: 250m, memory: 120Mi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-kata}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, sandbox: kata}}
    spec: {runtimeClassName: kata, containers: [{name: c, image: web:1}]}
)";
  const auto plans = plan(extra, "    - name: p\n");
  ASSERT_EQ(plans.size(), 1u);
  const models::FleetConfig& f = plans[0].fleet_config;
  ASSERT_EQ(f.deployments.size(), 3u);
  EXPECT_EQ(f.deployments[2].name, "Deployment/web-kata");
  EXPECT_EQ(f.deployments[2].overhead_cpu_milli, 250);
  EXPECT_EQ(f.deployments[2].overhead_memory_bytes, 120LL << 20);
  EXPECT_EQ(f.deployments[0].overhead_cpu_milli, 0);
}

TEST(FleetPlan, AVirtualServiceSplitsByWeightIntoDestinationRuleSubsets) {
  // Istio's traffic shifting (bookinfo's virtual-service-reviews-80-20.yaml): routes with
  // match conditions are skipped, simulated requests carrying no headers.
  const std::string mesh = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: web, subset: canary}}]
  - timeout: 1500ms
    route:
    - destination: {host: web, subset: stable}
      weight: 80
    - destination: {host: web, subset: canary}
      weight: 20
    - destination: {host: web, subset: missing}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec:
  host: web
  subsets:
  - {name: stable, labels: {app: web}}
  - {name: canary, labels: {track: canary}}
)";
  const auto plans = plan(mesh, "    - name: p\n");
  ASSERT_EQ(plans.size(), 1u);
  const models::FleetConfig& f = plans[0].fleet_config;
  const auto& split = f.workloads[0].split;
  ASSERT_EQ(split.size(), 3u);
  EXPECT_EQ(split[0].weight, 80);
  ASSERT_EQ(split[0].deployments.size(), 2u) << "stable selects web-a and web-b";
  EXPECT_EQ(split[1].weight, 20);
  ASSERT_EQ(split[1].deployments.size(), 1u);
  EXPECT_EQ(f.deployments[split[1].deployments[0]].name, "Deployment/web-b");
  EXPECT_EQ(split[2].weight, 0) << "unwritten among written weights";
  EXPECT_TRUE(split[2].deployments.empty()) << "no DestinationRule defines 'missing'";
  EXPECT_EQ(f.workloads[0].timeout, 1500 * kMillisecond) << "the route taken's timeout";
  EXPECT_EQ(f.workloads[0].retry_attempts, 2u) << "Istio's default retries, none written";
  bool said = false;
  for (const std::string& n : plans[0].not_simulated)
    said = said || n.find("subset missing -> not simulated") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(FleetPlan, AnHpaWithoutASimulatedSourceLeavesItsTargetUnscaled) {
  const std::string hpa = R"(apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-a}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-a}
  maxReplicas: 9
  metrics:
  - type: External
    external:
      metric: {name: kafka_consumergroup_lag}
      target: {type: AverageValue, averageValue: "100"}
)";
  const auto plans = plan(hpa, "    - name: p\n");
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_FALSE(plans[0].fleet_config.deployments[0].hpa.has_value());
  const std::string rps = R"(apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-a}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-a}
  maxReplicas: 9
  metrics:
  - type: Object
    object:
      describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
      metric: {name: requests-per-second}
      target: {type: Value, value: 10k}
  behavior:
    scaleDown: {selectPolicy: Disabled}
)";
  const auto with_rps = plan(rps, "    - name: p\n");
  ASSERT_EQ(with_rps.size(), 1u);
  const auto& h = with_rps[0].fleet_config.deployments[0].hpa;
  ASSERT_TRUE(h.has_value());
  ASSERT_EQ(h->metrics.size(), 1u);
  EXPECT_EQ(h->metrics[0].quantity, autoscaling::HpaMetric::Quantity::requests_per_second);
  EXPECT_EQ(h->metrics[0].target, autoscaling::HpaMetric::Target::value);
  EXPECT_EQ(h->metrics[0].target_milli, 10'000'000);
  ASSERT_TRUE(h->behavior.has_value());
  EXPECT_EQ(h->behavior->scale_down.select, autoscaling::ScalingRules::Select::disabled);
  EXPECT_EQ(h->behavior->scale_up.policies.size(), 2u) << "scaleUp keeps upstream's defaults";
}

}  // namespace
}  // namespace kt::scenario
