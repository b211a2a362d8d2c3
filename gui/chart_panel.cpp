#include "gui/chart_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QKeyEvent>
#include <QLabel>
#include <QLineSeries>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <map>

#include "runs/report_html.hpp"

namespace kt::gui {

namespace {

// Qt Charts' view with the keyboard and double-click of a plot: arrow keys pan, + and - zoom,
// a double-click resets (the rubber band zooms in, a right click zooms out).
class PannableChartView : public QChartView {
 public:
  using QChartView::QChartView;

 protected:
  void keyPressEvent(QKeyEvent* event) override {
    switch (event->key()) {
      case Qt::Key_Left:
        chart()->scroll(-20, 0);
        break;
      case Qt::Key_Right:
        chart()->scroll(20, 0);
        break;
      case Qt::Key_Up:
        chart()->scroll(0, 20);
        break;
      case Qt::Key_Down:
        chart()->scroll(0, -20);
        break;
      case Qt::Key_Plus:
        chart()->zoomIn();
        break;
      case Qt::Key_Minus:
        chart()->zoomOut();
        break;
      default:
        QChartView::keyPressEvent(event);
        return;
    }
  }
  void mouseDoubleClickEvent(QMouseEvent*) override { chart()->zoomReset(); }
};

// The unit a column is in, for the axis title.
QString unit_of(const std::string& column) {
  const auto ends = [&](const char* s) {
    const std::string t(s);
    return column.size() >= t.size() && column.compare(column.size() - t.size(), t.size(), t) == 0;
  };
  if (ends("_ms")) return "ms";
  if (ends("_s")) return "s";
  if (ends("usd_per_hour")) return "USD/h";
  if (ends(".uplink_up")) return "1 = up";
  return "count";
}

// Mean over a policy's replications of `column` at each sample time.
std::vector<std::pair<double, double>> mean_line(const runs::RunResults& results,
                                                 const std::string& policy,
                                                 const std::string& column) {
  std::map<double, std::pair<double, int>> sums;
  for (const runs::RunRecord& run : results.runs) {
    if (run.policy != policy) continue;
    const models::TimeSeries& s = run.series;
    const auto it = std::find(s.columns.begin(), s.columns.end(), column);
    if (it == s.columns.end()) continue;
    const auto c = static_cast<std::size_t>(it - s.columns.begin());
    for (std::size_t row = 0; row < s.rows(); ++row) {
      auto& [sum, n] = sums[s.values[row * s.columns.size()]];
      sum += s.values[row * s.columns.size() + c];
      ++n;
    }
  }
  std::vector<std::pair<double, double>> out;
  for (const auto& [t, sn] : sums)
    out.emplace_back(t, sn.first / sn.second);
  return out;
}

}  // namespace

ChartPanel::ChartPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  picker_ = new QComboBox(this);
  view_ = new PannableChartView(new QChart(), this);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setRubberBand(QChartView::RectangleRubberBand);
  view_->setFocusPolicy(Qt::StrongFocus);
  layout->addWidget(picker_);
  layout->addWidget(view_, 1);
  auto* hint = new QLabel(
      "drag to zoom in, right-click to zoom out, arrow keys to pan, double-click to reset", this);
  hint->setEnabled(false);
  layout->addWidget(hint);
  connect(picker_, &QComboBox::currentTextChanged, this,
          [this](const QString& text) { show_column(text.toStdString()); });
}

void ChartPanel::show_results(const runs::RunResults& results) {
  results_ = results;
  columns_.clear();
  for (const runs::RunRecord& run : results.runs) {
    for (std::size_t i = 1; i < run.series.columns.size(); ++i) {
      if (std::find(columns_.begin(), columns_.end(), run.series.columns[i]) == columns_.end())
        columns_.push_back(run.series.columns[i]);
    }
  }
  const QSignalBlocker block(picker_);
  picker_->clear();
  for (const std::string& c : columns_)
    picker_->addItem(QString::fromStdString(c));
  // Latency first when there is one: the question most what-ifs ask.
  std::string first = columns_.empty() ? "" : columns_.front();
  for (const std::string& c : columns_) {
    if (c.find("latency_p99_ms") != std::string::npos) {
      first = c;
      break;
    }
  }
  picker_->setCurrentText(QString::fromStdString(first));
  show_column(first);
}

void ChartPanel::show_column(const std::string& column) {
  column_ = column;
  auto* chart = new QChart();
  chart->setTitle(QString::fromStdString(column));
  auto* x = new QValueAxis();
  auto* y = new QValueAxis();
  double x_max = 0;
  for (const std::string& policy : results_.policies) {
    for (const auto& [t, v] : mean_line(results_, policy, column))
      x_max = std::max(x_max, t);
  }
  const double x_div = x_max >= 3 * 3600 ? 3600 : x_max >= 180 ? 60 : 1;
  x_div_ = x_div;
  x->setTitleText(x_div == 3600 ? "simulated time (h)"
                  : x_div == 60 ? "simulated time (min)"
                                : "simulated time (s)");
  y->setTitleText(QString::fromStdString(column) + " (" + unit_of(column) + ")");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  double y_max = 0;
  for (const std::string& policy : results_.policies) {
    auto* series = new QLineSeries();
    series->setName(QString::fromStdString(policy));
    for (const auto& [t, v] : mean_line(results_, policy, column)) {
      series->append(t / x_div, v);
      y_max = std::max(y_max, v);
    }
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    connect(series, &QLineSeries::hovered, this, [series, x_div](const QPointF& p, bool on) {
      if (on) {
        QToolTip::showText(QCursor::pos(), QString("%1: %2 at %3")
                                                   .arg(series->name())
                                                   .arg(p.y(), 0, 'g', 4)
                                                   .arg(p.x() * x_div, 0, 'f', 0) +
                                               " s");
      }
    });
  }
  x->setRange(0, std::max(x_max / x_div, 1e-9));
  y->setRange(0, y_max > 0 ? y_max * 1.05 : 1);
  x->applyNiceNumbers();
  y->applyNiceNumbers();
  x->setLabelFormat("%g");
  y->setLabelFormat("%g");
  if (palette().color(QPalette::Base).lightness() < 128) chart->setTheme(QChart::ChartThemeDark);
  chart->legend()->setAlignment(Qt::AlignBottom);
  QChart* old = view_->chart();
  view_->setChart(chart);
  delete old;
}

std::string ChartPanel::svg() const {
  return runs::timeseries_chart_svg(results_, column_);
}

std::vector<std::pair<double, double>> ChartPanel::points(const std::string& policy) const {
  std::vector<std::pair<double, double>> out;
  for (QAbstractSeries* s : view_->chart()->series()) {
    auto* line = qobject_cast<QLineSeries*>(s);
    if (!line || line->name().toStdString() != policy) continue;
    for (const QPointF& p : line->points())
      out.emplace_back(p.x() * x_div_, p.y());
  }
  return out;
}

}  // namespace kt::gui
