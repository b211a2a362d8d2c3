#include "models/cluster/request_flow.hpp"

#include <memory>

#include "engine/simulation.hpp"
#include "models/cluster/service_pool.hpp"
#include "models/workload/arrival_source.hpp"

namespace kt::models {

namespace {

// Samples every Service's state at a fixed interval for timeseries.csv.
class Sampler final : public LogicalProcess {
 public:
  Sampler(SimTime interval, const std::vector<std::unique_ptr<ServicePool>>& pools,
          const std::vector<WorkloadConfig>& workloads, std::vector<RequestStats>& stats,
          TimeSeries& series)
      : interval_(interval), pools_(pools), workloads_(workloads), stats_(stats), series_(series) {}

  void handle(const Event&, Context& ctx) override {
    series_.values.push_back(to_seconds(ctx.now()));
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
      const ServicePool& pool = *pools_[workloads_[w].service];
      series_.values.push_back(pool.replicas());
      series_.values.push_back(static_cast<double>(stats_[w].in_service));
      series_.values.push_back(static_cast<double>(stats_[w].queued));
      series_.values.push_back(static_cast<double>(stats_[w].completed));
      // Latency of the requests completed since the last sample.
      IntervalHistogram& h = stats_[w].interval_latency;
      series_.values.push_back(h.quantile(0.50) * 1e-6);
      series_.values.push_back(h.quantile(0.99) * 1e-6);
      h.clear();
    }
    ctx.schedule_in(ctx.self(), interval_, 0);
  }

 private:
  SimTime interval_;
  const std::vector<std::unique_ptr<ServicePool>>& pools_;
  const std::vector<WorkloadConfig>& workloads_;
  std::vector<RequestStats>& stats_;
  TimeSeries& series_;
};

constexpr GroupId kSourceGroup = 1;

}  // namespace

SimTime effective_sample_interval(SimTime requested, SimTime duration) {
  SimTime interval = requested > 0 ? requested : kMinute;
  const SimTime min_interval = (duration + static_cast<SimTime>(FlowConfig::kMaxRows) - 1) /
                               static_cast<SimTime>(FlowConfig::kMaxRows);
  if (interval < min_interval) {
    interval = (min_interval + kSecond - 1) / kSecond * kSecond;  // round up to whole seconds
  }
  return interval;
}

FlowResult run_request_flow(const FlowConfig& config, std::uint64_t seed, std::uint64_t replication,
                            RunProgress* progress, unsigned threads) {
  FlowResult result;
  // Nothing to simulate: report nothing, since absent keys mean "does not apply".
  if (config.workloads.empty()) return result;
  std::vector<RequestStats> stats(config.workloads.size());
  Simulation sim(seed, replication);

  std::vector<std::unique_ptr<ServicePool>> pools;
  std::vector<LpId> pool_ids;
  for (std::size_t s = 0; s < config.services.size(); ++s) {
    std::vector<ServicePool::RequestClass> classes(config.workloads.size());
    for (std::size_t w = 0; w < config.workloads.size(); ++w) {
      classes[w].stats = &stats[w];
    }
    const ServiceConfig& sc = config.services[s];
    pools.push_back(std::make_unique<ServicePool>(sc.replicas, sc.concurrency, config.warmup,
                                                  config.queue_limit, std::move(classes)));
    pool_ids.push_back(sim.add(*pools.back()));
  }
  // The Services and their sampler form group 0; the sources, which only send to it, and
  // always `lead` ahead, group 1.
  std::vector<ArrivalFeed> feeds;
  for (const WorkloadConfig& wl : config.workloads)
    feeds.push_back({&wl.arrival, pool_ids.at(wl.service), &wl.service_time});
  const auto sources =
      add_arrival_sources(sim, feeds, ServicePool::kArrive, config.duration, kSourceGroup, 0);
  sim.set_threads(threads);
  TimeSeries& series = result.series;
  series.columns.push_back("time_s");
  for (const WorkloadConfig& wl : config.workloads) {
    for (const char* column : {".replicas", ".in_flight", ".queued", ".completed",
                               ".latency_p50_ms", ".latency_p99_ms"}) {
      series.columns.push_back(wl.name + column);
    }
  }
  const SimTime interval = effective_sample_interval(config.sample_interval, config.duration);
  Sampler sampler(interval, pools, config.workloads, stats, series);
  sim.schedule(sim.add(sampler), 0, 0);

  run_with_progress(sim, config.duration, progress);
  result.events = sim.events_handled();

  // Per workload, then global (merged over workloads).
  RequestStats total;
  for (std::size_t w = 0; w < config.workloads.size(); ++w) {
    const RequestStats& s = stats[w];
    const std::string prefix = "workloads." + config.workloads[w].name + ".";
    export_request_stats(s, prefix, result.metrics);
    const double replicas = pools[config.workloads[w].service]->replicas();
    for (const char* key : {"replicas.mean", "replicas.max", "replicas.final"}) {
      result.metrics[prefix + key] = replicas;
    }
    total.merge(s);
  }
  export_request_stats(total, "", result.metrics);
  double replicas = 0;
  for (const auto& pool : pools)
    replicas += pool->replicas();
  for (const char* key : {"replicas.mean", "replicas.max", "replicas.final"}) {
    result.metrics[key] = replicas;
  }
  return result;
}

}  // namespace kt::models
