#include "gui/main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

#include <thread>

#include "gui/chart_panel.hpp"
#include "gui/edit_panel.hpp"
#include "gui/history_panel.hpp"
#include "gui/objects_panel.hpp"
#include "gui/results_view.hpp"
#include "gui/run_controller.hpp"
#include "runs/report_html.hpp"
#include "runs/summary_json.hpp"

namespace kt::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("kubetwin");
  setAcceptDrops(true);
  resize(1280, 820);
  tabs_ = new QTabWidget(this);
  results_ = new ResultsView(tabs_);
  charts_ = new ChartPanel(tabs_);
  objects_ = new ObjectsPanel(tabs_);
  history_ = new HistoryPanel(tabs_);
  tabs_->addTab(results_, "Results");
  tabs_->addTab(charts_, "Charts");
  tabs_->addTab(objects_, "Objects");
  tabs_->addTab(history_, "What-if history");
  setCentralWidget(tabs_);
  auto* dock = new QDockWidget("What-if", this);
  edits_ = new EditPanel(dock);
  dock->setWidget(edits_);
  dock->setFeatures(QDockWidget::DockWidgetMovable);
  addDockWidget(Qt::LeftDockWidgetArea, dock);
  resizeDocks({dock}, {340}, Qt::Horizontal);
  controller_ = new RunController(this);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(260);
  status_ = new QLabel("open a scenario: File > Open, or drop one here", this);
  cancel_ = new QPushButton("Cancel", this);
  cancel_->setEnabled(false);
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_);
  connect(cancel_, &QPushButton::clicked, this, &MainWindow::cancel_run);
  connect(controller_, &RunController::progress, this, [this](double f, double eps, double left) {
    progress_->setValue(static_cast<int>(f * 1000));
    status_->setText(QString("running: %1 % simulated, %2 M events/s, %3 s left")
                         .arg(f * 100, 0, 'f', 1)
                         .arg(eps / 1e6, 0, 'f', 2)
                         .arg(left, 0, 'f', 0));
  });
  connect(controller_, &RunController::finished, this, &MainWindow::on_finished);
  connect(controller_, &RunController::partial, this, [this](const runs::RunResults& r) {
    // Draw what has finished so far; the finished run replaces it.
    charts_->show_results(r);
    results_->show_results(r);
  });
  connect(controller_, &RunController::cancelled, this, [this] {
    cancel_->setEnabled(false);
    run_action_->setEnabled(true);
    progress_->setValue(0);
    status_->setText("cancelled; the previous results are kept");
    if (last_) {  // the views drew the cancelled run's first replications: back to the last
      results_->show_results(last_->results);
      charts_->show_results(last_->results);
    }
    emit run_cancelled();
  });
  connect(controller_, &RunController::failed, this, [this](const QString& message) {
    cancel_->setEnabled(false);
    run_action_->setEnabled(true);
    status_->setText("the run failed: " + message);
    emit run_failed(message);
  });
  connect(edits_, &EditPanel::edited, this, [this] {
    objects_->show_session(session_);
    status_->setText(
        QString("%1 edit(s), not saved; Run to see what they change").arg(session_.edits().size()));
  });
  build_menus();
}

MainWindow::~MainWindow() = default;

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open...", QKeySequence::Open, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, "Open scenario", QString(), "Scenarios (*.yaml *.yml)");
    if (!path.isEmpty()) open_scenario(path);
  });
  recent_menu_ = file->addMenu("Open &Recent");
  update_recent({});
  file->addAction("Save &As...", QKeySequence::SaveAs, this, &MainWindow::save_as);
  file->addSeparator();
  file->addAction("Export report.&html...", this, &MainWindow::export_report);
  file->addAction("Export table as &CSV...", this, &MainWindow::export_csv);
  file->addAction("Export chart as &PNG...", this, &MainWindow::export_chart);
  file->addAction("Export chart as S&VG...", this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, "Export chart", "chart.svg", "*.svg");
    QFile out(path);
    const std::string svg = charts_->svg();
    if (!path.isEmpty() && !svg.empty() && out.open(QIODevice::WriteOnly | QIODevice::Truncate))
      out.write(svg.data(), static_cast<qint64>(svg.size()));
  });
  file->addAction("Save what-if &history...", this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Save the what-if history into");
    if (!dir.isEmpty() && !save_history(dir))
      QMessageBox::warning(this, "Save history", "could not write " + dir);
  });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::quit);
  QMenu* run = menuBar()->addMenu("&Run");
  run_action_ =
      run->addAction("&Run", QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { start_run(); });
  run->addAction("&Cancel", QKeySequence(Qt::Key_Escape), this, &MainWindow::cancel_run);
  QToolBar* bar = addToolBar("run");
  bar->addAction(run_action_);
}

void MainWindow::update_recent(const QString& path) {
  QSettings settings("kubetwin", "kubetwin-gui");
  QStringList recent = settings.value("recent").toStringList();
  if (!path.isEmpty()) {
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8)
      recent.removeLast();
    settings.setValue("recent", recent);
  }
  recent_menu_->clear();
  for (const QString& r : recent)
    recent_menu_->addAction(r, this, [this, r] { open_scenario(r); });
}

bool MainWindow::open_scenario(const QString& path) {
  const bool ok = session_.open(path.toStdString());
  objects_->show_session(session_);
  edits_->show_session(ok ? &session_ : nullptr);
  if (!ok) {
    status_->setText("the scenario does not load; its problems are in the Objects view");
    tabs_->setCurrentWidget(objects_);
    return false;
  }
  update_recent(QFileInfo(path).absoluteFilePath());
  setWindowTitle("kubetwin - " + QString::fromStdString(session_.scenario().name));
  status_->setText(QString("%1: %2 objects, %3 policies, %4 workloads")
                       .arg(path)
                       .arg(session_.scenario().objects.size())
                       .arg(session_.scenario().policies.size())
                       .arg(session_.scenario().workloads.size()));
  return true;
}

bool MainWindow::start_run() {
  if (!session_.is_open() || controller_->running()) return false;
  const std::vector<std::string> policies = edits_->selected_policies();
  if (policies.empty()) {
    status_->setText("no policy is selected");
    return false;
  }
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (!controller_->start(session_.scenario(), policies, threads)) return false;
  run_action_->setEnabled(false);
  cancel_->setEnabled(true);
  status_->setText("running...");
  return true;
}

void MainWindow::cancel_run() {
  if (controller_->running()) controller_->cancel();
}

void MainWindow::on_finished(std::shared_ptr<runs::PreparedRun> run) {
  last_ = run;
  cancel_->setEnabled(false);
  run_action_->setEnabled(true);
  progress_->setValue(1000);
  results_->show_results(run->results);
  charts_->show_results(run->results);
  std::string label = "#";
  label.append(std::to_string(++run_count_)).append(" ").append(run->results.scenario);
  for (const auto& [path, value] : session_.edits())
    label.append(" ").append(path).append("=").append(value);
  history_->add({label, run->results});
  status_->setText(QString("%1 runs done").arg(run->results.runs.size()));
  emit run_finished();
}

const runs::RunResults* MainWindow::last_results() const {
  return last_ ? &last_->results : nullptr;
}

void MainWindow::show_view(const QString& name) {
  if (name == "results") tabs_->setCurrentWidget(results_);
  if (name == "charts") tabs_->setCurrentWidget(charts_);
  if (name == "objects") tabs_->setCurrentWidget(objects_);
  if (name == "history") tabs_->setCurrentWidget(history_);
}

void MainWindow::save_as() {
  if (!session_.is_open()) return;
  const QString path =
      QFileDialog::getSaveFileName(this, "Save scenario as", QString(), "Scenarios (*.yaml)");
  if (path.isEmpty()) return;
  bool comments_lost = false;
  const std::string text = session_.edited_text(path.toStdString(), comments_lost);
  QFile out(path);
  if (text.empty() || !out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    QMessageBox::warning(this, "Save As", "could not write " + path);
    return;
  }
  out.write(text.data(), static_cast<qint64>(text.size()));
  if (comments_lost) {
    QMessageBox::information(this, "Save As",
                             "Saved. The original file's comments are not in the new one "
                             "(yaml-cpp does not keep comments when it writes YAML).");
  }
}

bool MainWindow::save_history(const QString& dir) {
  if (!session_.is_open() || !QDir().mkpath(dir)) return false;
  bool lost = false;
  const std::string scenario = session_.edited_text((dir + "/scenario.yaml").toStdString(), lost);
  QFile sc(dir + "/scenario.yaml");
  if (scenario.empty() || !sc.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  sc.write(scenario.data(), static_cast<qint64>(scenario.size()));
  QString index = "# What-if history\n\nScenario: scenario.yaml (the last edits applied).\n\n";
  int n = 0;
  for (const HistoryEntry& e : history_->entries()) {
    const QString sub = QString("runs/%1").arg(++n);
    if (!QDir().mkpath(dir + "/" + sub)) return false;
    QFile out(dir + "/" + sub + "/summary.json");
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    const std::string json = runs::summary_json(e.results);
    out.write(json.data(), static_cast<qint64>(json.size()));
    index += QString("- %1/summary.json: %2\n").arg(sub, QString::fromStdString(e.label));
  }
  QFile md(dir + "/history.md");
  if (!md.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  md.write(index.toUtf8());
  return true;
}

void MainWindow::export_report() {
  if (!last_) return;
  const QString path = QFileDialog::getSaveFileName(this, "Export report", "report.html", "*.html");
  if (path.isEmpty()) return;
  QFile out(path);
  if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) return;
  const std::string html =
      runs::report_html(last_->results, static_cast<std::size_t>(last_->scenario.replications));
  out.write(html.data(), static_cast<qint64>(html.size()));
}

void MainWindow::export_csv() {
  if (!last_) return;
  const QString path = QFileDialog::getSaveFileName(this, "Export table", "results.csv", "*.csv");
  if (path.isEmpty()) return;
  QFile out(path);
  if (out.open(QIODevice::WriteOnly | QIODevice::Truncate)) out.write(results_->csv().toUtf8());
}

void MainWindow::export_chart() {
  const QString path = QFileDialog::getSaveFileName(this, "Export chart", "chart.png", "*.png");
  if (!path.isEmpty()) charts_->view()->grab().save(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (!urls.isEmpty()) open_scenario(urls.front().toLocalFile());
}

}  // namespace kt::gui
