// Bad input, table-driven: each case is a file a user could write, with the exact message,
// line and column kubetwin must report. Every case must also exit cleanly (no crash, no hang).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "scenarios/loader.hpp"

namespace kt::scenario {
namespace {

namespace fs = std::filesystem;

// The manifests every scenario case may refer to.
constexpr const char* kManifests = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
)";

// A valid scenario; cases replace one line of it.
constexpr const char* kScenario = R"(apiVersion: kubetwin.io/v1alpha1
kind: Scenario
metadata: {name: case}
spec:
  duration: 1h
  warmup: 1m
  replications: 2
  manifests: [m.yaml]
  infrastructure:
    regions:
      - name: us-east
        nodePools:
          - {name: general, count: 3, cpu: "16", memory: 64Gi}
  workloads:
    - name: web
      target: Service/web
      origin: us-east
      arrival: {process: poisson, rate: 5/s}
      service: {distribution: exponential, mean: 100ms}
  faults:
    - {at: 30m, kind: regionOutage, target: us-east, duration: 5m}
  policies:
    - name: baseline
      placement: weighted
  slo:
    - {metric: workloads.web.latency.p99_ms, max: 500}
)";

std::string replace_line(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("case template lacks: " + from);
  return text.replace(at, from.size(), to);
}

struct BadInput {
  const char* name;
  std::string text;      // written to case.yaml
  const char* expected;  // the first error, formatted with the file as "case.yaml"
};

std::vector<BadInput> cases() {
  const std::string s = kScenario;
  const auto sc = [&](const char* from, const char* to) { return replace_line(s, from, to); };
  std::string nested = "a: ";
  for (int i = 0; i < 200; ++i)
    nested += "[";
  for (int i = 0; i < 200; ++i)
    nested += "]";
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i)
      bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  return {
      {"unknown node autoscaler",
       sc(R"(          - {name: general, count: 3, cpu: "16", memory: 64Gi})",
          R"(          - {name: general, count: 3, cpu: "16", memory: 64Gi, autoscaling: hpa})"),
       "case.yaml:13:77: error: spec.infrastructure.regions[0].nodePools[0].autoscaling: unknown "
       "node autoscaler 'hpa'; hint: use cluster-autoscaler, karpenter or none"},
      {"pool min above max",
       sc(R"(          - {name: general, count: 3, cpu: "16", memory: 64Gi})",
          R"(          - {name: general, count: 3, min: 5, max: 4, cpu: "16", memory: 64Gi})"),
       "case.yaml:13:44: error: spec.infrastructure.regions[0].nodePools[0].min is above max"},
      {"initial count outside min..max",
       sc(R"(          - {name: general, count: 3, cpu: "16", memory: 64Gi})",
          R"(          - {name: general, count: 3, max: 2, cpu: "16", memory: 64Gi})"),
       "case.yaml:13:36: error: spec.infrastructure.regions[0].nodePools[0].count (the initial "
       "size) is outside min..max"},
      {"instance type without a price",
       sc(R"(          - {name: general, count: 3, cpu: "16", memory: 64Gi})",
          R"(          - {name: general, count: 0, cpu: "16", memory: 64Gi, instanceTypes: [{name: m5.large, cpu: "2", memory: 8Gi}]})"),
       "case.yaml:13:80: error: instance type 'm5.large' has no 'pricePerHour'; hint: write "
       "pricePerHour, or name a price table in spec.infrastructure.prices (data/prices: "
       "provider,region,instance_type,usd_per_hour,source)"},
      {"unknown nodeAutoscaling knob",
       sc("      placement: weighted", "      nodeAutoscaling: keda"),
       "case.yaml:24:24: error: unknown nodeAutoscaling 'keda'; hint: use native, none, "
       "cluster-autoscaler, karpenter"},
      {"unknown expander",
       sc("  infrastructure:\n",
          "  infrastructure:\n    clusterAutoscaler: {expander: cheapest}\n"),
       "case.yaml:10:35: error: spec.infrastructure.clusterAutoscaler.expander: unknown expander "
       "'cheapest'; hint: use random, most-pods, least-waste, price or priority"},
      {"unknown loadBalancing", sc("      placement: weighted", "      loadBalancing: fastest"),
       "case.yaml:24:22: error: unknown loadBalancing 'fastest'; hint: use native, random, "
       "round-robin, least-request"},
      {"unknown DestinationRule balancer",
       "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: w}\n"
       "spec:\n  host: web\n  trafficPolicy:\n    loadBalancer: {simple: FASTEST}\n",
       "case.yaml:7:28: error: unknown loadBalancer.simple 'FASTEST'; hint: use ROUND_ROBIN, "
       "LEAST_REQUEST, RANDOM, PASSTHROUGH or UNSPECIFIED"},
      {"DestinationRule without host",
       "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: w}\n"
       "spec: {trafficPolicy: {}}\n",
       "case.yaml:4:7: error: DestinationRule spec has no 'host'; hint: name the Service, e.g. "
       "host: reviews"},
      {"Lt toleration without an integer",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "
       "i}]\n  tolerations: [{key: sla, operator: Lt, value: high}]\n",
       "case.yaml:6:49: error: a toleration with operator Lt or Gt needs a decimal integer "
       "value, got \"high\"; hint: e.g. value: \"100\" (no leading zeros)"},
      {"malformed YAML", "apiVersion: v1\nkind: [ConfigMap\n",
       "case.yaml:3:1: error: invalid YAML: end of sequence flow not found"},
      {"tab indentation", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
       "case.yaml:4:6: error: invalid YAML: illegal map value; hint: YAML does not allow tabs "
       "for indentation; use spaces"},
      {"stray comma document", ", 8\n",
       "case.yaml:1:1: error: invalid YAML: unexpected ','; hint: a document must be a map (key: "
       "value lines)"},
      {"non-UTF-8 bytes", "apiVersion: v1\nkind: Config\xff\n",
       "case.yaml:2:13: error: file is not valid UTF-8; hint: YAML files must be UTF-8 encoded"},
      {"empty file", "\n\n",
       "case.yaml: error: file is empty; hint: a manifest or scenario needs at least one object"},
      {"comments only", "# nothing here\n",
       "case.yaml: error: file holds no objects (only comments or empty documents)"},
      {"deeply nested", nested,
       "case.yaml:1:1: error: document is nested more than 128 levels deep"},
      {"alias bomb", bomb,
       "case.yaml:1:1: error: document expands to more than 1000000 nodes (YAML aliases "
       "repeated many times?)"},
      {"not a map", "- a\n- b\n",
       "case.yaml:1:1: error: expected a Kubernetes object (a map with apiVersion, kind and "
       "metadata), got a list"},
      {"missing apiVersion", "kind: ConfigMap\nmetadata: {name: x}\n",
       "case.yaml:1:1: error: object has no 'apiVersion'"},
      {"invalid name", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Web_1}\n",
       "case.yaml:3:18: error: metadata.name \"Web_1\" is not a valid name; hint: use lowercase "
       "letters, digits, '-' and '.' (at most 253 characters)"},
      {"replicas of the wrong type", replace_line(kManifests, "replicas: 2", "replicas: three"),
       "case.yaml:5:13: error: spec.replicas must be an integer, got \"three\""},
      {"replicas quoted", replace_line(kManifests, "replicas: 2", "replicas: \"2\""),
       "case.yaml:5:13: error: spec.replicas must be an integer, got the string \"2\"; hint: "
       "remove the quotes"},
      {"negative replicas", replace_line(kManifests, "replicas: 2", "replicas: -4"),
       "case.yaml:5:13: error: spec.replicas is -4; it must be between 0 and 100000"},
      {"selector misses the pods",
       replace_line(kManifests, "selector: {matchLabels: {app: web}}",
                    "selector: {matchLabels: {app: api}}"),
       "case.yaml:6:13: error: spec.selector does not match spec.template.metadata.labels; "
       "hint: the API server rejects a Deployment whose selector misses its own pods"},
      {"unknown unit in a quantity",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: x\n"
       "    resources: {requests: {memory: 8GB}}\n",
       "case.yaml:7:36: error: spec.containers[0].resources.requests.memory: unknown unit 'GB' "
       "in quantity \"8GB\" (units: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)"},
      {"request above limit",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: x\n"
       "    resources: {requests: {cpu: \"2\"}, limits: {cpu: \"1\"}}\n",
       "case.yaml:7:33: error: spec.containers[0].resources: request for cpu exceeds its limit"},
      {"Job with restartPolicy Always",
       "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n"
       "      containers: [{image: x}]\n",
       "case.yaml:6:5: error: a Job's pod template needs restartPolicy Never or OnFailure; hint: "
       "the API server rejects restartPolicy Always (the default) for Jobs"},
      {"unknown taint effect",
       "apiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec:\n  taints:\n"
       "  - {key: a, value: b, effect: NoWay}\n",
       "case.yaml:6:32: error: unknown taint effect 'NoWay'; hint: use NoSchedule, "
       "PreferNoSchedule or NoExecute"},
      {"unknown selector operator",
       replace_line(kManifests, "selector: {matchLabels: {app: web}}",
                    "selector: {matchExpressions: [{key: app, operator: Is, values: [web]}]}"),
       "case.yaml:6:54: error: unknown selector operator 'Is'; hint: use In, NotIn, Exists or "
       "DoesNotExist"},
      {"cron with four fields",
       "apiVersion: sources.knative.dev/v1\nkind: PingSource\nmetadata: {name: p}\nspec:\n"
       "  schedule: \"*/5 * * *\"\n  sink: {ref: {kind: Service, name: s}}\n",
       "case.yaml:5:13: error: spec.schedule: invalid cron schedule \"*/5 * * *\": expected 5 "
       "fields (minute hour day-of-month month day-of-week), got 4"},
      {"minScale above maxScale",
       "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: f}\nspec:\n"
       "  template:\n    metadata:\n      annotations:\n"
       "        autoscaling.knative.dev/minScale: \"9\"\n"
       "        autoscaling.knative.dev/maxScale: \"3\"\n"
       "    spec:\n      containers: [{image: x}]\n",
       "case.yaml:8:43: error: minScale (9) is above maxScale (3)"},
      {"weight above 100 %",
       "apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: MultiClusterDeployment\n"
       "metadata: {name: g}\nspec:\n  template: {spec: {containers: [{image: x}]}}\n"
       "  placement:\n    regions:\n    - {name: us-east, weight: 140%}\n",
       "case.yaml:8:31: error: spec.placement.regions[].weight: percentage \"140%\" is outside "
       "0%..100%"},
      {"cyclic workflow steps",
       "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
       "  entrypoint: a\n  templates:\n  - name: a\n    steps:\n    - - {name: s1, template: b}\n"
       "  - name: b\n    steps:\n    - - {name: s2, template: a}\n",
       "case.yaml:12:9: error: workflow steps form a cycle: a -> b -> a; hint: a template may "
       "not call itself through its steps"},
      {"workflow step names a missing template",
       "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
       "  entrypoint: a\n  templates:\n  - name: a\n    steps:\n    - - {name: s1, template: zz}\n",
       "case.yaml:9:9: error: step 's1' uses template 'zz', which is not defined"},
      {"dag task depends on an unknown result",
       "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
       "  entrypoint: d\n  templates:\n  - name: d\n    dag:\n      tasks:\n"
       "      - {name: A, template: c}\n      - {name: B, template: c, depends: A.Finished}\n"
       "  - name: c\n    container: {image: x}\n",
       "case.yaml:11:41: error: task 'B': unknown task result 'Finished' in depends"},
      {"dag task depends on a missing task",
       "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
       "  entrypoint: d\n  templates:\n  - name: d\n    dag:\n      tasks:\n"
       "      - {name: A, template: c, depends: \"Z && !A.Failed\"}\n"
       "  - name: c\n    container: {image: x}\n",
       "case.yaml:10:9: error: task 'A' depends on 'Z', which is no task of template d"},
      {"dag tasks in a cycle",
       "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
       "  entrypoint: d\n  templates:\n  - name: d\n    dag:\n      tasks:\n"
       "      - {name: A, template: c, dependencies: [B]}\n"
       "      - {name: B, template: c, dependencies: [A]}\n"
       "  - name: c\n    container: {image: x}\n",
       "case.yaml:11:9: error: the tasks of dag d form a cycle through 'B' and 'A'"},
      {"template of two types",
       "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
       "  entrypoint: c\n  templates:\n  - name: c\n    container: {image: x}\n"
       "    script: {image: y, source: echo}\n",
       "case.yaml:7:5: error: template 'c' has more than one template type; hint: Argo allows "
       "exactly one of steps, dag, container, script, containerSet, resource, suspend, http, "
       "data, plugin"},
      {"podFailurePolicy with restartPolicy OnFailure",
       "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  podFailurePolicy:\n"
       "    rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget}]}]\n"
       "  template:\n    spec:\n      restartPolicy: OnFailure\n"
       "      containers: [{name: c, image: x}]\n",
       "case.yaml:6:5: error: podFailurePolicy needs the pod template's restartPolicy Never; "
       "hint: the API server rejects it with OnFailure"},
      {"Indexed Job without completions",
       "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n"
       "  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n"
       "      containers: [{name: c, image: x}]\n",
       "case.yaml:5:19: error: completionMode Indexed needs spec.completions; hint: the API "
       "server rejects an Indexed Job without completions"},
      {"qubit coherence impossible",
       "apiVersion: quantum.k8s.io/v1alpha1\nkind: QuantumCluster\nmetadata: {name: q}\nspec:\n"
       "  qubits: 5\n  calibration: {t1: 10us, t2: 50us}\n",
       "case.yaml:6:31: error: calibration t2 exceeds 2 x t1, which no qubit can have; hint: T2 "
       "<= 2 T1 always holds"},
      {"unknown duration unit", sc("duration: 1h", "duration: 5 fortnights"),
       "case.yaml:5:13: error: spec.duration: unknown unit ' fortnights' in duration '5 "
       "fortnights'; units: ns us ms s m h d"},
      {"misspelt field", sc("duration: 1h", "durations: 1h"),
       "case.yaml:5:3: error: unknown field 'durations' in spec; hint: did you mean 'duration'?"},
      {"warm-up longer than the run", sc("warmup: 1m", "warmup: 2h"),
       "case.yaml:6:11: error: spec.warmup (2h) must be shorter than spec.duration (1h)"},
      {"zero replications", sc("replications: 2", "replications: 0"),
       "case.yaml:7:17: error: spec.replications is 0; it must be between 1 and 10000"},
      {"manifest pattern matches nothing", sc("manifests: [m.yaml]", "manifests: [nothing/*.yaml]"),
       "case.yaml:8:15: error: spec.manifests: \"nothing/*.yaml\" matches no YAML file; hint: "
       "paths are relative to the scenario file's folder"},
      {"negative node count", sc("count: 3", "count: -3"),
       "case.yaml:13:36: error: spec.infrastructure.regions[0].nodePools[0].count is -3; it "
       "must be between 0 and 100000"},
      {"a billion nodes", sc("count: 3", "count: 1000000000"),
       "case.yaml:13:36: error: spec.infrastructure.regions[0].nodePools[0].count is "
       "1000000000; it must be between 0 and 100000"},
      {"unknown memory unit in a node pool", sc("memory: 64Gi", "memory: 64GB"),
       "case.yaml:13:58: error: spec.infrastructure.regions[0].nodePools[0].memory: unknown "
       "unit 'GB' in quantity \"64GB\" (units: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)"},
      {"misspelt pod start-up field",
       sc("  workloads:",
          "    podStartup: {pull: {distribution: exponential, mean: 1s}}\n  workloads:"),
       "case.yaml:14:18: error: unknown field 'pull' in spec.infrastructure.podStartup; hint: did "
       "you mean 'imagePull'?"},
      {"dangling workload target", sc("target: Service/web", "target: Service/wbe"),
       "case.yaml:16:15: error: workload target Service/wbe names no object in spec.manifests; "
       "hint: did you mean 'Service/web'?"},
      {"target without a kind", sc("target: Service/web", "target: web"),
       "case.yaml:16:15: error: spec.workloads[0].target \"web\" is not Kind/name; hint: e.g. "
       "Service/hello-serverless"},
      {"unknown origin", sc("origin: us-east", "origin: us-west"),
       "case.yaml:17:15: error: origin 'us-west' is not a region or edge site; hint: did you "
       "mean 'us-east'?"},
      {"rate without a time unit", sc("rate: 5/s", "rate: 5"),
       "case.yaml:18:41: error: spec.workloads[0].arrival.rate: invalid rate \"5\" (expected "
       "COUNT/UNIT, e.g. \"50/s\", \"2/h\", \"120/1m\")"},
      {"unknown arrival process", sc("process: poisson, rate: 5/s", "process: bursty, rate: 5/s"),
       "case.yaml:18:26: error: unknown arrival process 'bursty'; hint: use poisson, constant, "
       "diurnal, trace, rateTrace, cron or azureFunctions"},
      {"cron minute out of range",
       sc("process: poisson, rate: 5/s", "process: cron, schedule: '61 * * * *'"),
       "case.yaml:18:42: error: spec.workloads[0].arrival.schedule: invalid cron schedule "
       "\"61 * * * *\": minute '61' is outside 0-59"},
      {"absurd arrival volume", sc("rate: 5/s", "rate: 1e9/s"),
       "case.yaml:18:16: error: workload web would send about 3600000000000 requests per "
       "replication; the limit is 10,000,000,000; hint: shorten spec.duration or lower the rate"},
      {"unknown distribution", sc("distribution: exponential", "distribution: pareto"),
       "case.yaml:19:31: error: unknown distribution 'pareto'; hint: use exponential, "
       "deterministic, lognormal, gamma or uniform"},
      {"duplicate workload",
       sc("  faults:",
          "    - name: web\n      target: Service/web\n      arrival: {process: "
          "poisson, rate: 1/s}\n      service: {distribution: exponential, mean: "
          "1s}\n  faults:"),
       "case.yaml:20:13: error: duplicate workload name 'web'"},
      {"dangling fault target",
       sc("target: us-east, duration: 5m", "target: eu-west, duration: 5m"),
       "case.yaml:21:45: error: regionOutage target 'eu-west' names nothing in the "
       "infrastructure; hint: use a region name"},
      {"unknown fault kind", sc("kind: regionOutage", "kind: meteor"),
       "case.yaml:21:23: error: unknown fault kind 'meteor'; hint: use regionOutage, "
       "nodeFailure or linkOutage"},
      {"unknown placement", sc("placement: weighted", "placement: cheapest"),
       "case.yaml:24:18: error: unknown placement 'cheapest'; hint: use weighted, "
       "cost-optimized, latency-optimized, spread"},
      {"bad keepAlive", sc("placement: weighted", "keepAlive: forever"),
       "case.yaml:24:18: error: unknown keepAlive 'forever'; hint: use fixed:DURATION, "
       "hybrid-histogram[:KEY=VALUE,...] or none"},
      {"hybrid keepAlive with an unknown parameter",
       sc("placement: weighted", "keepAlive: \"hybrid-histogram:range=2h,bins=10\""),
       "case.yaml:24:18: error: keepAlive \"hybrid-histogram:range=2h,bins=10\": unknown "
       "parameter 'bins'; the parameters are range, head, tail, cv and margin; hint: e.g. "
       "hybrid-histogram:range=2h,head=5,tail=99,cv=2,margin=10"},
      {"hybrid keepAlive range too short",
       sc("placement: weighted", "keepAlive: \"hybrid-histogram:range=30s\""),
       "case.yaml:24:18: error: keepAlive \"hybrid-histogram:range=30s\": range must be a "
       "duration from 1m to 24h, got '30s'; hint: e.g. "
       "hybrid-histogram:range=2h,head=5,tail=99,cv=2,margin=10"},
      {"hybrid keepAlive head above tail",
       sc("placement: weighted", "keepAlive: \"hybrid-histogram:head=50,tail=40\""),
       "case.yaml:24:18: error: keepAlive \"hybrid-histogram:head=50,tail=40\": head must be "
       "below tail; hint: e.g. hybrid-histogram:range=2h,head=5,tail=99,cv=2,margin=10"},
      {"hybrid keepAlive tail above 100",
       sc("placement: weighted", "keepAlive: \"hybrid-histogram:tail=120\""),
       "case.yaml:24:18: error: keepAlive \"hybrid-histogram:tail=120\": tail must be a "
       "percentage above 0 and at most 100, got '120'; hint: e.g. "
       "hybrid-histogram:range=2h,head=5,tail=99,cv=2,margin=10"},
      {"dangling override",
       sc("placement: weighted", "overrides: {\"Deployment/wbe\": {\"spec.replicas\": 3}}"),
       "case.yaml:24:19: error: override of Deployment/wbe: no such object in spec.manifests; "
       "hint: did you mean 'Deployment/web'?"},
      {"override makes an object invalid",
       sc("placement: weighted", "overrides: {\"Deployment/web\": {\"spec.replicas\": -1}}"),
       "case.yaml:24:38: error: policy baseline makes Deployment/web invalid: spec.replicas is "
       "-1; it must be between 0 and 100000"},
      {"unknown SLO metric", sc("latency.p99_ms, max", "latency.p99, max"),
       "case.yaml:26:16: error: unknown metric 'latency.p99' in SLO workloads.web.latency.p99; "
       "hint: did you mean 'latency.p99_ms'?"},
      {"SLO on a missing workload", sc("workloads.web.latency", "workloads.api.latency"),
       "case.yaml:26:16: error: SLO metric workloads.api.latency.p99_ms: no workload called "
       "'api'; hint: known: web"},
      {"SLO without a bound", sc("latency.p99_ms, max: 500", "latency.p99_ms"),
       "case.yaml:26:7: error: spec.slo[0] needs 'max' or 'min'"},
  };
}

class BadInputs : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputs, ReportsTheExactProblemAndPlace) {
  const BadInput& c = GetParam();
  // One folder per process and case: ctest runs the cases as parallel processes, whose
  // random seeds (from the clock) and parameter addresses may coincide.
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(name.begin(), name.end(), '/', '-');  // "ReportsTheExactProblemAndPlace/case"
  const fs::path dir =
      fs::temp_directory_path() / ("kubetwin-bad-" + std::to_string(::getpid()) + "-" + name);
  fs::create_directories(dir);
  std::ofstream(dir / "m.yaml") << kManifests;
  std::ofstream(dir / "case.yaml", std::ios::binary) << c.text;
  const std::string cwd = fs::current_path();
  fs::current_path(dir);  // so that messages name "case.yaml"
  Diagnostics diags;
  load_paths({"case.yaml"}, diags);
  fs::current_path(cwd);
  fs::remove_all(dir);
  std::string first;
  for (const Diagnostic& d : diags.sorted()) {
    if (d.severity == Severity::error) {
      first = format_diagnostic(d);
      break;
    }
  }
  EXPECT_EQ(first, c.expected);
}

std::string case_name(const ::testing::TestParamInfo<BadInput>& info) {
  std::string name;
  for (const char* p = info.param.name; *p; ++p)
    name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputs, ::testing::ValuesIn(cases()), case_name);

// Instance types without pricePerHour read theirs from spec.infrastructure.prices: the row
// of the region's provider, providerRegion and the type's name; a missing row, a missing
// table and a bad row are errors where they are (the row's at its CSV file:line:col).
TEST(PriceTable, InstanceTypesTakeTheirPriceFromTheTable) {
  const fs::path dir =
      fs::temp_directory_path() / ("kubetwin-prices-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "m.yaml") << kManifests;
  std::ofstream(dir / "aws.csv") << "provider,region,instance_type,usd_per_hour,source\n"
                                    "aws,us-east-1,m5.large,0.096,test\n"
                                    "aws,us-east-1,m5.xlarge,0.192,test\n"
                                    "aws,eu-west-1,m5.large,0.107,test\n";
  std::ofstream(dir / "bad.csv") << "aws,us-east-1,m5.large,cheap,test\n";
  const auto scenario = [](const std::string& prices, const std::string& region,
                           const std::string& type) {
    std::string s = kScenario;
    const std::string pools = "          - {name: general, count: 3, cpu: \"16\", memory: 64Gi}";
    s.replace(s.find(pools), pools.size(),
              "          - {name: general, count: 1, cpu: \"16\", memory: 64Gi, pricePerHour: 1, "
              "autoscaling: karpenter, max: 4, instanceTypes: [{name: " +
                  type + ", cpu: \"2\", memory: 8Gi}]}");
    s.replace(
        s.find("      - name: us-east\n"), 22,
        "      - name: us-east\n        provider: aws\n        providerRegion: " + region + "\n");
    s.replace(s.find("  infrastructure:\n"), 18, "  infrastructure:\n    prices: " + prices + "\n");
    return s;
  };
  const auto load = [&](const std::string& text, Diagnostics& diags) {
    std::ofstream(dir / "case.yaml", std::ios::binary) << text;
    const std::string cwd = fs::current_path();
    fs::current_path(dir);
    LoadResult out = load_paths({"case.yaml"}, diags);
    fs::current_path(cwd);
    return out;
  };
  const auto first_error = [](const Diagnostics& diags) {
    for (const Diagnostic& d : diags.sorted()) {
      if (d.severity == Severity::error) return format_diagnostic(d);
    }
    return std::string();
  };
  {
    Diagnostics diags;
    const LoadResult r = load(scenario("aws.csv", "eu-west-1", "m5.large"), diags);
    ASSERT_EQ(first_error(diags), "");
    ASSERT_EQ(r.scenarios.size(), 1u);
    const auto& types = r.scenarios[0].infrastructure.regions[0].node_pools[0].instance_types;
    ASSERT_EQ(types.size(), 1u);
    EXPECT_DOUBLE_EQ(types[0].price_usd_per_hour, 0.107);  // eu-west-1's, not us-east-1's
  }
  {
    Diagnostics diags;
    load(scenario("aws.csv", "eu-west-1", "m5.xlarge"), diags);
    EXPECT_EQ(first_error(diags),
              "case.yaml:16:129: error: no price for instance type 'm5.xlarge' of provider 'aws' "
              "in region 'eu-west-1' in aws.csv; hint: add a row to the table, write "
              "pricePerHour, or set the region's providerRegion to the provider's name for it");
  }
  {
    Diagnostics diags;
    load(scenario("none.csv", "us-east-1", "m5.large"), diags);
    EXPECT_EQ(first_error(diags),
              "case.yaml:10:13: error: spec.infrastructure.prices: no price table at none.csv; "
              "hint: a CSV of data/prices' format, or a folder of them, relative to the scenario");
  }
  {
    Diagnostics diags;
    load(scenario("bad.csv", "us-east-1", "m5.large"), diags);
    EXPECT_EQ(first_error(diags), "bad.csv:1:24: error: usd_per_hour must be a number >= 0");
  }
  fs::remove_all(dir);
}

// Manifests as kubectl apply reads them: the same object twice is an update with a warning,
// not an error; an object with generateName and no name is named as the API server would.
TEST(ManifestsAsApplied, ALaterDocumentUpdatesTheEarlierOne) {
  const fs::path dir = fs::temp_directory_path() / "kubetwin-apply-twice";
  fs::create_directories(dir);
  const std::string second = replace_line(kManifests, "replicas: 2", "replicas: 7");
  std::ofstream(dir / "twice.yaml") << kManifests << "---\n" << second;
  Diagnostics diags;
  const LoadResult result = load_paths({(dir / "twice.yaml").string()}, diags);
  fs::remove_all(dir);
  EXPECT_TRUE(diags.ok());
  std::size_t deployments = 0;
  for (const ManifestObject& o : result.objects) {
    if (o.id() != "Deployment/web") continue;
    ++deployments;
    EXPECT_EQ(std::get<DeploymentSpec>(o.spec).replicas, 7);
  }
  EXPECT_EQ(deployments, 1u);
  bool warned = false;
  for (const Diagnostic& d : diags.all())
    warned = warned || (d.severity == Severity::warning &&
                        d.message.find("Deployment/web is defined again") != std::string::npos);
  EXPECT_TRUE(warned);
}

TEST(ManifestsAsApplied, GenerateNameGivesADeterministicName) {
  const fs::path dir = fs::temp_directory_path() / "kubetwin-generate-name";
  fs::create_directories(dir);
  std::ofstream(dir / "job.yaml")
      << "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: pi-}\nspec:\n  template:\n"
         "    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl}]\n";
  Diagnostics diags;
  const LoadResult a = load_paths({(dir / "job.yaml").string()}, diags);
  const LoadResult b = load_paths({(dir / "job.yaml").string()}, diags);
  fs::remove_all(dir);
  EXPECT_TRUE(diags.ok());
  ASSERT_EQ(a.objects.size(), 1u);
  const std::string& name = a.objects[0].name;
  ASSERT_EQ(name.size(), 3u + 5u);
  EXPECT_EQ(name.substr(0, 3), "pi-");
  EXPECT_EQ(name.find_first_not_of("bcdfghjklmnpqrstvwxz2456789", 3), std::string::npos);
  EXPECT_EQ(b.objects[0].name, name);  // the same on every run
}

// Made-up fields in each kind the twin simulates: a warning at the field, once, with the
// field's path; the object still loads (upstream schemas: scenarios/field_schema.cpp).
TEST(UnknownFields, AreWarnedAtTheirPlaceInEveryCheckedKind) {
  struct Case {
    const char* what;
    const char* text;
    const char* expected;  // the one warning
  };
  const Case cases[] = {
      {"Deployment spec",
       "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicaz: 2\n"
       "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
       "    spec: {containers: [{name: c, image: x}]}\n",
       "case.yaml:5:3: warning: unknown field 'spec.replicaz' (ignored); hint: did you mean "
       "'spec.replicas'?"},
      {"pod template",
       "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
       "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
       "    spec:\n      nodeSelectorr: {x: y}\n      containers: [{name: c, image: x}]\n",
       "case.yaml:9:7: warning: unknown field 'spec.template.spec.nodeSelectorr' (ignored); "
       "hint: did you mean 'spec.template.spec.nodeSelector'?"},
      {"container",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
       "  - {name: c, image: x, cpuLimit: 2}\n",
       "case.yaml:6:25: warning: unknown field 'spec.containers[].cpuLimit' (ignored)"},
      {"Job",
       "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  retries: 3\n"
       "  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, "
       "image: x}]\n",
       "case.yaml:5:3: warning: unknown field 'spec.retries' (ignored)"},
      {"HPA",
       "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
       "spec:\n  scaleTargetRef: {kind: Deployment, name: d}\n  maxReplicas: 3\n"
       "  targetCPU: 50\n",
       "case.yaml:7:3: warning: unknown field 'targetCPU' in HorizontalPodAutoscaler "
       "(autoscaling/v2) spec (ignored)"},
      {"ScaledObject",
       "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: s}\nspec:\n"
       "  scaleTargetRef: {name: d}\n  cooldown: 30\n  triggers: [{type: cpu, metadata: "
       "{value: \"50\"}}]\n",
       "case.yaml:6:3: warning: unknown field 'spec.cooldown' (ignored); hint: did you mean "
       "'spec.cooldownPeriod'?"},
      {"Knative Service",
       "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec:\n"
       "  template:\n    spec:\n      containerConcurency: 5\n"
       "      containers: [{image: x}]\n",
       "case.yaml:7:7: warning: unknown field 'spec.template.spec.containerConcurency' "
       "(ignored); hint: did you mean 'spec.template.spec.containerConcurrency'?"},
      {"VirtualService",
       "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v}\n"
       "spec:\n  hosts: [web]\n  http:\n  - route:\n    - destination: {host: web, "
       "weigth: 3}\n",
       "case.yaml:8:32: warning: unknown field 'spec.http[].route[].destination.weigth' "
       "(ignored)"},
      {"RuntimeClass",
       "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: r}\nhandler: runc\n"
       "overheadd: {podFixed: {cpu: 10m}}\n",
       "case.yaml:5:1: warning: unknown field 'overheadd' (ignored); hint: did you mean "
       "'overhead'?"},
  };
  for (const Case& c : cases) {
    const fs::path dir = fs::temp_directory_path() / "kubetwin-unknown-fields";
    fs::create_directories(dir);
    std::ofstream(dir / "case.yaml") << c.text;
    const std::string cwd = fs::current_path();
    fs::current_path(dir);
    Diagnostics diags;
    const LoadResult result = load_paths({"case.yaml"}, diags);
    fs::current_path(cwd);
    fs::remove_all(dir);
    EXPECT_TRUE(diags.ok()) << c.what;
    EXPECT_EQ(result.objects.size(), 1u) << c.what;
    std::vector<std::string> warnings;
    for (const Diagnostic& d : diags.sorted()) {
      if (d.severity == Severity::warning && d.message.find("unknown field") != std::string::npos)
        warnings.push_back(format_diagnostic(d));
    }
    ASSERT_EQ(warnings.size(), 1u) << c.what;
    EXPECT_EQ(warnings[0], c.expected) << c.what;
  }
}

// completionMode and podFailurePolicy as the Job docs' examples write them: the first rule on
// the DisruptionTarget condition decides an eviction; exit-code rules never match one.
TEST(JobPolicies, AreReadAsUpstreamEvaluatesThem) {
  const fs::path dir = fs::temp_directory_path() / "kubetwin-job-policies";
  fs::create_directories(dir);
  std::ofstream(dir / "job.yaml")
      << "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  completions: 4\n"
         "  completionMode: Indexed\n  podFailurePolicy:\n    rules:\n"
         "    - action: FailJob\n      onExitCodes: {containerName: main, operator: In, "
         "values: [42]}\n"
         "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n"
         "  template:\n    spec:\n      restartPolicy: Never\n"
         "      containers: [{name: main, image: x}]\n";
  Diagnostics diags;
  const LoadResult result = load_paths({(dir / "job.yaml").string()}, diags);
  fs::remove_all(dir);
  EXPECT_TRUE(diags.ok());
  ASSERT_EQ(result.objects.size(), 1u);
  const auto& job = std::get<JobSpec>(result.objects[0].spec);
  EXPECT_TRUE(job.indexed);
  EXPECT_EQ(job.on_disruption, "Ignore");
  EXPECT_TRUE(result.objects[0].unsimulated_fields.empty())
      << "completionMode and podFailurePolicy are simulated";
}

TEST(BadInputDirectory, AFolderWithoutYamlIsAnError) {
  const fs::path dir = fs::temp_directory_path() / "kubetwin-empty-dir-test";
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "not yaml";
  Diagnostics diags;
  load_paths({dir.string()}, diags);
  fs::remove_all(dir);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].message,
            "directory contains no YAML or JSON files (*.yaml, *.yml, *.json)");
}

TEST(BadInputDirectory, AMissingPathIsAnError) {
  Diagnostics diags;
  load_paths({"/nonexistent/kubetwin"}, diags);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(format_diagnostic(diags.all()[0]),
            "/nonexistent/kubetwin: error: no such file or directory");
}

}  // namespace
}  // namespace kt::scenario
