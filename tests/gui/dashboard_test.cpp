// kubetwin-gui, offscreen (QtTest): every bundled scenario opens; a run's table and chart hold
// the numbers `kubetwin run` writes for the same scenario and seed; Cancel stops a long run
// within a second and keeps the previous results; an invalid edit is refused with the
// loader's message and nothing runs; the what-if comparison finds no difference between two
// identical runs and the known one between 3 and 4 replicas; screenshots of every view in a
// light and a dark palette land in build/screenshots/.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPalette>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <cmath>
#include <map>

#include "gui/chart_panel.hpp"
#include "gui/edit_panel.hpp"
#include "gui/history_panel.hpp"
#include "gui/main_window.hpp"
#include "gui/objects_panel.hpp"
#include "gui/results_view.hpp"
#include "gui/run_controller.hpp"
#include "scenarios/loader.hpp"

namespace {

const QString kSource = KT_SOURCE_DIR;

// Runs the window's scenario and waits for the end; false on failure or timeout.
bool run_and_wait(kt::gui::MainWindow& w, int timeout_ms = 120000) {
  QSignalSpy done(&w, &kt::gui::MainWindow::run_finished);
  if (!w.start_run()) return false;
  return done.wait(timeout_ms);
}

// The quickstart, short: 20 simulated minutes, 3 replications, seed 11.
void short_quickstart(kt::gui::MainWindow& w) {
  QVERIFY(w.open_scenario(kSource + "/data/scenarios/quickstart.yaml"));
  QCOMPARE(w.edits()->apply("spec.duration", "1200s"), std::string());
  QCOMPARE(w.edits()->apply("spec.warmup", "60s"), std::string());
  QCOMPARE(w.edits()->apply("spec.replications", "3"), std::string());
  QCOMPARE(w.edits()->apply("spec.seed", "11"), std::string());
}

}  // namespace

class DashboardTest : public QObject {
  Q_OBJECT

 private slots:
  void opensEveryBundledScenario() {
    const QStringList files = QDir(kSource + "/data/scenarios").entryList({"*.yaml"});
    QVERIFY(files.size() >= 7);
    for (const QString& f : files) {
      kt::gui::MainWindow w;
      QVERIFY2(w.open_scenario(kSource + "/data/scenarios/" + f), qPrintable(f));
      QVERIFY2(w.objects()->tree()->topLevelItemCount() > 0, qPrintable(f));
    }
  }

  void theFormHoldsTheKeyNumbersAtPathsTheLoaderAccepts() {
    kt::gui::MainWindow w;
    int outages = 0;
    bool min_scale = false;
    for (const QString& file : QDir(kSource + "/data/scenarios").entryList({"*.yaml"})) {
      QVERIFY(w.open_scenario(kSource + "/data/scenarios/" + file));
      for (const kt::gui::EditableField& f : w.session().fields()) {
        // Every field, set to the value it shows, is accepted as it is ("": a knob left to
        // the manifests, which no value writes).
        if (!f.value.empty()) {
          QVERIFY2(w.session().check(f.path, f.value).empty(),
                   qPrintable(file + ": " + QString::fromStdString(f.path)));
        }
        for (const std::string& choice : f.choices)
          QVERIFY2(!choice.empty(), qPrintable(QString::fromStdString(f.path)));
        outages += f.label.find("mean down") != std::string::npos;
        min_scale = min_scale || f.label == "minScale";
      }
    }
    QVERIFY(outages >= 1);  // edge.yaml's uplinks
    QVERIFY(min_scale);     // serverless.yaml's Knative Services
  }

  void tableAndChartHoldWhatTheCliWrites() {
    kt::gui::MainWindow w;
    short_quickstart(w);
    // The same scenario for the CLI: the edits saved beside a copy, paths rewritten.
    QTemporaryDir tmp;
    const QString saved = tmp.path() + "/quick.yaml";
    bool lost = false;
    const std::string text = w.session().edited_text(saved.toStdString(), lost);
    QVERIFY(!text.empty());
    QFile out(saved);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(text.data(), static_cast<qint64>(text.size()));
    out.close();
    QVERIFY(run_and_wait(w));
    QProcess cli;
    cli.start(KUBETWIN_CLI, {"run", saved, "--quiet", "--out", tmp.path() + "/cli"});
    QVERIFY(cli.waitForFinished(120000));
    QVERIFY2(cli.exitCode() <= 1, qPrintable(cli.readAllStandardError()));
    QFile summary(tmp.path() + "/cli/summary.json");
    QVERIFY(summary.open(QIODevice::ReadOnly));
    const QJsonObject policies =
        QJsonDocument::fromJson(summary.readAll()).object()["policies"].toObject();
    QCOMPARE(policies.size(), 3);
    int compared = 0;
    for (auto p = policies.begin(); p != policies.end(); ++p) {
      const QJsonObject keys = p.value().toObject();
      for (auto k = keys.begin(); k != keys.end(); ++k) {
        const double cli_mean = k.value().toObject()["mean"].toDouble();
        const double gui_mean = w.results()->mean_of(k.key().toStdString(), p.key().toStdString());
        QVERIFY2(std::abs(cli_mean - gui_mean) <= 1e-9 * std::max(1.0, std::abs(cli_mean)),
                 qPrintable(p.key() + " " + k.key()));
        ++compared;
      }
    }
    QVERIFY(compared > 30);
    // The chart's line for a policy: the mean over its replications of the CSV's column.
    QFile csv(tmp.path() + "/cli/timeseries.csv");
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList header = QString(csv.readLine()).trimmed().split(',');
    const int column = static_cast<int>(header.indexOf("shoppers.latency_p99_ms"));
    QVERIFY(column > 0);
    std::map<double, std::pair<double, int>> sums;
    while (!csv.atEnd()) {
      const QStringList row = QString(csv.readLine()).trimmed().split(',');
      if (row[0] != "eight-replicas") continue;
      auto& [sum, n] = sums[row[2].toDouble()];
      sum += row[column].toDouble();
      ++n;
    }
    w.charts()->show_column("shoppers.latency_p99_ms");
    QVERIFY(w.charts()->svg().rfind("<svg", 0) == 0);
    const auto drawn = w.charts()->points("eight-replicas");
    QCOMPARE(drawn.size(), sums.size());
    std::size_t i = 0;
    for (const auto& [t, sn] : sums) {
      QVERIFY(std::abs(drawn[i].first - t) < 1e-6);
      QVERIFY(std::abs(drawn[i].second - sn.first / sn.second) <=
              1e-6 * std::max(1.0, drawn[i].second));
      ++i;
    }
  }

  void cancelStopsWithinASecondAndKeepsTheResults() {
    kt::gui::MainWindow w;
    short_quickstart(w);
    QVERIFY(run_and_wait(w));
    const std::vector<std::string> before = w.last_results()->policies;
    QVERIFY(w.open_scenario(kSource + "/data/scenarios/seed-what-if.yaml"));
    QCOMPARE(w.edits()->apply("spec.duration", "30d"), std::string());  // a long run
    QSignalSpy cancelled(&w, &kt::gui::MainWindow::run_cancelled);
    QVERIFY(w.start_run());
    QTest::qWait(500);
    QVERIFY(w.controller()->running());
    QElapsedTimer clock;
    clock.start();
    w.cancel_run();
    QVERIFY(cancelled.wait(5000));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed()) + " ms"));
    QVERIFY(!w.controller()->running());
    QCOMPARE(w.last_results()->policies, before);
    // The views show the kept results again, not the cancelled run's first replications.
    QVERIFY(!std::isnan(w.results()->mean_of("latency.mean_ms", before.front())));
  }

  void chartsFillInWhileARunGoesOn() {
    kt::gui::MainWindow w;
    QVERIFY(w.open_scenario(kSource + "/data/scenarios/quickstart.yaml"));
    QCOMPARE(w.edits()->apply("spec.replications", "40"), std::string());
    QSignalSpy partial(w.controller(), &kt::gui::RunController::partial);
    QSignalSpy done(&w, &kt::gui::MainWindow::run_finished);
    QVERIFY(w.start_run());
    QVERIFY(done.wait(120000));
    // Some replications were drawn before the last one finished.
    QVERIFY2(partial.count() >= 1, qPrintable(QString::number(partial.count())));
    const auto first = partial.first().at(0).value<kt::runs::RunResults>();
    QVERIFY(first.runs.size() < 120);
    QVERIFY(!first.summary.empty());
  }

  void anInvalidEditIsRefusedWithTheLoadersMessage() {
    kt::gui::MainWindow w;
    const QString path = kSource + "/data/scenarios/quickstart.yaml";
    QVERIFY(w.open_scenario(path));
    const std::string problem = w.edits()->apply("spec.replications", "0");
    // What the loader itself says of that scenario with that setting.
    kt::scenario::Scenario sc;
    kt::scenario::Diagnostics diags;
    QVERIFY(!kt::scenario::load_scenario_file(path.toStdString(), sc, diags,
                                              {{"spec.replications", "0"}}));
    QCOMPARE(problem, kt::scenario::format_diagnostic(diags.all().front()));
    QVERIFY(problem.find("replications") != std::string::npos);
    QCOMPARE(w.session().check("spec.replications", "0"), problem);
    QCOMPARE(w.session().check("spec.replications", "4"), std::string());
    QCOMPARE(w.edits()->message()->text().toStdString(), problem);
    QVERIFY(w.session().edits().empty());
    QCOMPARE(w.session().scenario().replications, static_cast<std::int64_t>(5));
    QVERIFY(!w.controller()->running());
  }

  void whatIfComparison() {
    kt::gui::MainWindow w;
    short_quickstart(w);
    QVERIFY(run_and_wait(w));
    QVERIFY(run_and_wait(w));  // the same again
    QCOMPARE(w.edits()->apply("Deployment/checkout:spec.replicas", "4"), std::string());
    QVERIFY(run_and_wait(w));
    const auto& h = w.history()->entries();
    QCOMPARE(h.size(), std::size_t{3});
    for (const kt::gui::MetricDifference& m :
         kt::gui::compare_runs(h[0].results, h[1].results, "three-replicas"))
      QVERIFY2(!m.d.significant, qPrintable(QString::fromStdString(m.key)));
    // 3 -> 4 replicas at 2.4 requests/s of 1 s: per-pod load 0.8 -> 0.6, the wait of M/M/1
    // queues 4 s -> 1.5 s. Significantly shorter.
    bool found = false;
    for (const kt::gui::MetricDifference& m :
         kt::gui::compare_runs(h[1].results, h[2].results, "three-replicas")) {
      if (m.key != "wait.mean_ms") continue;
      found = true;
      QVERIFY(m.d.significant);
      QVERIFY(m.d.diff < 0);
    }
    QVERIFY(found);
    // Saved with its scenario: one summary.json per run, the scenario with the edit.
    QTemporaryDir tmp;
    QVERIFY(w.save_history(tmp.path()));
    for (int i = 1; i <= 3; ++i)
      QVERIFY(QFile::exists(tmp.path() + QString("/runs/%1/summary.json").arg(i)));
    QFile sc(tmp.path() + "/scenario.yaml");
    QVERIFY(sc.open(QIODevice::ReadOnly));
    QVERIFY(sc.readAll().contains("spec.replicas"));
    kt::scenario::Scenario reread;
    kt::scenario::Diagnostics diags;
    QVERIFY(kt::scenario::load_scenario_file((tmp.path() + "/scenario.yaml").toStdString(), reread,
                                             diags));
  }

  void screenshotsOfEveryView() {
    const QString dir = QString(KT_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    for (const bool dark : {false, true}) {
      QPalette palette = QApplication::style()->standardPalette();
      if (dark) {
        palette.setColor(QPalette::Window, QColor(45, 45, 48));
        palette.setColor(QPalette::WindowText, Qt::white);
        palette.setColor(QPalette::Base, QColor(30, 30, 30));
        palette.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
        palette.setColor(QPalette::Text, Qt::white);
        palette.setColor(QPalette::Button, QColor(60, 60, 64));
        palette.setColor(QPalette::ButtonText, Qt::white);
      }
      QApplication::setPalette(palette);
      kt::gui::MainWindow w;
      short_quickstart(w);
      w.show();
      QVERIFY(run_and_wait(w));
      for (const char* view : {"results", "charts", "objects", "history"}) {
        w.show_view(view);
        QTest::qWait(50);
        const QString file = dir + "/" + view + (dark ? "-dark" : "") + ".png";
        QVERIFY2(w.grab().save(file), qPrintable(file));
      }
    }
  }
};

QTEST_MAIN(DashboardTest)
#include "dashboard_test.moc"
