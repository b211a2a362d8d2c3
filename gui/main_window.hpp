#pragma once
// The dashboard: open a scenario, pick policies and edit knobs, run it in the background,
// and read the results (table, charts), the objects it loaded and the history of what-ifs.

#include <QMainWindow>

#include <memory>

#include "gui/scenario_session.hpp"
#include "runs/runner.hpp"

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace kt::gui {

class ChartPanel;
class EditPanel;
class HistoryPanel;
class ObjectsPanel;
class ResultsView;
class RunController;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  bool open_scenario(const QString& path);  // false (and a message) when it does not load
  bool start_run();                         // false when nothing can run now
  void cancel_run();
  // The views, by name: results, charts, objects, history.
  void show_view(const QString& name);

  ScenarioSession& session() { return session_; }
  ResultsView* results() const { return results_; }
  ChartPanel* charts() const { return charts_; }
  HistoryPanel* history() const { return history_; }
  ObjectsPanel* objects() const { return objects_; }
  EditPanel* edits() const { return edits_; }
  RunController* controller() const { return controller_; }
  const runs::RunResults* last_results() const;

 signals:
  void run_finished();
  void run_cancelled();
  void run_failed(QString message);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_menus();
  void update_recent(const QString& path);
  void on_finished(std::shared_ptr<runs::PreparedRun> run);
  void save_as();
  void export_report();
  void export_csv();
  void export_chart();

 public:
  // Writes the what-if history into `dir`: the scenario with the current edits (scenario.yaml),
  // and per run its summary.json (runs/N/), listed in history.md. False when it cannot.
  bool save_history(const QString& dir);

 private:
  ScenarioSession session_;
  std::shared_ptr<runs::PreparedRun> last_;
  int run_count_ = 0;
  QTabWidget* tabs_ = nullptr;
  ResultsView* results_ = nullptr;
  ChartPanel* charts_ = nullptr;
  HistoryPanel* history_ = nullptr;
  ObjectsPanel* objects_ = nullptr;
  EditPanel* edits_ = nullptr;
  RunController* controller_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QAction* run_action_ = nullptr;
  QMenu* recent_menu_ = nullptr;
};

}  // namespace kt::gui
