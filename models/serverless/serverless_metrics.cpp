// What the serverless model reports (ServerlessController): cold starts, idle memory and the
// FaaS bill per workload, per trace population and globally; its time-series columns.

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"
#include "models/serverless/serverless_controller.hpp"

namespace kt::models {

namespace {

// The 75th percentile of the functions' cold-start ratios, each function counted once
// whatever its traffic: Shahrad et al.'s "3rd quartile app cold start %" (USENIX ATC 2020,
// section 4), the figure their keep-alive comparison reports. Interpolated between order
// statistics (R's default, type 7). Empty: no function had an invocation.
double third_quartile(std::vector<double> ratios) {
  std::sort(ratios.begin(), ratios.end());
  const double at = 0.75 * static_cast<double>(ratios.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, ratios.size() - 1);
  return ratios[below] + (at - static_cast<double>(below)) * (ratios[above] - ratios[below]);
}

}  // namespace

void ServerlessController::restart_statistics(SimTime at) {
  (void)at;
  std::fill(cold_.begin(), cold_.end(), 0);
  for (Revision& rev : revisions_) {
    rev.idle_pod_ns = 0;
    rev.idle_changed = at;
  }
}

void ServerlessController::export_metrics(SimTime end, MetricMap& out) {
  if (revisions_.empty()) return;
  const FleetConfig& config = core_.config();
  const serverless::ServerlessPricing& price = config.serverless_pricing;
  const double measured_s = to_seconds(end - config.warmup);
  // Per revision: the memory its idle pods held, and what its provisioned pods and requests
  // would be billed by a FaaS provider.
  std::vector<double> idle(revisions_.size(), 0);
  std::vector<double> provisioned_usd(revisions_.size(), 0);
  double idle_total = 0;
  double cost_total = 0;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    Revision& rev = revisions_[i];
    if (on_demand(rev) && end > rev.idle_changed) {  // the idle instances up to the end
      rev.idle_pod_ns +=
          static_cast<double>(rev.idle_pods) * static_cast<double>(end - rev.idle_changed);
      rev.idle_changed = end;
    }
    const double gb = rev.cfg->memory_gb;
    idle[i] = rev.idle_pod_ns * 1e-9 * gb;
    const double gb_s = core_.deployment(rev.deployment).ready_tw.mean(end) * measured_s * gb;
    provisioned_usd[i] = gb_s * price.usd_per_gb_s;
    idle_total += idle[i];
    cost_total += provisioned_usd[i];
  }
  // Without node pools nothing else is paid for: the FaaS bill is the run's total cost. With
  // nodes the pods run on capacity whose price cost.compute_usd already counts.
  const bool bill_is_total = config.unlimited_capacity;
  double cold = 0;
  double arrivals = 0;
  // A report group's members (a trace population) add up under the group's name.
  struct Sums {
    double cold = 0, arrivals = 0, idle = 0, usd = 0;
    bool any = false;
    std::vector<double> ratios;  // each member's cold-start ratio
  };
  std::vector<double> ratios;  // every serverless workload's and population member's
  std::vector<Sums> groups(config.groups.size());
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    const std::uint32_t i = revision_index_[config.workloads[w].deployment];
    if (i == kNotOurs) continue;
    const double n = static_cast<double>(core_.workload_stats(w).arrivals);
    const double requests_usd = n / 1e6 * price.usd_per_million_requests;
    cost_total += requests_usd;
    cold += static_cast<double>(cold_[w]);
    arrivals += n;
    const double ratio = n > 0 ? static_cast<double>(cold_[w]) / n : -1;
    if (n > 0) ratios.push_back(ratio);
    if (const std::int32_t g = config.workloads[w].group; g >= 0) {
      Sums& sum = groups[static_cast<std::size_t>(g)];
      sum.cold += static_cast<double>(cold_[w]);
      sum.arrivals += n;
      sum.idle += idle[i];
      sum.usd += provisioned_usd[i] + requests_usd;
      sum.any = true;
      if (n > 0) sum.ratios.push_back(ratio);
      continue;
    }
    const std::string prefix = "workloads." + config.workloads[w].name + ".";
    out[prefix + "coldstarts.count"] = static_cast<double>(cold_[w]);
    if (n > 0) {
      out[prefix + "coldstarts.ratio"] = ratio;
      out[prefix + "coldstarts.function_ratio.p75"] = ratio;
    }
    // A revision several workloads share reports its memory and pods under each of them.
    out[prefix + "serverless.idle_gb_s"] = idle[i];
    out[prefix + "cost.serverless_usd"] = provisioned_usd[i] + requests_usd;
    if (bill_is_total) out[prefix + "cost.total_usd"] = provisioned_usd[i] + requests_usd;
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!groups[g].any) continue;
    const std::string prefix = "workloads." + config.groups[g] + ".";
    out[prefix + "coldstarts.count"] = groups[g].cold;
    if (groups[g].arrivals > 0)
      out[prefix + "coldstarts.ratio"] = groups[g].cold / groups[g].arrivals;
    if (!groups[g].ratios.empty())
      out[prefix + "coldstarts.function_ratio.p75"] = third_quartile(std::move(groups[g].ratios));
    out[prefix + "serverless.idle_gb_s"] = groups[g].idle;
    out[prefix + "cost.serverless_usd"] = groups[g].usd;
    if (bill_is_total) out[prefix + "cost.total_usd"] = groups[g].usd;
  }
  out["coldstarts.count"] = cold;
  if (arrivals > 0) out["coldstarts.ratio"] = cold / arrivals;
  if (!ratios.empty()) out["coldstarts.function_ratio.p75"] = third_quartile(std::move(ratios));
  out["serverless.idle_gb_s"] = idle_total;
  out["cost.serverless_usd"] = cost_total;
  if (bill_is_total) out["cost.total_usd"] = cost_total;
}

// Per workload of a revision: requests the activator holds, the count the autoscaler wants,
// whether the KPA is in panic mode.
void ServerlessController::series_columns(std::vector<std::string>& columns) const {
  const FleetConfig& config = core_.config();
  for (const FleetWorkload& w : config.workloads) {
    if (revision_index_[w.deployment] == kNotOurs || w.group >= 0) continue;
    for (const char* c : {".activator_held", ".kpa_desired", ".kpa_panic"})
      columns.push_back(w.name + c);
  }
  // A report group: summed over its members (kpa_panic: how many are panicking).
  for (std::size_t g = 0; g < config.groups.size(); ++g) {
    if (!group_has_revision(static_cast<std::int32_t>(g))) continue;
    for (const char* c : {".activator_held", ".kpa_desired", ".kpa_panic"})
      columns.push_back(config.groups[g] + c);
  }
}

bool ServerlessController::group_has_revision(std::int32_t g) const {
  for (const FleetWorkload& w : core_.config().workloads) {
    if (w.group == g && revision_index_[w.deployment] != kNotOurs) return true;
  }
  return false;
}

void ServerlessController::series_values(std::vector<double>& row) const {
  const FleetConfig& config = core_.config();
  std::vector<double> sums(config.groups.size() * 3, 0.0);
  for (const FleetWorkload& w : config.workloads) {
    if (revision_index_[w.deployment] == kNotOurs) continue;
    const Revision& rev = revisions_[revision_index_[w.deployment]];
    const double held = static_cast<double>(rev.held.size());
    const double want = rev.want;
    const double panic = rev.decider && rev.decider->panicking() ? 1 : 0;
    if (w.group >= 0) {
      double* s = &sums[static_cast<std::size_t>(w.group) * 3];
      s[0] += held;
      s[1] += want;
      s[2] += panic;
      continue;
    }
    row.push_back(held);
    row.push_back(want);
    row.push_back(panic);
  }
  for (std::size_t g = 0; g < config.groups.size(); ++g) {
    if (!group_has_revision(static_cast<std::int32_t>(g))) continue;
    for (int k = 0; k < 3; ++k)
      row.push_back(sums[g * 3 + static_cast<std::size_t>(k)]);
  }
}

}  // namespace kt::models
