#include "gui/welch.hpp"

#include <algorithm>
#include <cmath>

#include "engine/replication.hpp"

namespace kt::gui {

Difference welch(const std::vector<double>& before, const std::vector<double>& after) {
  Difference d;
  const ReplicationSummary a = summarize(before);
  const ReplicationSummary b = summarize(after);
  d.before = a.mean;
  d.after = b.mean;
  d.diff = b.mean - a.mean;
  if (a.n < 2 || b.n < 2) return d;
  d.comparable = true;
  const double va = a.stddev * a.stddev / static_cast<double>(a.n);
  const double vb = b.stddev * b.stddev / static_cast<double>(b.n);
  const double se = std::sqrt(va + vb);
  if (se == 0) {  // no spread on either side: any difference is exact
    d.significant = d.diff != 0;
    return d;
  }
  d.df = (va + vb) * (va + vb) /
         (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  const auto df = static_cast<std::size_t>(std::max(1.0, std::floor(d.df)));
  d.ci95 = student_t_critical(0.95, df) * se;
  d.significant = std::abs(d.diff) > d.ci95;
  return d;
}

}  // namespace kt::gui
