#include "models/cluster/fleet_metrics.hpp"

#include <cstdio>
#include <string>

#include "models/cluster/fleet_core.hpp"
#include "models/cluster/fleet_model.hpp"

namespace kt::models {

namespace {

// A bucket bound as Prometheus writes `le`: seconds, shortest exact form ("0.25", "1", "2.5").
std::string format_seconds(SimTime t) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", to_seconds(t));
  return text;
}

}  // namespace

void FleetMetrics::start() {
  schedule_at(0, kSample);
}

void FleetMetrics::handle(EventKind, std::uint64_t, std::uint16_t) {
  sample();
}

void FleetMetrics::sample() {
  const FleetConfig& config = core_.config();
  if (series_.columns.empty()) {
    series_.columns.push_back("time_s");
    for (const FleetWorkload& w : config.workloads) {
      if (w.group >= 0) continue;  // with its group, below
      for (const char* c : {".replicas", ".in_flight", ".queued", ".completed", ".failed",
                            ".latency_p50_ms", ".latency_p99_ms"}) {
        series_.columns.push_back(w.name + c);
      }
      // Prometheus-style: completions in the interval at or below each bound, and in all.
      for (SimTime bound : config.latency_buckets)
        series_.columns.push_back(w.name + ".latency_le_" + format_seconds(bound));
      if (!config.latency_buckets.empty()) series_.columns.push_back(w.name + ".latency_count");
    }
    for (const std::string& g : config.groups) {
      for (const char* c : {".replicas", ".in_flight", ".queued", ".completed", ".failed"})
        series_.columns.push_back(g + c);
    }
    // Without nodes nothing is pending and nothing costs: those columns do not apply.
    if (!config.unlimited_capacity) {
      series_.columns.push_back("pods.pending");
      series_.columns.push_back("cost_usd_per_hour");
      node_columns(series_.columns);
    }
    for (const PlaceConfig& p : config.places) {
      if (!p.implicit) series_.columns.push_back(p.name + ".ready_pods");
    }
    for (const FleetComponent* c : core_.components())
      c->series_columns(series_.columns);
    sample_interval_ = effective_sample_interval(config.sample_interval, config.duration);
  }
  const SimTime now = core_.now();
  series_.values.push_back(to_seconds(now));
  std::vector<double> group_sums(config.groups.size() * 4, 0.0);
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    RequestStats& s = core_.workload_stats(w);
    if (const std::int32_t g = config.workloads[w].group; g >= 0) {
      double* sums = &group_sums[static_cast<std::size_t>(g) * 4];
      sums[0] += s.in_service;
      sums[1] += static_cast<double>(s.queued);
      sums[2] += static_cast<double>(s.completed);
      sums[3] += static_cast<double>(s.failed);
      s.interval_latency.clear();
      continue;
    }
    series_.values.push_back(core_.deployment(config.workloads[w].deployment).ready);
    series_.values.push_back(s.in_service);
    series_.values.push_back(static_cast<double>(s.queued));
    series_.values.push_back(static_cast<double>(s.completed));
    series_.values.push_back(static_cast<double>(s.failed));
    IntervalHistogram& h = s.interval_latency;
    series_.values.push_back(h.quantile(0.50) * 1e-6);
    series_.values.push_back(h.quantile(0.99) * 1e-6);
    h.clear();
    if (!s.interval_buckets.empty()) {
      std::uint64_t at_or_below = 0;
      for (std::uint64_t& n : s.interval_buckets) {
        at_or_below += n;
        series_.values.push_back(static_cast<double>(at_or_below));
        n = 0;
      }
    }
  }
  for (std::uint32_t g = 0; g < config.groups.size(); ++g) {
    series_.values.push_back(core_.group_ready(g).current());
    for (int k = 0; k < 4; ++k)
      series_.values.push_back(group_sums[g * 4 + static_cast<std::size_t>(k)]);
  }
  if (!config.unlimited_capacity) {
    series_.values.push_back(static_cast<double>(core_.pending_count()));
    push_cost_rate();
    node_values(series_.values);
  }
  for (std::uint32_t p = 0; p < config.places.size(); ++p) {
    if (!config.places[p].implicit) series_.values.push_back(core_.place(p).ready_pods.current());
  }
  for (const FleetComponent* c : core_.components())
    c->series_values(series_.values);
  schedule_in(sample_interval_, kSample);
}

void FleetMetrics::push_cost_rate() {
  const FleetConfig& config = core_.config();
  const SimTime now = core_.now();
  // Cost rate: the nodes' prices plus the egress paid since the last sample, per hour.
  double compute = 0;
  double egress = 0;
  for (std::uint32_t p = 0; p < config.places.size(); ++p) {
    const PlaceRuntime& place = core_.place(p);
    compute += place.dynamic ? place.price_rate.current() : place.price_usd_per_hour;
    egress += core_.place(p).egress_bytes / 1e9 * config.places[p].egress_usd_per_gb;
  }
  const double hours = to_seconds(sample_interval_) / 3600.0;
  series_.values.push_back(compute + (now > 0 ? (egress - sampled_egress_usd_) / hours : 0));
  sampled_egress_usd_ = egress;
}

void FleetMetrics::export_metrics(SimTime end, MetricMap& m) {
  const FleetConfig& config = core_.config();
  RequestStats total;
  std::vector<RequestStats> groups(config.groups.size());
  std::vector<double> group_evicted(config.groups.size(), 0);
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    const RequestStats& s = core_.workload_stats(w);
    if (const std::int32_t g = config.workloads[w].group; g >= 0) {
      // A member of a report group: counted with the group, below.
      groups[static_cast<std::size_t>(g)].merge(s);
      group_evicted[static_cast<std::size_t>(g)] +=
          static_cast<double>(core_.deployment(config.workloads[w].deployment).evicted);
      total.merge(s);
      continue;
    }
    const std::string prefix = "workloads." + config.workloads[w].name + ".";
    export_request_stats(s, prefix, m);
    const std::uint32_t d = config.workloads[w].deployment;
    const DeploymentRuntime& rt = core_.deployment(d);
    m[prefix + "replicas.mean"] = rt.ready_tw.mean(end);
    m[prefix + "replicas.max"] = rt.ready_tw.max();
    m[prefix + "replicas.final"] = rt.ready;
    if (!config.unlimited_capacity) {  // without nodes pods neither wait for one nor lose it
      m[prefix + "pods.evicted"] = static_cast<double>(rt.evicted);
      m[prefix + "pods.pending.max"] = static_cast<double>(rt.pending_max);
    }
    // kubetwin extensions: how long self-healing took after a node or region failure.
    if (rt.recoveries > 0) m[prefix + "recovery.time_max_s"] = to_seconds(rt.recovery_max);
    if (config.deployments[d].recovery_time_objective > 0) {
      m[prefix + "recovery.rto_missed"] = static_cast<double>(rt.rto_missed);
    }
    total.merge(s);
  }
  for (std::uint32_t g = 0; g < config.groups.size(); ++g) {
    const std::string prefix = "workloads." + config.groups[g] + ".";
    export_request_stats(groups[g], prefix, m);
    const TimeWeighted& ready = core_.group_ready(g);
    m[prefix + "replicas.mean"] = ready.mean(end);
    m[prefix + "replicas.max"] = ready.max();
    m[prefix + "replicas.final"] = ready.current();
    if (!config.unlimited_capacity) m[prefix + "pods.evicted"] = group_evicted[g];
  }
  export_request_stats(total, "", m);
  double ready_mean = 0;
  double ready_max = 0;
  double ready_final = 0;
  for (std::uint32_t d = 0; d < config.deployments.size(); ++d) {
    const DeploymentRuntime& rt = core_.deployment(d);
    ready_mean += rt.ready_tw.mean(end);
    ready_max += rt.ready_tw.max();
    ready_final += rt.ready;
  }
  m["replicas.mean"] = ready_mean;
  m["replicas.max"] = ready_max;
  m["replicas.final"] = ready_final;
  const double hours = to_seconds(end - config.warmup) / 3600.0;
  bool payloads = false;
  for (const FleetWorkload& w : config.workloads)
    payloads = payloads || w.request_bytes > 0 || w.response_bytes > 0;
  double egress_total = 0;
  double compute_total = 0;
  double cost = 0;
  double busy = 0;
  double alloc = 0;
  std::uint64_t evicted = 0;
  for (std::uint32_t p = 0; p < config.places.size(); ++p) {
    if (config.places[p].implicit) continue;
    const PlaceRuntime& place = core_.place(p);
    const std::string prefix =
        (config.places[p].edge ? "sites." : "regions.") + config.places[p].name + ".";
    // A place whose nodes come and go pays for the node-hours that existed.
    const double compute_cost =
        place.dynamic ? place.price_rate.mean(end) * hours : place.price_usd_per_hour * hours;
    // Data leaving the place for another, at its price per GB (10^9 bytes); only when the
    // workloads declare payloads, else the key does not apply.
    const double egress_cost = place.egress_bytes / 1e9 * config.places[p].egress_usd_per_gb;
    const double place_cost = compute_cost + egress_cost;
    if (!config.unlimited_capacity) {
      m[prefix + "cost.compute_usd"] = compute_cost;
      if (payloads) m[prefix + "cost.egress_usd"] = egress_cost;
      m[prefix + "cost.total_usd"] = place_cost;
    }
    egress_total += egress_cost;
    compute_total += compute_cost;
    if (!config.unlimited_capacity) m[prefix + "pods.evicted"] = static_cast<double>(place.evicted);
    m[prefix + "replicas.mean"] = place.ready_pods.mean(end);
    m[prefix + "replicas.max"] = place.ready_pods.max();
    m[prefix + "replicas.final"] = place.ready_pods.current();
    // Busy CPU over allocatable CPU, each averaged over the run (node-seconds weighted).
    const double cpu_alloc = place.dynamic ? place.cpu_alloc.mean(end) : place.cpu_alloc_milli;
    if (cpu_alloc > 0) {
      m[prefix + "nodes.cpu_utilization"] = place.cpu_busy_milli.mean(end) / cpu_alloc;
    }
    const RequestStats& s = place.served;
    if (s.completed > 0) {
      const double n = static_cast<double>(s.completed);
      m[prefix + "requests.completed"] = n;
      m[prefix + "latency.mean_ms"] = s.latency_sum_ns / n * 1e-6;
      m[prefix + "latency.p50_ms"] = s.latency_ns.quantile(0.50) * 1e-6;
      m[prefix + "latency.p95_ms"] = s.latency_ns.quantile(0.95) * 1e-6;
      m[prefix + "latency.p99_ms"] = s.latency_ns.quantile(0.99) * 1e-6;
      m[prefix + "wait.mean_ms"] = s.wait_sum_ns / n * 1e-6;
    }
    cost += place_cost;
    busy += place.cpu_busy_milli.mean(end);
    alloc += cpu_alloc;
    evicted += place.evicted;
  }
  if (!config.unlimited_capacity) {
    m["cost.compute_usd"] = compute_total;
    if (payloads) m["cost.egress_usd"] = egress_total;
    m["cost.total_usd"] = cost;
  }
  if (!config.unlimited_capacity) {
    m["pods.evicted"] = static_cast<double>(evicted);
    m["pods.pending.max"] = static_cast<double>(core_.pending_max());
  }
  if (alloc > 0) m["nodes.cpu_utilization"] = busy / alloc;
  if (!config.unlimited_capacity) export_node_metrics(end, m);
}

}  // namespace kt::models
