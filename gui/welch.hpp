#pragma once
// Is a what-if's change real? Welch's t-test on two sets of replications (unequal variances):
// the difference of the means, its 95 % confidence interval, and whether 0 lies outside it.

#include <vector>

namespace kt::gui {

struct Difference {
  double before = 0, after = 0;  // the means
  double diff = 0;               // after - before
  double ci95 = 0;               // half-width of the difference's 95 % interval
  double df = 0;                 // Welch-Satterthwaite degrees of freedom
  bool significant = false;      // |diff| > ci95 (two-sided, 5 %)
  bool comparable = false;       // both sides have at least two replications
};

// The Student-t critical value is taken at floor(df) degrees of freedom (the integer table of
// engine/replication.hpp), a slightly wider interval than at df itself: conservative.
Difference welch(const std::vector<double>& before, const std::vector<double>& after);

}  // namespace kt::gui
