#pragma once
// The HorizontalPodAutoscaler as a fleet component: every sync period it measures each scaled
// Deployment's CPU utilisation relative to requests (a request in service uses
// 1/concurrency of its pod's CPU request) and sets the desired count the HPA computes
// (models/autoscaling/hpa). Under the predictive policy it also provisions for the request
// rate forecast one pod start-up ahead (models/forecast/seasonal_ar), never below the HPA.

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
  void sync(std::uint32_t deployment);
  std::vector<std::optional<autoscaling::Hpa>> hpa_;             // per Deployment
  std::vector<std::optional<forecast::SeasonalAr>> forecaster_;  // per Deployment
};

}  // namespace kt::models
