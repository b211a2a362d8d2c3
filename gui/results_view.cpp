#include "gui/results_view.hpp"

#include <QBrush>
#include <QFont>
#include <QHeaderView>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "runs/result_tables.hpp"
#include "scenarios/scenario.hpp"

namespace kt::gui {

namespace {

QString cell(const ReplicationSummary& s) {
  char text[64];
  // Five significant digits up to 10^5 (14450, not 1.445e+04), like the CLI's table.
  const char* format = std::abs(s.mean) >= 1e5 ? "%.4g" : "%.5g";
  if (s.n > 1) {
    std::snprintf(text, sizeof text, (std::string(format) + " ± %.3g").c_str(), s.mean, s.ci95);
  } else {
    std::snprintf(text, sizeof text, format, s.mean);
  }
  return QString::fromUtf8(text);
}

// Global keys in SPEC order first, then each scope's in SPEC order, then anything else.
std::vector<std::string> ordered_keys(const runs::RunResults& results) {
  std::set<std::string> present;
  for (const auto& [policy, summary] : results.summary)
    for (const auto& [key, s] : summary)
      present.insert(key);
  const std::vector<std::string>& spec = scenario::metric_keys();
  const auto rank = [&](const std::string& key) {
    const std::string scope = runs::metric_scope(key);
    const std::string metric = scope.empty() ? key : key.substr(scope.size() + 1);
    const auto at = std::find(spec.begin(), spec.end(), metric);
    return std::make_tuple(!scope.empty(), scope, at - spec.begin(), metric);
  };
  std::vector<std::string> out(present.begin(), present.end());
  std::stable_sort(out.begin(), out.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  return out;
}

// Green and red that read on the palette's background (darker on light, lighter on dark).
QColor good(const QWidget* w) {
  return w->palette().color(QPalette::Base).lightness() < 128 ? QColor(110, 220, 110)
                                                              : QColor(0, 120, 0);
}
QColor bad(const QWidget* w) {
  return w->palette().color(QPalette::Base).lightness() < 128 ? QColor(255, 120, 120)
                                                              : QColor(190, 0, 0);
}

}  // namespace

ResultsView::ResultsView(QWidget* parent) : QTreeWidget(parent) {
  setAlternatingRowColors(true);
  setUniformRowHeights(true);
  header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  header()->setStretchLastSection(false);
}

void ResultsView::show_results(const runs::RunResults& results) {
  copy_ = results;
  results_ = &copy_;
  clear();
  QStringList headers{"metric"};
  for (const std::string& p : results.policies)
    headers << QString::fromStdString(p);
  setHeaderLabels(headers);

  auto* slos = new QTreeWidgetItem(this, QStringList{"SLOs"});
  for (const runs::SloVerdict& v : results.slos) {
    const int column =
        1 + static_cast<int>(std::find(results.policies.begin(), results.policies.end(), v.policy) -
                             results.policies.begin());
    QTreeWidgetItem* row = nullptr;
    const QString name = QString::fromStdString(v.metric) +
                         (v.max ? QString(" <= %1").arg(*v.max, 0, 'g', 6)
                                : QString(" >= %1").arg(v.min.value_or(0), 0, 'g', 6));
    for (int i = 0; i < slos->childCount(); ++i)
      if (slos->child(i)->text(0) == name) row = slos->child(i);
    if (!row) row = new QTreeWidgetItem(slos, QStringList{name});
    row->setText(column,
                 v.value ? QString("%1 (%2)").arg(v.pass ? "pass" : "FAIL").arg(*v.value, 0, 'g', 6)
                         : QString("not measured"));
    row->setForeground(column, QBrush(v.pass ? good(this) : bad(this)));
  }
  // Keys in the order the first policy has them (SPEC order by the run library's map), split
  // into the headline (global) group and one group per scope.
  std::map<std::string, QTreeWidgetItem*> groups;
  auto* headline = new QTreeWidgetItem(this, QStringList{"headline"});
  for (const std::string& key : ordered_keys(results)) {
    const std::string scope = runs::metric_scope(key);
    QTreeWidgetItem* parent = headline;
    if (!scope.empty()) {
      auto& g = groups[scope];
      if (!g) g = new QTreeWidgetItem(this, QStringList{QString::fromStdString(scope)});
      parent = g;
    }
    auto* row = new QTreeWidgetItem(
        parent,
        QStringList{QString::fromStdString(scope.empty() ? key : key.substr(scope.size() + 1))});
    row->setData(0, Qt::UserRole, QString::fromStdString(key));
    const int direction = runs::better_direction(key);
    int best = -1;
    double best_mean = 0;
    bool tie = false;
    for (std::size_t p = 0; p < results.policies.size(); ++p) {
      const auto& summary = results.summary.at(results.policies[p]);
      const auto it = summary.find(key);
      if (it == summary.end()) continue;
      row->setText(static_cast<int>(p) + 1, cell(it->second));
      row->setTextAlignment(static_cast<int>(p) + 1, Qt::AlignRight | Qt::AlignVCenter);
      if (direction == 0) continue;
      if (best >= 0 && it->second.mean == best_mean) tie = true;
      if (best < 0 || direction * (it->second.mean - best_mean) > 0) {
        best = static_cast<int>(p);
        best_mean = it->second.mean;
        tie = false;
      }
    }
    if (best >= 0 && !tie && results.policies.size() > 1) {
      QFont bold = font();
      bold.setBold(true);
      row->setFont(best + 1, bold);
      row->setForeground(best + 1, QBrush(good(this)));
    }
  }
  slos->setExpanded(true);
  headline->setExpanded(true);
  if (results.slos.empty()) delete slos;
}

double ResultsView::mean_of(const std::string& key, const std::string& policy) const {
  if (!results_) return std::nan("");
  const auto p = results_->summary.find(policy);
  if (p == results_->summary.end()) return std::nan("");
  const auto k = p->second.find(key);
  return k == p->second.end() ? std::nan("") : k->second.mean;
}

QString ResultsView::csv() const {
  if (!results_) return {};
  QString out = "metric";
  for (const std::string& p : results_->policies)
    out += QString(",%1.mean,%1.ci95").arg(QString::fromStdString(p));
  out += "\n";
  std::map<std::string, bool> keys;
  for (const auto& [policy, summary] : results_->summary)
    for (const auto& [key, s] : summary)
      keys[key] = true;
  for (const auto& [key, present] : keys) {
    out += QString::fromStdString(key);
    for (const std::string& p : results_->policies) {
      const auto& summary = results_->summary.at(p);
      const auto it = summary.find(key);
      out +=
          it == summary.end()
              ? QString(",,")
              : QString(",%1,%2").arg(it->second.mean, 0, 'g', 10).arg(it->second.ci95, 0, 'g', 10);
    }
    out += "\n";
  }
  return out;
}

}  // namespace kt::gui
