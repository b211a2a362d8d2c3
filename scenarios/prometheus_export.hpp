#pragma once
// Prometheus exports: the JSON that the HTTP API's /api/v1/query_range answers (a matrix:
// series, each with its labels and [unix time, "value"] pairs), read and mapped onto a
// scenario's workloads for `kubetwin calibrate` and `kubetwin backtest`.
//
// What a series is, from its labels (the query that made it is not in the answer):
//   - an `le` label: a latency histogram bucket, counts per step (`increase(X_bucket[STEP])`),
//     or a raw cumulative counter when its __name__ ends in _bucket (differenced here);
//   - __name__ kube_deployment_status_replicas_ready, _available or kube_deployment_status_
//     replicas (kube-state-metrics; the first of them there is, in that order): replicas of
//     the Deployment in its `deployment` label;
//   - anything else: requests per second (`rate(X_requests_total[STEP])`), or a raw counter
//     when its __name__ ends in _total (differenced here).
// A series belongs to a workload when its match label (default `service`) names the
// workload's Service and its `namespace` label, if any, is the Service's namespace.

#include <map>
#include <string>
#include <vector>

#include "scenarios/diagnostics.hpp"
#include "scenarios/scenario.hpp"

namespace kt::scenario {

struct PromSeries {
  std::map<std::string, std::string> labels;
  std::vector<double> times;     // unix seconds, increasing
  std::vector<double> values;    // finite
  SourcePos pos;                 // where the series starts in its file
  std::string describe() const;  // {service="checkout", le="0.5"}
};

// Reads one export file; problems (not a query_range answer, values that are not numbers,
// NaN or infinite values, times that do not increase) are errors at their file:line:col.
bool read_prometheus_export(const std::string& path, std::vector<PromSeries>& out,
                            Diagnostics& diags);
// The same from text labelled `file` (the fuzz target's way in).
bool read_prometheus_text(const std::string& text, const std::string& file,
                          std::vector<PromSeries>& out, Diagnostics& diags);

// What the exports say about one workload, on one grid of intervals: interval i ends at
// times[i] and lasts step_s. NaN where a series has no sample at that time.
struct WorkloadObservation {
  std::string workload;
  double step_s = 0;
  std::vector<double> times;
  std::vector<double> rate;    // requests per second
  std::vector<double> bounds;  // histogram `le` bounds in seconds, ascending, +Inf excluded
  // Per interval, completions at or below each bound, then in all (+Inf): Prometheus's
  // cumulative buckets.
  std::vector<std::vector<double>> buckets;
  std::vector<double> replicas;  // empty when no replicas series matched
  std::string rate_series, latency_series, replicas_series;  // which series, for reports
  double window_start() const { return times.empty() ? 0 : times.front() - step_s; }
};

struct ObservationOptions {
  std::string match_label = "service";
};

// Maps the series onto each workload of `sc` whose target is a Service (or names one in
// `only`). A workload without a request-rate series is an error (naming the labels that were
// there); one without a histogram or replicas is allowed (those fits or comparisons are then
// left out, and a warning says so). Buckets that are not cumulative, or whose le is not a
// number, are errors naming the series and the time.
bool observe_workloads(const Scenario& sc, const std::vector<PromSeries>& series,
                       const ObservationOptions& options, std::vector<WorkloadObservation>& out,
                       Diagnostics& diags);

}  // namespace kt::scenario
