#pragma once
// What the fleet model simulates, typed and validated by the scenario layer: places (regions
// and edge sites) with node pools, the network between them, Deployments whose pods are
// scheduled onto nodes, request workloads, faults, and the Kubernetes timings that apply.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/time.hpp"
#include "models/autoscaling/hpa.hpp"
#include "models/cluster/node_autoscaling_config.hpp"
#include "models/common/k8s_types.hpp"
#include "models/edge/edge_config.hpp"
#include "models/multicloud/placement.hpp"
#include "models/quantum/quantum_config.hpp"
#include "models/scheduling/scheduler.hpp"
#include "models/serverless/kafka_config.hpp"
#include "models/serverless/revision_config.hpp"
#include "models/workload/arrival_process.hpp"

namespace kt::models {

struct PlaceConfig {
  std::string name;
  bool edge = false;
  double egress_usd_per_gb = 0;  // price of data it sends to another place
  // Stands in for a scenario that declares no region: reported under no regions.* key.
  bool implicit = false;
  // An edge site: the region whose control plane manages its nodes (its first uplink's; they
  // are nodes of that region's cluster, so its pods may land there), and how many requests
  // that need the cloud it holds while cut off (edgeOutage tolerate). -1: a region.
  std::int32_t cluster = -1;
  std::uint32_t buffer = 0;
};

struct NodePoolConfig {
  std::uint32_t place = 0;
  std::string name;
  std::uint32_t count = 0;
  std::int64_t cpu_milli = 0;
  std::int64_t memory_bytes = 0;
  double price_usd_per_hour = 0;
  k8s::Labels labels;
  std::vector<k8s::Taint> taints;
  // Node autoscaling: `count` is the initial size; a node autoscaler keeps it within
  // [min, max].
  PoolScaling scaling;
};

struct LinkConfig {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  SimTime latency = 0;
  // An edge site's uplink (a: the site) may have a bandwidth: a payload crossing it takes
  // size / bandwidth, after those ahead of it in its direction (FIFO). 0: no limit.
  double bytes_per_s = 0;
};

// A batch Job (batch/v1): each arrival of a workload that targets it runs the Job once.
struct FleetJob {
  std::uint32_t completions = 1;
  std::uint32_t parallelism = 1;
  std::uint32_t backoff_limit = 6;
  // podFailurePolicy for a pod evicted from its node (condition DisruptionTarget): it counts
  // against backoffLimit (no rule matches), is ignored, or fails the Job at once.
  enum class OnDisruption : std::uint8_t { count, ignore, fail_job };
  OnDisruption on_disruption = OnDisruption::count;
};

// How a request is dispatched to one pod when it arrives (there is no queue shared by pods):
//   random        kube-proxy's iptables/nftables mode: a uniformly random ready endpoint per
//                 connection (its rules jump to endpoint i with probability 1/(n-i));
//   round_robin   IPVS's default `rr` scheduler, or Envoy's ROUND_ROBIN: endpoints in turn;
//   least_request Envoy's LEAST_REQUEST with its default choice_count 2 (Istio's default since
//                 1.14): of two endpoints drawn at random, the one with fewer active requests.
enum class LoadBalancing : std::uint8_t { random, round_robin, least_request };

inline constexpr std::uint32_t kUnlimitedConcurrency = 1u << 30;

struct FleetDeployment {
  std::string name;            // Kind/name of the manifest object
  std::int64_t cpu_milli = 0;  // per pod (sum of container requests)
  std::int64_t memory_bytes = 0;
  // The pods' memory usage model (what a memory HPA metric reads): idle working set plus a
  // share per request in service (kubetwin.io/memory-idle, kubetwin.io/memory-per-request).
  // A RuntimeClass's pod overhead: scheduled with the pod, not part of what the HPA divides
  // usage by (upstream's HPA sums container requests only).
  // The share of requests its pods answer with a 5xx (kubetwin.io/error-rate): a failure a
  // retry policy retries.
  double error_rate = 0;
  std::int64_t overhead_cpu_milli = 0;
  std::int64_t overhead_memory_bytes = 0;
  std::int64_t memory_idle_bytes = 0;
  std::int64_t memory_per_request_bytes = 0;
  k8s::Labels node_selector;
  std::vector<k8s::LabelSelector> node_affinity;
  std::vector<k8s::Toleration> tolerations;
  std::string image;
  std::int64_t image_bytes = 0;  // its size, when known: a pull takes size / pull rate
  // Requests a pod serves at once (kUnlimitedConcurrency: no limit, Knative's
  // containerConcurrency 0); the rest wait in the pod's queue, of at most queue_limit requests
  // when that is set (Knative's queue-proxy: 10 x containerConcurrency; a full queue answers
  // 503).
  std::uint32_t concurrency = 1;
  std::uint32_t queue_limit = 0;
  // How many shares of the pod's CPU request requests in service use (0: concurrency); for
  // unlimited concurrency, Knative's default target of 100 in-flight requests per pod.
  std::uint32_t cpu_slots = 0;
  // A serverless function's cold-start time from its runtime (SPEC coldStart), replacing
  // the container start of the fleet's timings: seconds, from bind (and pull) to ready.
  std::optional<Distribution> start_time;
  // A function platform's own deadline for a request (OpenFaaS's watchdog write_timeout):
  // its workloads' requests fail when it passes, as with a route timeout. 0: none.
  SimTime request_timeout = 0;
  // Knative revision or FaaS function: the serverless component owns its pods.
  std::optional<serverless::RevisionConfig> serverless;
  // A Kafka consumer group scaled by KEDA: the Kafka component owns its pods.
  std::optional<serverless::KafkaScaling> kafka;
  // A quantum Job (each arrival one circuit through a QPU queue), a hybrid workflow (each
  // arrival one run of its steps), or the pods of a workflow's classical step: the quantum
  // component owns them.
  std::optional<quantum::QuantumJobConfig> quantum;
  std::optional<quantum::WorkflowConfig> workflow;
  bool workflow_pods = false;
  // The report group its workload belongs to (FleetConfig::groups), or -1.
  std::int32_t group = -1;
  // terminationGracePeriodSeconds: a deleted pod finishes what it holds for this long, then
  // is killed (what it still serves fails). Upstream's default, 30 s.
  SimTime termination_grace = 30 * kSecond;
  std::uint32_t replicas = 1;  // initial (and fixed, without an HPA)
  // Where its replicas run: one place, or several split by `placement`.
  std::vector<std::uint32_t> places;
  std::vector<double> weights;  // per place, for weighted placement
  multicloud::PlacementStrategy placement = multicloud::PlacementStrategy::weighted;
  std::optional<autoscaling::HpaConfig> hpa;  // reactive scaling of the total replicas
  double mean_service_s = 0;                  // of the requests sent to it (for predictive sizing)
  bool always_predictive = false;             // IntelligentDeployment replicas "auto"
  std::optional<FleetJob> job;                // a Job: pods run to completion, no replicas
  SimTime recovery_time_objective = 0;        // selfHealing: 0 when none is declared
};

struct FleetWorkload {
  std::string name;
  // A member of a report group (a trace population: one workload per function, each with its
  // own Deployment): its metrics and time series are reported under the group's name, with
  // the other members', not under its own. -1: reported on its own.
  std::int32_t group = -1;
  std::uint32_t deployment = 0;  // the first of its backends
  // Every Deployment its Service selects (several share its traffic by ready pods, as a
  // Service's endpoints do); empty means just `deployment`. They run in one place.
  std::vector<std::uint32_t> backends;
  // A VirtualService's weighted destinations (Envoy's weighted clusters): each request goes
  // to one group by weight, then to a ready pod of its Deployments; a group without one
  // fails the request (no healthy upstream). Empty: the backends share by ready pods.
  struct WeightedBackends {
    double weight = 0;
    std::vector<std::uint32_t> deployments;
  };
  std::vector<WeightedBackends> split;
  // A VirtualService route's timeout (0: none, Istio's default): a request whose response
  // has not reached its client by then fails (Envoy's 504); its pod still serves it.
  SimTime timeout = 0;
  // A VirtualService's retries: how many times a failed try is tried again (HTTPRetry.attempts,
  // Envoy's num_retries), on a 5xx from the pod or a failed connection (Istio's default
  // retryOn), after Envoy's back-off (25 ms base, doubling, jittered, at most 250 ms).
  std::uint32_t retry_attempts = 0;
  // Which ready pod takes each request (docs/models/cluster.md, "How requests reach pods"):
  // a property of the path to the Service (kube-proxy, or the mesh's DestinationRule), so of
  // the workload; the planner resolves the `loadBalancing` knob and the manifests into it.
  LoadBalancing load_balancing = LoadBalancing::random;
  std::uint32_t origin = 0;  // place the requests come from
  // Quantum jobs: the tenant they are billed and shared to (QuantumConfig::tenants), and
  // their priority under the `priority` queue policy (higher first).
  std::int32_t tenant = -1;
  std::int32_t priority = 0;
  ArrivalConfig arrival;
  Distribution service_time = Distribution::deterministic(0);  // seconds
  std::int64_t request_bytes = 0;  // payload crossing between places (egress cost)
  std::int64_t response_bytes = 0;
};

struct FleetFault {
  enum class Kind { node_failure, region_outage };
  Kind kind = Kind::node_failure;
  SimTime at = 0;
  SimTime duration = 0;  // 0: the node stays down
  std::uint32_t place = 0;
  std::int32_t pool = -1;  // node_failure: the pool (-1: any pool of the place)
};

// Kubernetes timings (upstream defaults; docs/models/cluster.md names their sources).
struct KubernetesTimings {
  SimTime node_monitor_grace_period = 40 * kSecond;  // kube-controller-manager, v1.28
  SimTime unreachable_toleration = 300 * kSecond;    // DefaultTolerationSeconds admission
  SimTime pod_retry_interval = 10 * kSecond;  // unschedulable pods retried at least this often
  Distribution scheduling = Distribution::deterministic(0.0);   // seconds, queue to bind
  Distribution image_pull = Distribution::lognormal(5.0, 0.5);  // seconds, first pull per node
  double pull_bytes_per_s = 0;  // a node's pull rate; with a known image size, size / rate
  Distribution container_start = Distribution::lognormal(1.0, 0.5);  // seconds
};

struct FleetConfig {
  SimTime duration = 0;
  SimTime warmup = 0;
  SimTime sample_interval = kMinute;
  // Upper bounds (Prometheus `le`, ascending) of a latency histogram kept per workload and
  // sample interval, written as extra time-series columns: what a Prometheus histogram of the
  // same buckets would have counted, for comparing the twin with one (kubetwin backtest).
  // Empty: no such columns.
  std::vector<SimTime> latency_buckets;
  std::vector<PlaceConfig> places;
  std::vector<NodePoolConfig> pools;
  std::vector<LinkConfig> links;
  std::vector<FleetDeployment> deployments;
  std::vector<FleetWorkload> workloads;
  std::vector<FleetFault> faults;
  scheduling::SchedulerConfig scheduler;
  KubernetesTimings timings;
  // No node pools declared: every pod is bound and ready at once, on capacity without limit
  // or price (nodes, their cost and utilisation do not apply).
  bool unlimited_capacity = false;
  bool static_replicas = false;  // autoscaling: static freezes replicas
  // autoscaling: predictive. HPA-managed Deployments also provision for the request rate
  // forecast one start-up time ahead (models/forecast/seasonal_ar), never below what the
  // HPA asks for.
  bool predictive = false;
  SimTime forecast_season = kDay;  // the forecaster's seasonal lag
  SimTime forecast_history = 7 * kDay;
  serverless::ServerlessPricing serverless_pricing;
  std::vector<std::string> groups;  // report groups' names (FleetWorkload::group)
  edge::EdgeConfig edge;
  quantum::QuantumConfig quantum;
  ClusterAutoscalerConfig cluster_autoscaler;
  KarpenterConfig karpenter;

  // Some pool is grown and shrunk by `autoscaler`.
  bool autoscaled_by(NodeAutoscaler autoscaler) const {
    for (const NodePoolConfig& p : pools) {
      if (p.scaling.autoscaler == autoscaler) return true;
    }
    return false;
  }
};

}  // namespace kt::models
