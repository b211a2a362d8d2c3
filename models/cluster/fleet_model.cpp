// One replication of a fleet: the core (models/cluster/fleet_core) with the components that
// act on it, beside the arrival sources.

#include "models/cluster/fleet_model.hpp"

#include <vector>

#include "engine/simulation.hpp"
#include "models/cluster/cluster_autoscaler.hpp"
#include "models/cluster/fleet_core.hpp"
#include "models/cluster/fleet_metrics.hpp"
#include "models/cluster/hpa_controller.hpp"
#include "models/cluster/job_controller.hpp"
#include "models/cluster/karpenter.hpp"
#include "models/cluster/node_lifecycle.hpp"
#include "models/cluster/replica_controller.hpp"
#include "models/edge/edge_sites.hpp"
#include "models/quantum/quantum_controller.hpp"
#include "models/serverless/kafka_consumers.hpp"
#include "models/serverless/serverless_controller.hpp"
#include "models/workload/arrival_source.hpp"
#include "models/workload/exogenous_source.hpp"

namespace kt::models {

SimTime effective_sample_interval(SimTime requested, SimTime duration) {
  SimTime interval = requested > 0 ? requested : kMinute;
  const SimTime min_interval =
      (duration + static_cast<SimTime>(kMaxSeriesRows) - 1) / static_cast<SimTime>(kMaxSeriesRows);
  if (interval < min_interval) {
    interval = (min_interval + kSecond - 1) / kSecond * kSecond;  // round up to whole seconds
  }
  return interval;
}

RunOutput run_fleet(const FleetConfig& config, std::uint64_t seed, std::uint64_t replication,
                    RunProgress* progress, unsigned threads) {
  RunOutput result;
  if (config.workloads.empty()) return result;
  Simulation sim(seed, replication);
  FleetCore core(config);
  core.seed_routing(seed, replication);
  // The order components are added is the order they start and report in.
  ReplicaController replicas(core);
  JobController jobs(core);
  HpaController hpa(core);
  NodeLifecycle nodes(core);
  FleetMetrics metrics(core);
  core.add(replicas, seed, replication);
  core.add(jobs, seed, replication);
  core.add(hpa, seed, replication);
  core.add(nodes, seed, replication);
  core.add(metrics, seed, replication);
  // Added last: its id (so the streams of the others) stays out of runs without functions.
  ServerlessController serverless(core);
  core.add(serverless, seed, replication);
  KafkaConsumers kafka(core);
  core.add(kafka, seed, replication);
  edge::EdgeSites edge(core);
  if (edge.active()) {
    core.add(edge, seed, replication);
    core.set_offline_owner(edge);
  }
  quantum::QuantumController quantum(core);
  if (quantum.active()) core.add(quantum, seed, replication);
  // The node autoscalers, only where a pool asks for one.
  ClusterAutoscaler cluster_autoscaler(core);
  if (cluster_autoscaler.active()) core.add(cluster_autoscaler, seed, replication);
  Karpenter karpenter(core);
  if (karpenter.active()) core.add(karpenter, seed, replication);
  for (std::uint32_t d = 0; d < config.deployments.size(); ++d) {
    if (config.deployments[d].job) {
      core.set_owner(d, jobs);
      core.take_arrivals_of(d);
    } else if (config.deployments[d].serverless) {
      core.set_owner(d, serverless);
      core.take_arrivals_of(d);
    } else if (config.deployments[d].kafka) {
      core.set_owner(d, kafka);
      core.take_arrivals_of(d);
    } else if (config.deployments[d].quantum || config.deployments[d].workflow) {
      core.set_owner(d, quantum);
      core.take_arrivals_of(d);
    } else if (config.deployments[d].workflow_pods) {
      core.set_owner(d, quantum);
    } else {
      core.set_owner(d, replicas);
    }
  }
  const LpId fleet_id = sim.add(core);
  // The fleet is group 0; the sources, which only send to it, and always `lead` ahead,
  // group 1.
  constexpr GroupId kSourceGroup = 1;
  std::vector<ArrivalFeed> feeds;
  for (const FleetWorkload& w : config.workloads) {
    // A Job's pods draw their own run time when they start (one per pod, retries included).
    const bool job = config.deployments[w.deployment].job.has_value();
    feeds.push_back({&w.arrival, fleet_id, job ? nullptr : &w.service_time});
  }
  const auto sources =
      add_arrival_sources(sim, feeds, FleetCore::kArrive, config.duration, kSourceGroup, 0);
  // Uplinks' exponential up and down times: exogenous, sent with the arrivals' lead.
  std::vector<std::unique_ptr<ExogenousSource>> uplink_sources;
  if (edge.active()) {
    for (const edge::UplinkOutages& o : config.edge.outages) {
      if (o.mean_up <= 0 || o.mean_down <= 0) continue;
      auto process = std::make_unique<OnOffProcess>(
          o.mean_up, o.mean_down, edge.event_kind(edge::EdgeSites::kLinkDown),
          edge.event_kind(edge::EdgeSites::kLinkUp), o.link);
      uplink_sources.push_back(std::make_unique<ExogenousSource>(
          std::move(process), fleet_id, config.duration, sim.lookahead(kSourceGroup, 0)));
      uplink_sources.back()->start(sim, sim.add(*uplink_sources.back(), kSourceGroup));
    }
  }
  sim.set_threads(threads);
  core.start(sim, fleet_id);
  // Statistics count from the warm-up on.
  if (config.warmup > 0) {
    run_with_progress(sim, config.warmup, progress);
    core.restart_statistics(config.warmup);
  }
  run_with_progress(sim, config.duration, progress);
  result.events = sim.events_handled();
  core.export_metrics(config.duration, result.metrics);
  result.series = metrics.take_series();
  return result;
}

}  // namespace kt::models
