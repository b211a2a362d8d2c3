#include "models/cluster/hpa_controller.hpp"

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

HpaController::HpaController(FleetCore& core) : FleetComponent(core) {
  const FleetConfig& config = core.config();
  hpa_.resize(config.deployments.size());
  forecaster_.resize(config.deployments.size());
  for (std::uint32_t i = 0; i < config.deployments.size(); ++i) {
    const FleetDeployment& d = config.deployments[i];
    if (!d.hpa || config.static_replicas) continue;
    hpa_[i].emplace(*d.hpa);
    core.track_busy(i);
    core.init_desired(i, std::clamp(static_cast<std::int32_t>(d.replicas), d.hpa->min_replicas,
                                    d.hpa->max_replicas));
    if (config.predictive || d.always_predictive) {
      const SimTime bin = d.hpa->sync_period;
      forecaster_[i].emplace(static_cast<std::size_t>(config.forecast_season / bin),
                             static_cast<std::size_t>(config.forecast_history / bin));
    }
  }
}

void HpaController::start() {
  for (std::uint32_t d = 0; d < hpa_.size(); ++d) {
    if (hpa_[d]) schedule_at(hpa_[d]->config().sync_period, kSync, d);
  }
}

void HpaController::handle(EventKind, std::uint64_t payload, std::uint16_t) {
  sync(static_cast<std::uint32_t>(payload));
}

void HpaController::sync(std::uint32_t deployment) {
  autoscaling::Hpa& hpa = *hpa_[deployment];
  const FleetDeployment& d = core_.config().deployments[deployment];
  const DeploymentRuntime& rt = core_.deployment(deployment);
  const SimTime now = core_.now();
  const SimTime period = hpa.config().sync_period;
  // CPU utilisation relative to requests: a request in service uses 1/concurrency of the
  // pod's CPU request, so a pod with every slot busy runs at 100 %.
  const double busy_area = core_.take_busy_area(deployment);
  const double slots = static_cast<double>(rt.ready) * d.concurrency;
  const double utilization = slots > 0 ? busy_area / (static_cast<double>(period) * slots) : 0;
  std::int32_t current = 0;
  for (const auto& list : rt.pods)
    current += static_cast<std::int32_t>(list.size());
  std::int32_t desired = hpa.sync(now, current, static_cast<std::int32_t>(rt.ready), utilization);
  const std::uint64_t arrivals = core_.take_arrivals(deployment);
  if (auto& forecaster = forecaster_[deployment]) {
    // Provision for the rate forecast one pod start-up (plus a sync) ahead: the replicas
    // that keep utilisation at the HPA's target, never fewer than the HPA asks for.
    const KubernetesTimings& timings = core_.config().timings;
    forecaster->observe(static_cast<double>(arrivals) / to_seconds(period));
    const double startup_s = timings.image_pull.mean() + timings.container_start.mean();
    const auto horizon =
        static_cast<std::size_t>(std::ceil((startup_s + to_seconds(period)) / to_seconds(period)));
    const double rate = forecaster->forecast(horizon);
    const double needed =
        std::ceil(rate * d.mean_service_s / (d.concurrency * hpa.config().target_utilization));
    const auto predicted = static_cast<std::int32_t>(std::min(needed, 1e6));
    desired = std::max(desired,
                       std::clamp(predicted, hpa.config().min_replicas, hpa.config().max_replicas));
  }
  core_.set_desired(deployment, desired);
  core_.after_change();
  schedule_in(period, kSync, deployment);
}

}  // namespace kt::models
