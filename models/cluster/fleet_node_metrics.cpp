// The fleet's node and pending-pod metrics: node counts (time-weighted mean and maximum) per
// pool, per place and in all; with a node autoscaler, the nodes it launched and removed and
// their time series; how long pods waited from creation to binding.

#include <map>

#include "models/cluster/fleet_core.hpp"
#include "models/cluster/fleet_metrics.hpp"

namespace kt::models {

namespace {

bool any_autoscaled(const FleetConfig& config) {
  return config.autoscaled_by(NodeAutoscaler::cluster_autoscaler) ||
         config.autoscaled_by(NodeAutoscaler::karpenter);
}

std::string place_prefix(const PlaceConfig& p) {
  return (p.edge ? "sites." : "regions.") + p.name + ".";
}

// A pool's scope: pools.PLACE/POOL (kubetwin extension, docs/metrics.md).
std::string pool_prefix(const FleetConfig& config, const NodePoolConfig& pool) {
  return "pools." + config.places[pool.place].name + "/" + pool.name + ".";
}

double mean_s(const PendingTimes& t) {
  return t.count > 0 ? t.sum_s / static_cast<double>(t.count) : 0.0;
}

}  // namespace

void FleetMetrics::node_columns(std::vector<std::string>& columns) const {
  const FleetConfig& config = core_.config();
  if (!any_autoscaled(config)) return;  // fixed pools: their counts never change
  columns.push_back("nodes.count");
  for (const NodePoolConfig& pool : config.pools) {
    if (pool.scaling.autoscaler != NodeAutoscaler::none)
      columns.push_back(config.places[pool.place].name + "/" + pool.name + ".nodes");
  }
}

void FleetMetrics::node_values(std::vector<double>& row) const {
  const FleetConfig& config = core_.config();
  if (!any_autoscaled(config)) return;
  row.push_back(core_.total_nodes().current());
  for (std::uint32_t p = 0; p < config.pools.size(); ++p) {
    if (config.pools[p].scaling.autoscaler != NodeAutoscaler::none)
      row.push_back(core_.pool_runtime(p).nodes.current());
  }
}

void FleetMetrics::export_node_metrics(SimTime end, MetricMap& m) const {
  const FleetConfig& config = core_.config();
  const bool autoscaled = any_autoscaled(config);
  const double hours = to_seconds(end - config.warmup) / 3600.0;
  // Pending times: the pods bound after the warm-up, and those still pending now (censored
  // at the end of the run).
  std::vector<PendingTimes> by_deployment(config.deployments.size());
  std::vector<PendingTimes> by_place(config.places.size());
  PendingTimes all;
  for (std::uint32_t d = 0; d < config.deployments.size(); ++d)
    by_deployment[d] = core_.deployment(d).pending_times;
  for (std::uint32_t p = 0; p < config.places.size(); ++p)
    by_place[p] = core_.place(p).pending_times;
  for (std::uint32_t pod : core_.pending()) {
    const Pod& x = core_.pod(pod);
    const SimTime waited = end - std::max(x.created, config.warmup);
    by_deployment[x.deployment].add(waited);
    by_place[x.home].add(waited);
  }
  for (const PendingTimes& t : by_place) {
    all.sum_s += t.sum_s;
    all.count += t.count;
  }
  for (const FleetWorkload& w : config.workloads) {
    if (w.group >= 0) continue;
    m["workloads." + w.name + ".pods.pending.mean_s"] = mean_s(by_deployment[w.deployment]);
  }
  m["pods.pending.mean_s"] = mean_s(all);

  std::vector<bool> has_pools(config.places.size(), false);
  std::vector<std::uint64_t> provisioned(config.places.size(), 0);
  std::vector<std::uint64_t> removed(config.places.size(), 0);
  std::uint64_t provisioned_all = 0;
  std::uint64_t removed_all = 0;
  double count_mean = 0;
  for (std::uint32_t p = 0; p < config.pools.size(); ++p) {
    const NodePoolConfig& pool = config.pools[p];
    const PoolRuntime& rt = core_.pool_runtime(p);
    has_pools[pool.place] = true;
    provisioned[pool.place] += rt.provisioned;
    removed[pool.place] += rt.removed;
    provisioned_all += rt.provisioned;
    removed_all += rt.removed;
    count_mean += rt.nodes.mean(end);
    if (config.places[pool.place].implicit) continue;
    const std::string prefix = pool_prefix(config, pool);
    m[prefix + "nodes.count.mean"] = rt.nodes.mean(end);
    m[prefix + "nodes.count.max"] = rt.nodes.max();
    m[prefix + "cost.compute_usd"] = rt.price_rate.mean(end) * hours;
    if (pool.scaling.autoscaler != NodeAutoscaler::none) {
      m[prefix + "nodes.provisioned"] = static_cast<double>(rt.provisioned);
      m[prefix + "nodes.removed"] = static_cast<double>(rt.removed);
    }
  }
  for (std::uint32_t p = 0; p < config.places.size(); ++p) {
    if (config.places[p].implicit) continue;
    const PlaceRuntime& place = core_.place(p);
    const std::string prefix = place_prefix(config.places[p]);
    m[prefix + "pods.pending.max"] = static_cast<double>(place.pending_max);
    m[prefix + "pods.pending.mean_s"] = mean_s(by_place[p]);
    if (!has_pools[p]) continue;
    m[prefix + "nodes.count.mean"] = place.node_count.mean(end);
    m[prefix + "nodes.count.max"] = place.node_count.max();
    if (place.dynamic) {
      m[prefix + "nodes.provisioned"] = static_cast<double>(provisioned[p]);
      m[prefix + "nodes.removed"] = static_cast<double>(removed[p]);
    }
  }
  m["nodes.count.mean"] = count_mean;
  m["nodes.count.max"] = core_.total_nodes().max();
  if (autoscaled) {
    m["nodes.provisioned"] = static_cast<double>(provisioned_all);
    m["nodes.removed"] = static_cast<double>(removed_all);
  }
}

}  // namespace kt::models
