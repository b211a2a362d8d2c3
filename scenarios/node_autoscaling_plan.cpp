// A node pool's autoscaling as the fleet model reads it: the controller (the pool's own
// `autoscaling`, or the policy's nodeAutoscaling knob for every region's pool), its bounds,
// the instance types Karpenter may launch, and the provisioning delay, whose default depends
// on the provider (docs/models/autoscaling.md, "Provisioning delays", names the sources).

#include "scenarios/fleet_plan.hpp"

namespace kt::scenario {

models::NodeAutoscaler node_autoscaler_named(const std::string& name) {
  if (name == "cluster-autoscaler") return models::NodeAutoscaler::cluster_autoscaler;
  if (name == "karpenter") return models::NodeAutoscaler::karpenter;
  return models::NodeAutoscaler::none;
}

Distribution default_provisioning_delay(const std::string& provider) {
  // Seconds from the cloud call to a Ready node.
  if (provider == "gcp") return Distribution::lognormal(210.0, 0.1);  // CA FAQ: 3-4 min on GCE
  if (provider == "aws") return Distribution::lognormal(60.0, 0.3);
  if (provider == "azure") return Distribution::lognormal(120.0, 0.3);
  return Distribution::lognormal(90.0, 0.3);
}

models::PoolScaling plan_pool_scaling(const NodePool& pool, const std::string& provider,
                                      const std::string& knob, bool edge) {
  models::PoolScaling s;
  const std::string& name = knob == "native" || edge ? pool.autoscaling : knob;
  s.autoscaler = edge ? models::NodeAutoscaler::none : node_autoscaler_named(name);
  s.min = pool.min ? static_cast<std::uint32_t>(*pool.min) : 0;
  s.max = static_cast<std::uint32_t>(pool.max ? *pool.max : pool.count);
  s.priority = pool.priority;
  s.provisioning = pool.provisioning_delay ? pool.provisioning_delay->dist
                                           : default_provisioning_delay(provider);
  if (pool.deletion_delay) s.deletion = pool.deletion_delay->dist;
  for (const InstanceTypeSpec& t : pool.instance_types)
    s.instance_types.push_back({t.name, t.cpu_milli, t.memory_milli / 1000, t.price_usd_per_hour});
  return s;
}

}  // namespace kt::scenario
