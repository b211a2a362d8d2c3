#pragma once
// Human-facing views of the results: the terminal table, its Markdown twin, and the CSV time
// series.

#include <string>

#include "runs/run_results.hpp"

namespace kt::runs {

// Rows: metrics (global first, then per workload, in SPEC order); columns: policies;
// cells: mean ± 95 % CI over replications, the best mean of a row marked with '*' (where
// lower or higher is clearly better). SLO verdicts below. `colour` adds ANSI colours.
std::string text_table(const RunResults& results, bool colour = false);
std::string markdown_table(const RunResults& results);

// policy,replication,time_s,<workload>.replicas,... one row per sample of each run.
std::string timeseries_csv(const RunResults& results);

}  // namespace kt::runs
