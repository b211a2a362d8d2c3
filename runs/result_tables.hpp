#pragma once
// Human-facing views of the results: the terminal table, its Markdown twin, and the CSV time
// series.

#include <string>

#include "runs/run_results.hpp"

namespace kt::runs {

// Rows: metrics (global first, then per workload, in SPEC order); columns: policies;
// cells: mean ± 95 % CI over replications, the best mean of a row marked with '*' (where
// lower or higher is clearly better). SLO verdicts below. `colour` adds ANSI colours.
// `all` false: the headline only, the global keys and the SLOs, with a line saying how many
// per-scope rows (per workload, region, site, QPU, tenant) `--all` would add.
std::string text_table(const RunResults& results, bool colour = false, bool all = true);

// Which way is better for a metric: -1 lower, +1 higher, 0 neither (replica counts, totals).
int better_direction(const std::string& key);

// "workloads.web" for "workloads.web.latency.p99_ms"; "" for a global key.
std::string metric_scope(const std::string& key);
std::string markdown_table(const RunResults& results);

// policy,replication,time_s,<workload>.replicas,... one row per sample of each run.
std::string timeseries_csv(const RunResults& results);

}  // namespace kt::runs
