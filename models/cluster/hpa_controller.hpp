#pragma once
// The HorizontalPodAutoscaler as a fleet component: every sync period it measures each metric
// of each scaled Deployment from the simulated pods, asks upstream's replica calculator for a
// proposal per metric and lets the HPA normalise the largest (models/autoscaling). What each
// metric measures (docs/scenario.md, "HPA metrics"):
//  - cpu: a request in service uses 1/concurrency of its pod's CPU request, averaged over the
//    sync period (metrics-server's window);
//  - memory: the pod template's usage model, idle + per request in service;
//  - requests per second: arrivals over the sync period (a Prometheus rate());
//  - in-flight requests and queue length: sampled at the sync, per pod (a gauge).
// Pods starting count as unready (Pending), terminating pods are ignored, as upstream groups
// them. Under the predictive policy it also provisions for the request rate forecast one pod
// start-up ahead (models/forecast/seasonal_ar), never below the HPA.

#include <cstdint>
#include <optional>
#include <vector>

#include "models/autoscaling/hpa.hpp"
#include "models/cluster/fleet_component.hpp"
#include "models/forecast/seasonal_ar.hpp"

namespace kt::models {

class HpaController final : public FleetComponent {
 public:
  explicit HpaController(FleetCore& core);
  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;

 private:
  static constexpr EventKind kSync = 0;  // payload: deployment
  // What one sync measured of a Deployment.
  struct Measured {
    double busy_per_ready_pod = 0;  // requests in service, time-averaged over the period
    double arrivals_per_s = 0;
    std::int32_t ready = 0;
  };
  void sync(std::uint32_t deployment);
  std::optional<std::int32_t> propose(const autoscaling::HpaMetric& metric,
                                      std::uint32_t deployment, std::int32_t current,
                                      const Measured& m);
  std::vector<std::optional<autoscaling::Hpa>> hpa_;             // per Deployment
  std::vector<std::optional<forecast::SeasonalAr>> forecaster_;  // per Deployment
  std::vector<autoscaling::PodSample> samples_;                  // scratch
};

}  // namespace kt::models
