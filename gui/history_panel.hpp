#pragma once
// What-if history: every run of this session is kept; any two can be compared, policy by
// policy, metric by metric: the difference of the means, its 95 % interval and whether it is
// significant (Welch's t-test over the replications, gui/welch.hpp).

#include <QWidget>

#include <memory>
#include <string>
#include <vector>

#include "gui/welch.hpp"
#include "runs/run_results.hpp"

class QComboBox;
class QTableWidget;

namespace kt::gui {

struct HistoryEntry {
  std::string label;  // "#2 quickstart (replicas 3 -> 4)"
  runs::RunResults results;
};

struct MetricDifference {
  std::string key;
  Difference d;
};

// Every metric both runs have for `policy`: its difference, B minus A.
std::vector<MetricDifference> compare_runs(const runs::RunResults& a, const runs::RunResults& b,
                                           const std::string& policy);

class HistoryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit HistoryPanel(QWidget* parent = nullptr);
  void add(HistoryEntry entry);
  const std::vector<HistoryEntry>& entries() const { return entries_; }
  // Shows the comparison of entries a and b (indexes) for `policy`.
  void compare(int a, int b, const std::string& policy);

 private:
  void refresh();
  std::vector<HistoryEntry> entries_;
  QComboBox* a_ = nullptr;
  QComboBox* b_ = nullptr;
  QComboBox* policy_ = nullptr;
  QTableWidget* table_ = nullptr;
};

}  // namespace kt::gui
