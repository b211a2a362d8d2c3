#pragma once
// Runs a scenario's policies off the GUI thread: the run library's execute_runs in a worker
// thread, its progress polled ten times a second (simulated time, events per second, time
// left), Cancel honoured at the run's next 0.1 % slice (models::RunProgress::cancel). The
// window never waits on a run.

#include <QObject>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runs/runner.hpp"

namespace kt::gui {

class RunController : public QObject, private runs::RunObserver {
  Q_OBJECT

 public:
  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;  // cancels a run in progress and waits for it

  // Runs `sc` (copied) for `policies` (all when empty) on `threads` threads; false when a run
  // is in progress.
  bool start(const scenario::Scenario& sc, const std::vector<std::string>& policies,
             unsigned threads);
  void cancel();
  bool running() const { return running_.load(); }

 signals:
  void progress(double fraction, double events_per_s, double seconds_left);
  // The runs finished so far, summarised (while a run goes on: charts fill in as it does).
  void partial(kt::runs::RunResults results);
  void finished(std::shared_ptr<kt::runs::PreparedRun> run);
  void failed(QString message);
  void cancelled();

 private:
  void begin(std::vector<models::RunProgress>& progress, SimTime longest) override;
  void end() override;
  void run_finished(const runs::RunRecord& record) override;
  void poll();
  void join();

  std::thread worker_;
  std::atomic<bool> running_{false};
  std::atomic<bool> cancel_requested_{false};
  QTimer timer_;
  std::mutex mutex_;  // guards progress_ (alive between begin() and end())
  std::vector<models::RunProgress>* progress_ = nullptr;
  std::vector<runs::RunRecord> done_;  // finished runs not yet shown (guarded by mutex_)
  runs::RunResults partial_;           // what has been shown so far (GUI thread)
  std::vector<scenario::Slo> slos_;
  SimTime longest_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t last_events_ = 0;
  std::chrono::steady_clock::time_point last_poll_;
};

}  // namespace kt::gui
