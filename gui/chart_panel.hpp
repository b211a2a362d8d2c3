#pragma once
// Time-series charts (Qt Charts): one column of timeseries.csv at a time (latency
// percentiles, replicas, cold starts, cost, uplinks, QPU queues, ...), one line per policy,
// the mean over its replications at each sample. Rubber-band zoom, arrow keys pan, a
// double-click resets; hovering a line shows its policy and value.

#include <QWidget>

#include <string>
#include <vector>

#include "runs/run_results.hpp"

class QChartView;
class QComboBox;

namespace kt::gui {

class ChartPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ChartPanel(QWidget* parent = nullptr);
  void show_results(const runs::RunResults& results);
  void show_column(const std::string& column);
  std::vector<std::string> columns() const { return columns_; }
  // The points of a policy's line as drawn (x in seconds), for tests.
  std::vector<std::pair<double, double>> points(const std::string& policy) const;
  QChartView* view() const { return view_; }
  // The chart as SVG: report.html's chart of the same column (Qt SVG is not a dependency).
  std::string svg() const;

 private:
  QComboBox* picker_ = nullptr;
  QChartView* view_ = nullptr;
  runs::RunResults results_;
  std::vector<std::string> columns_;
  std::string column_;
  double x_div_ = 1;  // seconds per unit of the x axis
};

}  // namespace kt::gui
