// The seed document's 19 manifests: each is read, and the fields that change simulated
// behaviour come out typed and right.

#include <gtest/gtest.h>

#include <algorithm>

#include "scenarios/loader.hpp"

namespace kt::scenario {
namespace {

class SeedManifests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    diags_ = new Diagnostics;
    result_ = new LoadResult(load_paths({KT_SOURCE_DIR "/data/manifests/seed"}, *diags_));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete diags_;
  }
  template <typename Spec>
  static const Spec& spec(const std::string& kind, const std::string& name) {
    for (const ManifestObject& obj : result_->objects) {
      if (obj.kind == kind && obj.name == name) return std::get<Spec>(obj.spec);
    }
    throw std::runtime_error("no " + kind + "/" + name);
  }
  static const ManifestObject& object(const std::string& kind, const std::string& name) {
    for (const ManifestObject& obj : result_->objects) {
      if (obj.kind == kind && obj.name == name) return obj;
    }
    throw std::runtime_error("no " + kind + "/" + name);
  }
  static bool warned(const std::string& file_part, const std::string& text) {
    return std::any_of(diags_->all().begin(), diags_->all().end(), [&](const Diagnostic& d) {
      return d.severity == Severity::warning && d.pos.file.find(file_part) != std::string::npos &&
             d.message.find(text) != std::string::npos;
    });
  }
  static Diagnostics* diags_;
  static LoadResult* result_;
};

Diagnostics* SeedManifests::diags_ = nullptr;
LoadResult* SeedManifests::result_ = nullptr;

TEST_F(SeedManifests, AllNineteenObjectsLoadWithoutErrors) {
  for (const Diagnostic& d : diags_->all()) {
    EXPECT_NE(d.severity, Severity::error) << format_diagnostic(d);
  }
  EXPECT_EQ(result_->objects.size(), 19u);
}

TEST_F(SeedManifests, IntelligentDeploymentIsPredictive) {
  const auto& s = spec<IntelligentDeploymentSpec>("IntelligentDeployment", "ai-powered-app");
  EXPECT_TRUE(s.auto_replicas);
  EXPECT_EQ(s.scaling_type, "predictive");
  EXPECT_EQ(s.prediction_window, 24 * kHour);
  EXPECT_EQ(s.optimization_strategy, "cost-effective");
  EXPECT_TRUE(s.self_healing);
  EXPECT_EQ(s.recovery_time_objective, 30 * kSecond);
  EXPECT_TRUE(warned("01-intelligent", "apps/v2 does not exist"));
}

TEST_F(SeedManifests, MultiClusterDeploymentWeights) {
  const auto& s = spec<MultiClusterDeploymentSpec>("MultiClusterDeployment", "global-app");
  EXPECT_EQ(s.strategy, "cost-optimized");
  ASSERT_EQ(s.regions.size(), 3u);
  EXPECT_EQ(s.regions[0].name, "us-east");
  EXPECT_DOUBLE_EQ(*s.regions[0].weight, 0.40);
  EXPECT_DOUBLE_EQ(*s.regions[1].weight, 0.35);
  EXPECT_DOUBLE_EQ(*s.regions[2].weight, 0.25);
  EXPECT_EQ(s.pod.containers.at(0).image, "mycompany/global-app:latest");
}

TEST_F(SeedManifests, RuntimeClassSchedulesOntoEdgeNodes) {
  const auto& s = spec<RuntimeClassSpec>("RuntimeClass", "edge-optimized");
  EXPECT_EQ(s.handler, "edge-containerd");
  EXPECT_EQ(s.node_selector.at("node-type"), "edge");
  ASSERT_EQ(s.tolerations.size(), 1u);
  EXPECT_TRUE(
      s.tolerations[0].tolerates({"network-type", "intermittent", k8s::TaintEffect::NoSchedule}));
  EXPECT_FALSE(
      s.tolerations[0].tolerates({"network-type", "stable", k8s::TaintEffect::NoSchedule}));
}

TEST_F(SeedManifests, KnativeServices) {
  const auto& hello = spec<KnativeServiceSpec>("Service", "hello-serverless");
  const Container& c = hello.pod.containers.at(0);
  EXPECT_EQ(c.requests.at("cpu"), 100);
  EXPECT_EQ(c.requests.at("memory"), 128LL * 1024 * 1024 * 1000);
  ASSERT_NE(c.env_value("TARGET"), nullptr);
  EXPECT_EQ(*c.env_value("TARGET"), "Serverless World");
  EXPECT_FALSE(hello.pod.container_concurrency.has_value());
  EXPECT_EQ(object("Service", "hello-serverless").model, "serverless");

  const auto& opt = spec<KnativeServiceSpec>("Service", "optimized-function");
  EXPECT_EQ(opt.min_scale, 0);
  EXPECT_EQ(opt.max_scale, 50);
  EXPECT_DOUBLE_EQ(*opt.target, 10.0);
  EXPECT_EQ(*opt.pod.container_concurrency, 10);
  EXPECT_EQ(opt.pod.containers.at(0).limits.at("cpu"), 200);
  EXPECT_EQ(opt.pod.containers.at(0).requests.at("memory"), 64LL * 1024 * 1024 * 1000);
}

TEST_F(SeedManifests, PingSourceEveryFiveMinutes) {
  const auto& s = spec<PingSourceSpec>("PingSource", "ping-source");
  EXPECT_EQ(k8s::next_firing(s.schedule, 0), 5 * kMinute);
  EXPECT_EQ(s.sink.kind, "Service");
  EXPECT_EQ(s.sink.name, "event-display");
  EXPECT_EQ(s.content_type, "application/json");
  EXPECT_TRUE(warned("06-pingsource", "Service/event-display"));
}

TEST_F(SeedManifests, KedaKafkaTrigger) {
  const auto& s = spec<ScaledObjectSpec>("ScaledObject", "consumer-scaler");
  EXPECT_EQ(s.target.name, "consumer-app");
  ASSERT_EQ(s.triggers.size(), 1u);
  EXPECT_EQ(s.triggers[0].type, "kafka");
  EXPECT_DOUBLE_EQ(*s.triggers[0].threshold, 50.0);
  EXPECT_EQ(s.min_replicas, 0);  // KEDA defaults
  EXPECT_EQ(s.max_replicas, 100);
  EXPECT_EQ(s.polling_interval, 30 * kSecond);
  EXPECT_EQ(s.cooldown_period, 300 * kSecond);
}

TEST_F(SeedManifests, FaasFunctions) {
  const auto& kubeless = spec<FunctionSpec>("Function", "hello-function");
  EXPECT_EQ(kubeless.framework, "kubeless");
  EXPECT_EQ(kubeless.runtime, "python3.9");
  EXPECT_EQ(kubeless.handler, "handler.hello");
  const auto& faas = spec<FunctionSpec>("Function", "sentiment-analysis");
  EXPECT_EQ(faas.framework, "openfaas");
  EXPECT_EQ(faas.image, "mycompany/sentiment-analysis:latest");
  EXPECT_EQ(*faas.read_timeout, 30 * kSecond);
  EXPECT_EQ(*faas.write_timeout, 30 * kSecond);
}

TEST_F(SeedManifests, WarmupDeployment) {
  const auto& s = spec<DeploymentSpec>("Deployment", "function-warmup");
  EXPECT_EQ(s.replicas, 2);
  ASSERT_TRUE(s.warmer.has_value());
  EXPECT_EQ(s.warmer->targets, (std::vector<std::string>{"function1", "function2", "function3"}));
  EXPECT_EQ(s.warmer->interval, 60 * kSecond);
  EXPECT_TRUE(s.selector.matches(s.pod.labels));
}

TEST_F(SeedManifests, QuantumJobNodeAndScheduler) {
  const auto& job = spec<JobSpec>("Job", "quantum-simulation");
  ASSERT_TRUE(job.quantum.has_value());
  EXPECT_EQ(job.quantum->qubits, 50);
  EXPECT_EQ(job.quantum->circuit_depth, 100);
  EXPECT_EQ(job.quantum->shots, 1000);
  EXPECT_EQ(job.pod.restart_policy, "Never");
  EXPECT_EQ(job.backoff_limit, 6);
  EXPECT_EQ(job.pod.containers.at(0).requests.at("cpu"), 4000);
  EXPECT_EQ(job.pod.containers.at(0).limits.at("memory"), 16LL * 1024 * 1024 * 1024 * 1000);
  EXPECT_EQ(job.pod.containers.at(0).requests.count("quantum.qubits"), 0u);  // commented out

  const auto& node = spec<NodeSpec>("Node", "quantum-node-1");
  EXPECT_EQ(node.labels.at("quantum.qubits"), "127");
  ASSERT_EQ(node.taints.size(), 1u);
  EXPECT_EQ(node.taints[0].key, "quantum-workload");
  EXPECT_EQ(node.taints[0].effect, k8s::TaintEffect::NoSchedule);

  const auto& sched = spec<DeploymentSpec>("Deployment", "quantum-scheduler");
  EXPECT_EQ(sched.replicas, 1);
  EXPECT_EQ(sched.pod.containers.at(0).args.at(0), "--policy=quantum-aware");
}

TEST_F(SeedManifests, HybridWorkflow) {
  const auto& wf = spec<WorkflowSpec>("Workflow", "hybrid-quantum-workflow");
  EXPECT_EQ(wf.entrypoint, "hybrid-computation");
  ASSERT_EQ(wf.templates.size(), 4u);
  ASSERT_EQ(wf.templates[0].steps.size(), 3u);  // three sequential steps
  EXPECT_EQ(wf.templates[0].steps[1][0].template_name, "quantum-solve");
  EXPECT_EQ(wf.templates[2].container->requests.at("quantum.qubits"), 50'000);
  EXPECT_TRUE(warned("15-argo", "not a valid extended resource name"));
}

TEST_F(SeedManifests, QuantumClusterAndMesh) {
  const auto& qc = spec<QuantumClusterSpec>("QuantumCluster", "ibm-quantum-cluster");
  EXPECT_EQ(qc.qubits, 127);
  EXPECT_EQ(qc.t1, 120 * kMicrosecond);
  EXPECT_EQ(qc.t2, 100 * kMicrosecond);
  EXPECT_EQ(qc.queue_depth, 100);
  EXPECT_EQ(qc.priority, "fair-share");
  const auto& vs = spec<VirtualServiceSpec>("VirtualService", "quantum-enhanced-service");
  EXPECT_EQ(vs.retry_attempts, 3);
  EXPECT_EQ(vs.destinations, std::vector<std::string>{"quantum-service"});
  EXPECT_TRUE(warned("19-virtualservice", "unknown field 'quantumErrorCorrection'"));
}

TEST_F(SeedManifests, ConfigurationKindsAreNotSimulatedWithAReason) {
  for (const char* kind : {"GitOpsPolicy", "Secret", "AuthorizationPolicy"}) {
    const auto it = std::find_if(result_->objects.begin(), result_->objects.end(),
                                 [&](const ManifestObject& o) { return o.kind == kind; });
    ASSERT_NE(it, result_->objects.end()) << kind;
    EXPECT_TRUE(it->model.empty()) << kind;
    EXPECT_EQ(describe_handling(*it).rfind("not simulated: ", 0), 0u) << kind;
  }
  EXPECT_TRUE(warned("16-secret", "not valid base64"));
}

}  // namespace
}  // namespace kt::scenario
