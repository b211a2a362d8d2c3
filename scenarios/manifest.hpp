#pragma once
// Kubernetes-style objects as kubetwin understands them: the fields that change simulated
// behaviour, typed and range-checked. The raw YAML is kept for policy overrides.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/time.hpp"
#include "models/autoscaling/hpa.hpp"
#include "models/common/k8s_types.hpp"
#include "scenarios/diagnostics.hpp"

namespace kt::scenario {

struct ObjectRef {
  std::string api_version;  // may be empty: any API group
  std::string kind;
  std::string name;
  SourcePos pos;
};

struct EnvVar {
  std::string name;
  std::string value;
};

struct Container {
  std::string name;
  std::string image;
  k8s::ResourceList requests;
  k8s::ResourceList limits;
  std::vector<EnvVar> env;
  std::vector<std::string> command;
  std::vector<std::string> args;
  const std::string* env_value(const std::string& key) const;
};

struct PodTemplate {
  k8s::Labels labels;
  k8s::Labels annotations;
  std::vector<Container> containers;
  k8s::Labels node_selector;
  // requiredDuringSchedulingIgnoredDuringExecution: a node must match one of the terms.
  std::vector<k8s::LabelSelector> node_affinity;
  std::vector<k8s::Toleration> tolerations;
  std::string runtime_class;
  std::string scheduler_name;
  std::string restart_policy = "Always";
  std::optional<std::int64_t> container_concurrency;  // Knative; kubetwin annotation elsewhere
  std::optional<SimTime> termination_grace;           // terminationGracePeriodSeconds
  // kubetwin.io/memory-idle and kubetwin.io/memory-per-request (bytes): the usage model a
  // memory HPA metric reads.
  double error_rate = 0;  // kubetwin.io/error-rate: the share of requests answered 503
  std::optional<std::int64_t> memory_idle_bytes;
  std::int64_t image_bytes = 0;  // kubetwin.io/image-size: the first container's image
  std::optional<std::int64_t> memory_per_request_bytes;
  k8s::ResourceList total_requests() const;  // sum over containers
};

// A cold-start warmer (the seed's function-warmup): pings TARGET_FUNCTIONS every
// WARMUP_INTERVAL so that they stay warm.
struct Warmer {
  std::vector<std::string> targets;
  SimTime interval = 0;
};

// A quantum circuit run read from a Job's container env (QUBITS, CIRCUIT_DEPTH, SHOTS).
struct QuantumTask {
  std::int64_t qubits = 0;
  std::int64_t circuit_depth = 0;
  std::int64_t shots = 0;
};

struct DeploymentSpec {
  std::int64_t replicas = 1;
  std::optional<Warmer> warmer;
  k8s::LabelSelector selector;
  PodTemplate pod;
};

struct ServiceSpec {
  k8s::Labels selector;
  std::string type = "ClusterIP";
  std::vector<std::int64_t> ports;
};

struct PodSpec {
  PodTemplate pod;
};

struct JobSpec {
  std::int64_t completions = 1;
  std::int64_t parallelism = 1;
  std::int64_t backoff_limit = 6;  // upstream default
  std::optional<SimTime> active_deadline;
  std::optional<QuantumTask> quantum;
  PodTemplate pod;
  bool indexed = false;  // completionMode Indexed: each index 0..completions-1 once
  // podFailurePolicy's action for a pod evicted from its node (the DisruptionTarget pod
  // condition upstream sets): Count (no rule matches), Ignore or FailJob.
  std::string on_disruption = "Count";
};

struct NodeSpec {
  k8s::Labels labels;
  std::vector<k8s::Taint> taints;
  k8s::ResourceList capacity;  // status.capacity when given
  bool unschedulable = false;
};

// An HPA as the controller will run it: its metrics resolved to simulated quantities
// (scenarios/kinds_hpa.cpp), its behavior with upstream's defaults filled in.
struct HorizontalPodAutoscalerSpec {
  ObjectRef target;
  autoscaling::HpaConfig config;  // min/max replicas, metrics, tolerance, behavior
  // Why the HPA cannot be simulated (a metric with no simulated source), empty if it can:
  // its target then keeps the replicas its manifest gives.
  std::string not_simulated;
};

struct RuntimeClassSpec {
  std::string handler;
  k8s::ResourceList overhead;  // overhead.podFixed: added to each pod's requests
  k8s::Labels node_selector;
  std::vector<k8s::Toleration> tolerations;
};

// Knative Serving's autoscaler (KPA) settings read from the revision template's annotations.
struct KnativeServiceSpec {
  PodTemplate pod;
  std::int64_t min_scale = 0;
  std::int64_t max_scale = 0;                // 0: unbounded
  std::optional<double> target;              // autoscaling.knative.dev/target
  std::optional<double> target_utilization;  // ...-percentage, as a fraction
  std::optional<SimTime> window;             // autoscaling.knative.dev/window
  std::string autoscaler_class = "kpa.autoscaling.knative.dev";
  std::string metric = "concurrency";
  std::optional<std::int64_t> initial_scale;     // .../initial-scale
  std::optional<SimTime> scale_down_delay;       // .../scale-down-delay
  std::optional<SimTime> pod_retention;          // .../scale-to-zero-pod-retention-period
  std::optional<double> target_burst_capacity;   // .../target-burst-capacity
  std::optional<double> panic_window_fraction;   // .../panic-window-percentage / 100
  std::optional<double> panic_threshold;         // .../panic-threshold-percentage / 100
  std::optional<std::int64_t> activation_scale;  // .../activation-scale
  std::optional<SimTime> timeout;                // spec.template.spec.timeoutSeconds
};

struct PingSourceSpec {
  std::string schedule_text;
  k8s::CronSchedule schedule;
  std::string content_type;
  std::string data;
  ObjectRef sink;
};

struct ScaledObjectTrigger {
  std::string type;
  k8s::Labels metadata;
  std::optional<double> threshold;  // lagThreshold, value, targetValue, ... when numeric
};

struct ScaledObjectSpec {
  ObjectRef target;
  std::int64_t min_replicas = 0;  // KEDA defaults
  std::int64_t max_replicas = 100;
  SimTime polling_interval = 30 * kSecond;
  SimTime cooldown_period = 300 * kSecond;
  std::vector<ScaledObjectTrigger> triggers;
  // A ScaledJob (keda.sh/v1alpha1): jobs started per event instead of a target scaled; its
  // job template's run.
  bool scaled_job = false;
  std::int64_t job_parallelism = 1;
  std::int64_t job_completions = 1;
};

// A function of a FaaS framework (Kubeless Function, an OpenFaaS stack entry).
struct FunctionSpec {
  std::string framework;  // "kubeless" or "openfaas"
  std::string runtime;
  std::string handler;
  std::string image;
  std::vector<EnvVar> env;
  std::optional<SimTime> read_timeout;
  std::optional<SimTime> write_timeout;
  k8s::Labels labels;             // OpenFaaS: com.openfaas.scale.min / .max
  std::int64_t cpu_milli = 0;     // OpenFaaS requests (else limits)
  std::int64_t memory_bytes = 0;  // OpenFaaS limits (else requests): what an instance holds
  std::int64_t max_inflight = 0;  // OpenFaaS environment max_inflight (0: unlimited)
};

struct RegionWeight {
  std::string name;
  std::optional<double> weight;  // fraction
  SourcePos pos;
};

struct MultiClusterDeploymentSpec {
  std::int64_t replicas = 0;  // kubetwin extension; 0: one per listed region
  PodTemplate pod;
  std::string strategy;
  std::vector<RegionWeight> regions;
};

struct IntelligentDeploymentSpec {
  bool auto_replicas = false;
  std::int64_t replicas = 1;
  std::string scaling_type;
  SimTime prediction_window = 0;
  bool optimization_enabled = false;
  std::string optimization_strategy;
  bool self_healing = false;
  SimTime recovery_time_objective = 0;
  std::optional<PodTemplate> pod;  // spec.template when given
};

// A step of a `steps` template or a task of a `dag` template (Argo Workflows v3.5,
// pkg/apis/workflow/v1alpha1: WorkflowStep, DAGTask).
struct WorkflowStep {
  std::string name;
  std::string template_name;              // empty with a templateRef (a WorkflowTemplate elsewhere)
  std::string template_ref;               // templateRef.name/template, when used
  std::vector<std::string> dependencies;  // dag: tasks it waits for (dependencies or depends)
  std::string depends;                    // dag: the depends expression as written
  std::string when;                       // a condition on earlier outputs
  std::int64_t items = 1;                 // withItems / withSequence count
  bool with_param = false;                // withParam: items known only at run time
  SourcePos pos;
};

struct WorkflowTemplate {
  // What the template runs (exactly one per template, as Argo validates).
  enum class Type : std::uint8_t {
    steps,
    dag,
    container,
    script,
    container_set,
    resource,
    suspend,
    http,
    data,
    plugin
  };
  std::string name;
  Type type = Type::container;
  std::vector<std::vector<WorkflowStep>> steps;  // outer: sequential; inner: parallel
  std::vector<WorkflowStep> tasks;               // dag
  std::optional<Container> container;            // container, or script (its image)
  std::vector<Container> container_set;          // containerSet: containers of one pod
  std::optional<std::int64_t> retry_limit;       // retryStrategy.limit
  std::optional<SimTime> suspend_duration;       // suspend.duration
  SourcePos pos;
  // Every step and task it calls, steps first.
  std::vector<const WorkflowStep*> calls() const {
    std::vector<const WorkflowStep*> out;
    for (const auto& group : steps) {
      for (const WorkflowStep& step : group)
        out.push_back(&step);
    }
    for (const WorkflowStep& task : tasks)
      out.push_back(&task);
    return out;
  }
};

struct WorkflowSpec {
  std::string entrypoint;
  std::vector<WorkflowTemplate> templates;
  std::string on_exit;                // spec.onExit: the exit handler's template
  std::string workflow_template_ref;  // spec.workflowTemplateRef.name
  // Requests a quantum resource (a container's requests or limits name one, e.g.
  // quantum.qubits), or is marked kubetwin.io/quantum: "true": the quantum model's.
  bool quantum = false;
};

struct QuantumClusterSpec {
  std::string provider;
  std::int64_t qubits = 0;
  std::string connectivity;
  SimTime t1 = 0;
  SimTime t2 = 0;
  std::int64_t queue_depth = 0;
  std::string priority;
  // kubetwin extensions under spec.calibration: gate, readout and reset times, a job's fixed
  // overhead, and the calibration windows (every, duration).
  std::optional<SimTime> gate_1q, gate_2q, readout, reset, overhead;
  std::optional<SimTime> window_every, window_duration, window_start;
  bool error_rates = false;  // error1q / error2q / readoutError given (read, not simulated)
};

struct VirtualServiceSpec {
  std::vector<std::string> hosts;
  std::vector<std::string> destinations;  // every route's destination hosts
  // The route the simulated requests take (they carry no headers or paths to match): the
  // first http route without match conditions, else the first. Its destinations, each a
  // host, an optional DestinationRule subset and a weight (nullopt: not written).
  struct RouteTo {
    std::string host;
    std::string subset;
    std::optional<std::int64_t> weight;
    SourcePos pos;
  };
  std::vector<RouteTo> route;
  std::optional<SimTime> route_timeout;    // that route's timeout
  std::vector<SourcePos> destination_pos;  // where each destination host is written
  std::int64_t retry_attempts = 0;
  bool retries_set = false;  // retries written (else Istio's default, 2 attempts, applies)
  std::optional<SimTime> per_try_timeout;
};

// networking.istio.io DestinationRule: the traffic policy for a host after routing.
struct DestinationRuleSpec {
  std::string host;
  std::string simple;            // trafficPolicy.loadBalancer.simple ("" when not set)
  bool consistent_hash = false;  // trafficPolicy.loadBalancer.consistentHash
  SourcePos lb_pos;              // where the load balancer is set
  std::vector<std::pair<std::string, k8s::Labels>> subsets;  // name -> pod labels
};

using ObjectSpec = std::variant<std::monostate, DeploymentSpec, ServiceSpec, PodSpec, JobSpec,
                                NodeSpec, HorizontalPodAutoscalerSpec, RuntimeClassSpec,
                                KnativeServiceSpec, PingSourceSpec, ScaledObjectSpec, FunctionSpec,
                                MultiClusterDeploymentSpec, IntelligentDeploymentSpec, WorkflowSpec,
                                QuantumClusterSpec, VirtualServiceSpec, DestinationRuleSpec>;

// A YAML node as written (an object, an override's value), kept to re-read it with changes.
// Opaque outside the scenario layer: scenarios/raw_yaml.hpp, an internal header, opens it.
struct RawYaml {
  struct Holder;
  std::shared_ptr<const Holder> holder;  // null: nothing was kept
};

struct ManifestObject {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string name_space = "default";
  k8s::Labels annotations;    // metadata.annotations
  SourcePos pos;              // where the object starts
  std::string model;          // the model that simulates it ("" when not simulated)
  std::string not_simulated;  // why it changes no simulated behaviour
  std::string owner;          // "Kind/name" of its controller (metadata.ownerReferences)
  ObjectSpec spec;
  RawYaml raw;  // as written (for overrides)
  // Fields it has upstream that would change behaviour and that no model simulates yet,
  // "path -> not simulated: why" (scenarios/field_schema.cpp).
  std::vector<std::string> unsimulated_fields;
  std::string id() const { return kind + "/" + name; }
  std::string group() const;  // "apps" for "apps/v1", "" for "v1"
};

}  // namespace kt::scenario
