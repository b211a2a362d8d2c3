#pragma once
// A kubetwin scenario (SPEC.md, "Scenario file"): typed, validated, references resolved.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/time.hpp"
#include "models/cluster/node_autoscaling_config.hpp"
#include "models/common/k8s_types.hpp"
#include "models/serverless/keep_alive.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/manifest.hpp"
#include "scenarios/rate_trace.hpp"

namespace kt::scenario {

// One instance type a Karpenter-style pool may launch (instanceTypes[]).
struct InstanceTypeSpec {
  std::string name;
  std::int64_t cpu_milli = 0;
  std::int64_t memory_milli = 0;
  double price_usd_per_hour = 0;
  // Written without pricePerHour: false until spec.infrastructure.prices' table gives it one.
  bool priced = true;
  SourcePos pos;
};

struct DistributionSpec {
  std::string text;  // "exponential(mean 100ms)"
  Distribution dist = Distribution::deterministic(0);
};

struct NodePool {
  std::string name;
  std::int64_t count = 0;  // the initial size
  std::int64_t cpu_milli = 0;
  std::int64_t memory_milli = 0;  // bytes x 1000 (quantity milli-units)
  k8s::ResourceList extended;     // e.g. quantum.qubits
  double price_usd_per_hour = 0;
  k8s::Labels labels;
  std::vector<k8s::Taint> taints;
  // Node autoscaling (docs/scenario.md): which controller resizes the pool ("none",
  // "cluster-autoscaler", "karpenter"), its bounds (unset: 0 and count), the priority
  // expander's rank, how long a node takes to come and to go (unset: the provider's default),
  // and the types Karpenter may choose from.
  std::string autoscaling = "none";
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  std::int32_t priority = 0;
  std::optional<DistributionSpec> provisioning_delay;
  std::optional<DistributionSpec> deletion_delay;
  std::vector<InstanceTypeSpec> instance_types;
  SourcePos pos;
};

struct Region {
  std::string name;
  std::string provider;
  // The provider's name for the region in a price table (providerRegion: us-east-1); the
  // region's own name when not given.
  std::string provider_region;
  double egress_usd_per_gb = 0;  // data sent from this region to another (kubetwin extension)
  std::vector<NodePool> node_pools;
  SourcePos pos;
};

struct OnOffOutage {
  SimTime mean_up = 0;
  SimTime mean_down = 0;
};

struct Uplink {
  std::string region;
  SimTime latency = 0;
  double bytes_per_s = 0;  // bandwidth; 0: no limit
  std::optional<OnOffOutage> outage;
  // outage.trace: the down intervals [start, end) of a CSV file, loaded when read.
  std::vector<std::pair<SimTime, SimTime>> outage_intervals;
  SourcePos pos;
};

// Requests that need the cloud a site holds while it is cut off, unless the site or the
// policy (edgeBuffer) says otherwise (docs/scenario.md).
inline constexpr std::int64_t kDefaultEdgeBuffer = 1000;

struct EdgeSite {
  std::string name;
  std::vector<NodePool> node_pools;
  std::vector<Uplink> uplinks;  // `uplink` (one) or `uplinks` (a list); the first is its cluster's
  std::int64_t buffer = kDefaultEdgeBuffer;
  SourcePos pos;
};

// A distribution as written, kept for display next to the sampler built from it.
struct Arrival {
  // azureFunctions: an Azure Functions 2019 invocation trace (scenarios/azure_trace.hpp).
  enum class Process { poisson, constant, diurnal, trace, azure_functions, cron, rate_trace };
  Process process = Process::poisson;
  double rate_per_s = 0;  // poisson; mean rate of diurnal
  SimTime interval = 0;   // constant
  // diurnal: rate(t) = mean (1 + amplitude sin(2 pi t / period + phase)); `peak` (the time
  // of the maximum within a period) sets the phase, 0 when not given (peak at period / 4).
  double amplitude = 0;
  SimTime period = 0;
  double phase = 0;
  RateTrace rate_trace;  // rateTrace: an observed rate curve
  std::string trace_file;
  std::vector<SimTime> trace;                 // arrival times, ascending
  std::vector<std::uint32_t> per_minute;      // azureFunctions: invocations per minute of a day
  k8s::CronSchedule cron;                     // cron: its schedule
  std::optional<DistributionSpec> durations;  // azureFunctions: its durations file, if given
  // azureFunctions with function "*": every function of the file (and its durations), which
  // the parser expands into one workload each (Workload::group).
  struct Member {
    std::string hash;
    std::vector<std::uint32_t> per_minute;
    std::optional<DistributionSpec> durations;
  };
  std::vector<Member> population;
  double mean_rate_per_s() const;
};

struct Workload {
  std::string name;
  ObjectRef target;
  std::string origin;
  Arrival arrival;
  DistributionSpec service;
  std::int64_t request_bytes = 0;  // payload (kubetwin extension), for egress cost
  std::int64_t response_bytes = 0;
  std::int64_t partitions = 0;  // a Kafka topic's (target: a KEDA ScaledObject); 0: not given
  std::string tenant;           // quantum jobs' tenant; empty: the workload's name
  std::int64_t priority = 0;    // quantum jobs' priority (quantumQueue: priority)
  // A member of a trace population (arrival function "*"): the workload it was expanded from,
  // under whose name its metrics are reported together; it runs its own copy of the target.
  std::string group;
  SourcePos pos;
};

struct Fault {
  SimTime at = 0;
  std::string kind;  // regionOutage, nodeFailure, linkOutage
  std::string target;
  SimTime duration = 0;
  SourcePos pos;
};

struct Override {
  std::string object;  // Kind/name
  std::string path;    // dotted path inside the object
  RawYaml value;
  SourcePos pos;
};

struct Policy {
  std::string name;
  std::string placement;  // empty: as each MultiClusterDeployment declares (weighted if silent)
  std::string scheduling = "least-allocated";
  std::string autoscaling = "native";
  std::string keep_alive = "none";  // "none", "hybrid-histogram" or "fixed"
  SimTime keep_alive_duration = 0;  // for "fixed"
  // For "hybrid-histogram": its parameters as written after "hybrid-histogram:" (empty: the
  // defaults) and as read.
  std::string keep_alive_params;
  serverless::HybridHistogramParams hybrid;
  std::string edge_outage = "evict";
  std::optional<std::int64_t> edge_buffer;  // every site's buffer, when set
  std::string quantum_queue;  // empty: as each QuantumCluster declares (fifo when silent)
  // native: as the manifests declare (DestinationRule, VirtualService, else kube-proxy);
  // random, round-robin or least-request everywhere otherwise.
  std::string load_balancing = "native";
  // native: what each node pool declares; none, cluster-autoscaler or karpenter for every
  // pool of every region.
  std::string node_autoscaling = "native";
  std::vector<Override> overrides;
  std::vector<std::string> knobs_set;   // the knobs the policy writes, in file order
  std::vector<ManifestObject> objects;  // the scenario's objects with the overrides applied
  SourcePos pos;
};

struct Slo {
  std::string metric;
  std::optional<double> max;
  std::optional<double> min;
  SourcePos pos;
};

struct Infrastructure {
  std::vector<Region> regions;
  std::vector<EdgeSite> edge_sites;
  std::map<std::pair<std::string, std::string>, SimTime> latency;  // both orders stored
  std::map<std::string, DistributionSpec> cold_start;
  std::optional<DistributionSpec> scheduling;       // podStartup.scheduling
  std::optional<DistributionSpec> image_pull;       // podStartup.imagePull
  std::optional<DistributionSpec> container_start;  // podStartup.containerStart
  double pull_bytes_per_s = 0;                      // podStartup.imagePullBandwidth (0: none)
  // spec.infrastructure.clusterAutoscaler and .karpenter (kubetwin extensions): the node
  // autoscalers' settings, upstream's defaults where unset.
  models::ClusterAutoscalerConfig cluster_autoscaler;
  models::KarpenterConfig karpenter;
  // spec.infrastructure.quantum (kubetwin extension): fidelity and prices of the QPUs.
  struct Quantum {
    bool strict_fidelity = false;
    std::optional<double> usd_per_qpu_second;
    std::optional<double> usd_per_shot;
    std::optional<SimTime> fair_share_half_life;
  } quantum;
};

struct Scenario {
  std::string file;
  std::string name;
  SimTime duration = 0;
  SimTime warmup = 0;
  std::int64_t replications = 1;
  std::uint64_t seed = 1;
  std::vector<std::string> manifest_patterns;
  Infrastructure infrastructure;
  std::vector<Workload> workloads;
  std::vector<Fault> faults;
  std::vector<Policy> policies;
  std::vector<Slo> slos;
  std::vector<ManifestObject> objects;  // from spec.manifests, before any override
  SourcePos pos;
};

// The metric keys of SPEC.md ("Metrics"), without a scope prefix.
const std::vector<std::string>& metric_keys();

}  // namespace kt::scenario
