#pragma once
// What `kubetwin backtest` writes: report.md and report.html (observed against predicted,
// with the twin's band, per workload and metric), backtest.json and backtest.csv (every
// interval), and the terminal's table.

#include <string>

#include "runs/backtest.hpp"

namespace kt::runs {

std::string backtest_markdown(const Backtest& bt, double min_coverage);
std::string backtest_html(const Backtest& bt, double min_coverage);
std::string backtest_json(const Backtest& bt, double min_coverage);
std::string backtest_csv(const Backtest& bt);
std::string backtest_table(const Backtest& bt);

}  // namespace kt::runs
