#include "gui/history_panel.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <set>

namespace kt::gui {

namespace {

std::vector<double> values_of(const runs::RunResults& r, const std::string& policy,
                              const std::string& key) {
  std::vector<double> out;
  for (const runs::RunRecord& run : r.runs) {
    if (run.policy != policy) continue;
    const auto it = run.metrics.find(key);
    if (it != run.metrics.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace

std::vector<MetricDifference> compare_runs(const runs::RunResults& a, const runs::RunResults& b,
                                           const std::string& policy) {
  std::set<std::string> keys;
  for (const runs::RunRecord& run : a.runs)
    if (run.policy == policy)
      for (const auto& [key, v] : run.metrics)
        keys.insert(key);
  std::vector<MetricDifference> out;
  for (const std::string& key : keys) {
    const std::vector<double> before = values_of(a, policy, key);
    const std::vector<double> after = values_of(b, policy, key);
    if (before.empty() || after.empty()) continue;
    out.push_back({key, welch(before, after)});
  }
  return out;
}

HistoryPanel::HistoryPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* pick = new QHBoxLayout();
  a_ = new QComboBox(this);
  b_ = new QComboBox(this);
  policy_ = new QComboBox(this);
  pick->addWidget(new QLabel("compare", this));
  pick->addWidget(a_, 1);
  pick->addWidget(new QLabel("with", this));
  pick->addWidget(b_, 1);
  pick->addWidget(new QLabel("policy", this));
  pick->addWidget(policy_);
  layout->addLayout(pick);
  table_ = new QTableWidget(0, 5, this);
  table_->setHorizontalHeaderLabels({"metric", "A", "B", "B - A (95 % CI)", "significant"});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  layout->addWidget(table_, 1);
  const auto update = [this] {
    compare(a_->currentIndex(), b_->currentIndex(), policy_->currentText().toStdString());
  };
  connect(a_, &QComboBox::currentIndexChanged, this, update);
  connect(b_, &QComboBox::currentIndexChanged, this, update);
  connect(policy_, &QComboBox::currentTextChanged, this, update);
}

void HistoryPanel::add(HistoryEntry entry) {
  entries_.push_back(std::move(entry));
  refresh();
}

void HistoryPanel::refresh() {
  const QSignalBlocker ba(a_), bb(b_), bp(policy_);
  a_->clear();
  b_->clear();
  for (const HistoryEntry& e : entries_) {
    a_->addItem(QString::fromStdString(e.label));
    b_->addItem(QString::fromStdString(e.label));
  }
  const int n = static_cast<int>(entries_.size());
  a_->setCurrentIndex(std::max(0, n - 2));
  b_->setCurrentIndex(n - 1);
  policy_->clear();
  if (!entries_.empty()) {
    for (const std::string& p : entries_.back().results.policies)
      policy_->addItem(QString::fromStdString(p));
  }
  compare(a_->currentIndex(), b_->currentIndex(), policy_->currentText().toStdString());
}

void HistoryPanel::compare(int a, int b, const std::string& policy) {
  table_->setRowCount(0);
  if (a < 0 || b < 0 || a >= static_cast<int>(entries_.size()) ||
      b >= static_cast<int>(entries_.size())) {
    return;
  }
  const std::vector<MetricDifference> diffs =
      compare_runs(entries_[static_cast<std::size_t>(a)].results,
                   entries_[static_cast<std::size_t>(b)].results, policy);
  table_->setRowCount(static_cast<int>(diffs.size()));
  for (int row = 0; row < static_cast<int>(diffs.size()); ++row) {
    const MetricDifference& m = diffs[static_cast<std::size_t>(row)];
    const auto item = [](const QString& text) { return new QTableWidgetItem(text); };
    table_->setItem(row, 0, item(QString::fromStdString(m.key)));
    table_->setItem(row, 1, item(QString::number(m.d.before, 'g', 5)));
    table_->setItem(row, 2, item(QString::number(m.d.after, 'g', 5)));
    table_->setItem(
        row, 3,
        item(m.d.comparable ? QString("%1 ± %2").arg(m.d.diff, 0, 'g', 4).arg(m.d.ci95, 0, 'g', 3)
                            : QString("%1 (one replication)").arg(m.d.diff, 0, 'g', 4)));
    auto* verdict = item(!m.d.comparable ? "n/a" : m.d.significant ? "yes" : "no");
    if (m.d.significant) {
      QFont bold = verdict->font();
      bold.setBold(true);
      verdict->setFont(bold);
    }
    table_->setItem(row, 4, verdict);
  }
}

}  // namespace kt::gui
