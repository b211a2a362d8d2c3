#include "gui/run_controller.hpp"

#include <QMetaObject>

#include <algorithm>

#include "models/common/progress.hpp"

namespace kt::gui {

RunController::RunController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::shared_ptr<kt::runs::PreparedRun>>();
  timer_.setInterval(100);
  connect(&timer_, &QTimer::timeout, this, &RunController::poll);
}

RunController::~RunController() {
  cancel();
  join();
}

void RunController::join() {
  if (worker_.joinable()) worker_.join();
}

bool RunController::start(const scenario::Scenario& sc, const std::vector<std::string>& policies,
                          unsigned threads) {
  if (running_.exchange(true)) return false;
  join();
  cancel_requested_ = false;
  auto run = std::make_shared<runs::PreparedRun>();
  run->scenario = sc;
  slos_ = sc.slos;
  partial_ = {};
  partial_.scenario = sc.name;
  for (const scenario::Policy& p : sc.policies) {
    if (policies.empty() || std::find(policies.begin(), policies.end(), p.name) != policies.end())
      partial_.policies.push_back(p.name);
  }
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    done_.clear();
  }
  started_ = last_poll_ = std::chrono::steady_clock::now();
  last_events_ = 0;
  timer_.start();
  worker_ = std::thread([this, run, policies, threads] {
    // Signals cross to the GUI thread queued (the controller lives there).
    const auto report = [this](auto fn) {
      QMetaObject::invokeMethod(this, fn, Qt::QueuedConnection);
    };
    try {
      scenario::Diagnostics diags;
      if (!runs::prepare_run(*run, policies, diags)) {
        std::string message = "the scenario cannot be run";
        for (const scenario::Diagnostic& d : diags.all()) {
          if (d.severity == scenario::Severity::error) {
            message = scenario::format_diagnostic(d);
            break;
          }
        }
        report([this, message] {
          running_ = false;
          timer_.stop();
          emit failed(QString::fromStdString(message));
        });
        return;
      }
      runs::execute_runs({run.get()}, threads, this);
      report([this, run] {
        running_ = false;
        timer_.stop();
        emit finished(run);
      });
    } catch (const models::RunCancelled&) {
      report([this] {
        running_ = false;
        timer_.stop();
        emit cancelled();
      });
    } catch (const std::exception& e) {
      const std::string message = e.what();
      report([this, message] {
        running_ = false;
        timer_.stop();
        emit failed(QString::fromStdString(message));
      });
    }
  });
  return true;
}

void RunController::cancel() {
  cancel_requested_ = true;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (!progress_) return;
  for (models::RunProgress& p : *progress_)
    p.cancel = true;
}

void RunController::begin(std::vector<models::RunProgress>& progress, SimTime longest) {
  const std::lock_guard<std::mutex> lock(mutex_);
  progress_ = &progress;
  longest_ = longest;
  if (cancel_requested_) {
    for (models::RunProgress& p : progress)
      p.cancel = true;
  }
}

void RunController::end() {
  const std::lock_guard<std::mutex> lock(mutex_);
  progress_ = nullptr;
}

void RunController::run_finished(const runs::RunRecord& record) {
  const std::lock_guard<std::mutex> lock(mutex_);
  done_.push_back(record);
}

void RunController::poll() {
  std::vector<runs::RunRecord> fresh;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    fresh.swap(done_);
  }
  if (!fresh.empty()) {
    for (runs::RunRecord& r : fresh)
      partial_.runs.push_back(std::move(r));
    runs::RunResults shown = partial_;
    runs::summarize_runs(shown, slos_);
    emit partial(std::move(shown));
  }
  double done = 0, total = 0;
  std::uint64_t events = 0;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!progress_ || longest_ <= 0) return;
    for (const models::RunProgress& p : *progress_) {
      done += static_cast<double>(p.simulated_ns.load(std::memory_order_relaxed));
      events += p.events.load(std::memory_order_relaxed);
      total += static_cast<double>(longest_);
    }
  }
  const auto now = std::chrono::steady_clock::now();
  const double since_start = std::chrono::duration<double>(now - started_).count();
  const double since_poll = std::chrono::duration<double>(now - last_poll_).count();
  const double rate = since_poll > 0 ? static_cast<double>(events - last_events_) / since_poll : 0;
  last_poll_ = now;
  last_events_ = events;
  const double fraction = total > 0 ? done / total : 0;
  const double left = fraction > 0 ? since_start * (1 - fraction) / fraction : 0;
  emit progress(fraction, rate, left);
}

}  // namespace kt::gui
