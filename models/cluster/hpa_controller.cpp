#include "models/cluster/hpa_controller.hpp"

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

namespace {

using autoscaling::HpaMetric;
using autoscaling::PodGroup;

std::int64_t to_milli(double x) {
  return std::llround(x * 1000.0);
}

}  // namespace

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

std::optional<std::int32_t> HpaController::propose(const HpaMetric& metric,
                                                   std::uint32_t deployment, std::int32_t current,
                                                   const Measured& m) {
  const FleetDeployment& d = core_.config().deployments[deployment];
  const DeploymentRuntime& rt = core_.deployment(deployment);
  const autoscaling::Tolerances tol = hpa_[deployment]->config().tolerance;
  // The per-pod value of the metric for a ready pod `p`, and its request (utilisation).
  const auto value_of = [&](const Pod& p) -> double {
    switch (metric.quantity) {
      case HpaMetric::Quantity::cpu:
        return m.busy_per_ready_pod / d.concurrency * static_cast<double>(d.cpu_milli) / 1000.0;
      case HpaMetric::Quantity::memory:
        return static_cast<double>(d.memory_idle_bytes) +
               static_cast<double>(d.memory_per_request_bytes) * m.busy_per_ready_pod;
      case HpaMetric::Quantity::requests_per_second:
        return m.ready > 0 ? m.arrivals_per_s / m.ready : 0.0;
      case HpaMetric::Quantity::in_flight:
        return p.busy + p.queue.size;
      case HpaMetric::Quantity::queue_length:
        return p.queue.size;
    }
    return 0.0;
  };
  const double request = metric.quantity == HpaMetric::Quantity::cpu
                             ? static_cast<double>(d.cpu_milli) / 1000.0
                             : static_cast<double>(d.memory_bytes);
  samples_.clear();
  double total = 0;
  std::int32_t status_replicas = 0;
  for (const auto& list : rt.pods) {
    for (const std::uint32_t id : list) {
      const Pod& p = core_.pod(id);
      autoscaling::PodSample s;
      s.request_milli = to_milli(request);
      if (p.state == PodState::ready && !p.node_down) {
        const double v = value_of(p);
        s.value_milli = to_milli(v);
        total += v;
      } else if (p.state == PodState::terminating) {
        s.group = PodGroup::ignored;  // being deleted
      } else {
        s.group = PodGroup::unready;  // Pending: not scheduled, pulling or starting
      }
      if (s.group != PodGroup::ignored) ++status_replicas;
      samples_.push_back(s);
    }
  }
  if (samples_.empty()) return std::nullopt;  // "no pods returned by selector"
  switch (metric.source) {
    case HpaMetric::Source::resource:
    case HpaMetric::Source::pods:
      if (metric.target == HpaMetric::Target::utilization) {
        return autoscaling::resource_utilization_replicas(
            current, static_cast<std::int32_t>(metric.target_milli), samples_, tol);
      }
      return autoscaling::plain_metric_replicas(current, metric.target_milli, samples_, tol);
    case HpaMetric::Source::object:
    case HpaMetric::Source::external:
      if (metric.quantity == HpaMetric::Quantity::requests_per_second) total = m.arrivals_per_s;
      if (metric.target == HpaMetric::Target::value) {
        return autoscaling::value_replicas(current, to_milli(total), metric.target_milli, m.ready,
                                           tol);
      }
      return autoscaling::average_value_replicas(status_replicas, to_milli(total),
                                                 metric.target_milli, tol);
  }
  return std::nullopt;
}

void HpaController::sync(std::uint32_t deployment) {
  autoscaling::Hpa& hpa = *hpa_[deployment];
  const FleetDeployment& d = core_.config().deployments[deployment];
  const DeploymentRuntime& rt = core_.deployment(deployment);
  const SimTime period = hpa.config().sync_period;
  Measured m;
  m.ready = static_cast<std::int32_t>(rt.ready);
  const double busy_area = core_.take_busy_area(deployment);
  m.busy_per_ready_pod =
      m.ready > 0 ? busy_area / (static_cast<double>(period) * static_cast<double>(m.ready)) : 0;
  const std::uint64_t arrivals = core_.take_arrivals(deployment);
  m.arrivals_per_s = static_cast<double>(arrivals) / to_seconds(period);
  // The scale's spec.replicas: what the controller last asked for.
  const std::int32_t current = rt.desired;
  std::vector<std::optional<std::int32_t>> proposals;
  proposals.reserve(hpa.config().metrics.size());
  for (const HpaMetric& metric : hpa.config().metrics)
    proposals.push_back(propose(metric, deployment, current, m));
  std::int32_t desired = hpa.sync(core_.now(), current, proposals);
  if (auto& forecaster = forecaster_[deployment]) {
    // Provision for the rate forecast one pod start-up (plus a sync) ahead: the replicas
    // that keep utilisation at the HPA's target, never fewer than the HPA asks for.
    const KubernetesTimings& timings = core_.config().timings;
    forecaster->observe(m.arrivals_per_s);
    const double startup_s = timings.image_pull.mean() + timings.container_start.mean();
    const auto horizon =
        static_cast<std::size_t>(std::ceil((startup_s + to_seconds(period)) / to_seconds(period)));
    const double rate = forecaster->forecast(horizon);
    const double needed =
        std::ceil(rate * d.mean_service_s / (d.concurrency * hpa.config().cpu_target_fraction()));
    const auto predicted = static_cast<std::int32_t>(std::min(needed, 1e6));
    desired = std::max(desired,
                       std::clamp(predicted, hpa.config().min_replicas, hpa.config().max_replicas));
  }
  core_.set_desired(deployment, desired);
  core_.after_change();
  schedule_in(period, kSync, deployment);
}

}  // namespace kt::models
