#pragma once
// The fleet's metrics and time series as a component: samples the fleet at a fixed interval
// (timeseries.csv) and, at the end, reports per workload, per place and global figures under
// the SPEC keys (requests, latency, replicas, evictions, pending pods, cost, utilisation).

#include <cstdint>
#include <string>
#include <vector>

#include "models/cluster/fleet_component.hpp"

namespace kt::models {

class FleetMetrics final : public FleetComponent {
 public:
  explicit FleetMetrics(FleetCore& core) : FleetComponent(core) {}
  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;
  void export_metrics(SimTime end, MetricMap& out) override;
  TimeSeries take_series() { return std::move(series_); }

 private:
  static constexpr EventKind kSample = 0;
  void sample();
  void push_cost_rate();
  // Nodes and pending pods (fleet_node_metrics.cpp): node counts per pool, place and in all,
  // how many a node autoscaler launched and removed, how long pods waited for a node.
  void export_node_metrics(SimTime end, MetricMap& out) const;
  void node_columns(std::vector<std::string>& columns) const;
  void node_values(std::vector<double>& row) const;
  TimeSeries series_;
  SimTime sample_interval_ = kMinute;
  double sampled_egress_usd_ = 0;
};

}  // namespace kt::models
