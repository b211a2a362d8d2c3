#pragma once
// The comparison table: SLO verdicts and the headline metrics first, then one collapsible
// group per scope (workload, region, edge site, QPU, tenant); cells mean ± 95 % CI over
// replications, the best policy of a row in bold green where lower or higher is better,
// SLO verdicts green or red.

#include <QTreeWidget>

#include "runs/run_results.hpp"

namespace kt::gui {

class ResultsView : public QTreeWidget {
  Q_OBJECT

 public:
  explicit ResultsView(QWidget* parent = nullptr);
  void show_results(const runs::RunResults& results);
  // The table as CSV: metric, then mean and ci95 per policy.
  QString csv() const;
  // The mean shown for KEY under POLICY (NaN when absent), for tests.
  double mean_of(const std::string& key, const std::string& policy) const;

 private:
  const runs::RunResults* results_ = nullptr;
  runs::RunResults copy_;
};

}  // namespace kt::gui
