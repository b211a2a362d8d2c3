// observe_workloads: which exported series belong to which workload, and what they say about
// it on one grid of intervals (scenarios/prometheus_export.hpp has the rules).

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/prometheus_export.hpp"
#include "scenarios/prometheus_samples.hpp"

namespace kt::scenario {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const std::string* label(const PromSeries& s, const std::string& key) {
  const auto it = s.labels.find(key);
  return it == s.labels.end() ? nullptr : &it->second;
}

enum class SeriesKind { rate, bucket, replicas };

// kube-state-metrics' replica gauges that count pods, best first: ready replicas are what the
// twin counts; available ones are ready for minReadySeconds; status.replicas also counts pods
// not ready yet. 0: not one of them (_unavailable, _updated count something else).
int replicas_preference(const std::string& name) {
  if (name == "kube_deployment_status_replicas_ready") return 3;
  if (name == "kube_deployment_status_replicas_available") return 2;
  if (name == "kube_deployment_status_replicas") return 1;
  return 0;
}

SeriesKind kind_of(const PromSeries& s) {
  const std::string* name = label(s, "__name__");
  if (label(s, "le")) return SeriesKind::bucket;
  if (name && replicas_preference(*name) > 0) return SeriesKind::replicas;
  return SeriesKind::rate;
}

bool is_raw_counter(const PromSeries& s, const char* suffix) {
  const std::string* name = label(s, "__name__");
  return name && ends_with(*name, suffix);
}

// A raw counter's increase per sample (a drop is a counter reset: the new value is the
// increase since it), or per second when `per_second`.
std::vector<double> differenced(const PromSeries& s, bool per_second, std::vector<double>& times) {
  std::vector<double> out;
  times.clear();
  for (std::size_t i = 1; i < s.values.size(); ++i) {
    const double d = s.values[i] >= s.values[i - 1] ? s.values[i] - s.values[i - 1] : s.values[i];
    out.push_back(per_second ? d / (s.times[i] - s.times[i - 1]) : d);
    times.push_back(s.times[i]);
  }
  return out;
}

// The series' values on `grid` (NaN where it has no sample at that time).
std::vector<double> on_grid(const std::vector<double>& times, const std::vector<double>& values,
                            const std::vector<double>& grid) {
  std::vector<double> out(grid.size(), std::nan(""));
  std::size_t j = 0;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    while (j < times.size() && times[j] < grid[i] - 1e-6)
      ++j;
    if (j < times.size() && std::abs(times[j] - grid[i]) <= 1e-6) out[i] = values[j];
  }
  return out;
}

std::string label_list(const std::vector<PromSeries>& series) {
  std::set<std::string> seen;
  for (const PromSeries& s : series) {
    seen.insert(s.describe());
    if (seen.size() >= 6) break;
  }
  std::string out;
  for (const std::string& d : seen)
    out += (out.empty() ? "" : ", ") + d;
  return out.empty() ? "none" : out;
}

}  // namespace

bool observe_workloads(const Scenario& sc, const std::vector<PromSeries>& series,
                       const ObservationOptions& options, std::vector<WorkloadObservation>& out,
                       Diagnostics& diags) {
  const std::size_t errors = diags.error_count();
  const SourcePos scenario_pos{sc.file, 1, 1};
  for (const Workload& w : sc.workloads) {
    if (w.target.kind != "Service") continue;
    const ManifestObject* svc = find_object(sc.objects, "Service", w.target.name);
    const std::string ns = svc ? svc->name_space : "default";
    const auto belongs = [&](const PromSeries& s) {
      const std::string* m = label(s, options.match_label);
      const std::string* n = label(s, "namespace");
      return m && *m == w.target.name && (!n || *n == ns);
    };
    std::vector<const PromSeries*> rates, buckets;
    for (const PromSeries& s : series) {
      const SeriesKind k = kind_of(s);
      if (k == SeriesKind::rate && belongs(s)) rates.push_back(&s);
      if (k == SeriesKind::bucket && belongs(s)) buckets.push_back(&s);
    }
    WorkloadObservation obs;
    obs.workload = w.name;
    if (rates.empty()) {
      diags.error(w.pos.line > 0 ? w.pos : scenario_pos,
                  "no request-rate series for workload " + w.name + " (" + options.match_label +
                      "=\"" + w.target.name + "\", namespace \"" + ns + "\") in the exports",
                  "series seen: " + label_list(series) +
                      "; --match LABEL names the label that holds the Service's name");
      continue;
    }
    if (rates.size() > 1) {
      diags.error(rates[1]->pos,
                  "two request-rate series for workload " + w.name + ": " + rates[0]->describe() +
                      " and " + rates[1]->describe(),
                  "sum them in the query: sum by (namespace, service) (rate(...))");
      continue;
    }
    const PromSeries& r = *rates[0];
    obs.rate_series = r.describe();
    if (is_raw_counter(r, "_total")) {
      obs.rate = differenced(r, true, obs.times);
    } else {
      obs.times = r.times;
      obs.rate = r.values;
    }
    if (obs.times.size() < 2) {
      diags.error(r.pos, "series " + r.describe() + " has fewer than two intervals");
      continue;
    }
    // The step: the most common gap between samples.
    std::map<long long, int> gaps;
    for (std::size_t i = 1; i < obs.times.size(); ++i)
      ++gaps[std::llround(obs.times[i] - obs.times[i - 1])];
    obs.step_s =
        static_cast<double>(std::max_element(gaps.begin(), gaps.end(), [](auto& a, auto& b) {
                              return a.second < b.second;
                            })->first);

    // Buckets: one series per le, sorted by bound, +Inf last.
    std::vector<std::pair<double, const PromSeries*>> by_bound;
    bool ok = true;
    for (const PromSeries* b : buckets) {
      double bound = 0;
      if (!parse_sample(*label(*b, "le"), bound) || std::isnan(bound) || bound <= 0) {
        diags.error(b->pos, "series " + b->describe() + ": le=\"" + *label(*b, "le") +
                                "\" is not a bucket bound (seconds > 0, or +Inf)");
        ok = false;
        continue;
      }
      for (const auto& [other, s] : by_bound) {
        if (other == bound) {
          diags.error(b->pos,
                      "two bucket series with le=\"" + *label(*b, "le") + "\" for workload " +
                          w.name + ": " + s->describe() + " and " + b->describe(),
                      "sum them in the query: sum by (namespace, service, le) (...)");
          ok = false;
        }
      }
      by_bound.emplace_back(bound, b);
    }
    if (!ok) continue;
    std::sort(by_bound.begin(), by_bound.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (!by_bound.empty() && !std::isinf(by_bound.back().first)) {
      diags.error(by_bound.back().second->pos,
                  "the latency buckets of workload " + w.name + " have no le=\"+Inf\" series",
                  "the +Inf bucket counts every request; keep it in the export");
      continue;
    }
    if (!by_bound.empty()) {
      std::vector<std::vector<double>> columns;
      for (const auto& [bound, s] : by_bound) {
        if (!std::isinf(bound)) obs.bounds.push_back(bound);
        std::vector<double> t = s->times;
        const std::vector<double> v =
            is_raw_counter(*s, "_bucket") ? differenced(*s, false, t) : s->values;
        columns.push_back(on_grid(t, v, obs.times));
      }
      obs.latency_series = by_bound.front().second->describe() + " and " +
                           std::to_string(by_bound.size() - 1) + " more le";
      obs.buckets.assign(obs.times.size(), {});
      for (std::size_t i = 0; i < obs.times.size() && ok; ++i) {
        for (std::size_t k = 0; k < columns.size(); ++k) {
          obs.buckets[i].push_back(columns[k][i]);
          if (k > 0 && columns[k][i] < columns[k - 1][i] - 1e-9) {
            diags.error(by_bound[k].second->pos,
                        "latency buckets of workload " + w.name + " are not cumulative at " +
                            format_sample_time(obs.times[i]) + ": le=\"" +
                            *label(*by_bound[k].second, "le") + "\" counts " +
                            std::to_string(columns[k][i]) + ", less than le=\"" +
                            *label(*by_bound[k - 1].second, "le") + "\"'s " +
                            std::to_string(columns[k - 1][i]),
                        "each le bucket counts every request at or below it");
            ok = false;
            break;
          }
        }
      }
      if (!ok) continue;
    } else {
      diags.warning(w.pos.line > 0 ? w.pos : scenario_pos,
                    "no latency histogram for workload " + w.name +
                        " in the exports: its service time is not fitted and its "
                        "latency is not compared");
    }

    // Replicas of the Deployment that the Service selects.
    std::string deployment;
    if (const auto* spec = svc ? std::get_if<ServiceSpec>(&svc->spec) : nullptr) {
      for (const ManifestObject& d : sc.objects) {
        const auto* dep = std::get_if<DeploymentSpec>(&d.spec);
        if (!dep || d.name_space != ns || !deployment.empty()) continue;
        bool all = !spec->selector.empty();
        for (const auto& [k, v] : spec->selector) {
          const auto it = dep->pod.labels.find(k);
          all = all && it != dep->pod.labels.end() && it->second == v;
        }
        if (all) deployment = d.name;
      }
    }
    int best = 0;
    for (const PromSeries& s : series) {
      const std::string* d = label(s, "deployment");
      const std::string* n = label(s, "namespace");
      if (kind_of(s) != SeriesKind::replicas || !d || *d != deployment || (n && *n != ns)) continue;
      const int preference = replicas_preference(*label(s, "__name__"));
      if (preference <= best) continue;
      best = preference;
      obs.replicas = on_grid(s.times, s.values, obs.times);
      obs.replicas_series = s.describe();
    }
    out.push_back(std::move(obs));
  }
  if (out.empty() && diags.error_count() == errors) {
    diags.error(scenario_pos,
                "the scenario has no workload aimed at a Service, so no series "
                "can be mapped onto it");
  }
  return diags.error_count() == errors;
}

}  // namespace kt::scenario
