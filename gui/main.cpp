// kubetwin-gui: the desktop what-if dashboard.
//   kubetwin-gui [SCENARIO] [--run] [--screenshot FILE.png] [--view results|charts|objects|history]
// --screenshot runs (with --run), shows the view and saves it, then quits: for documentation
// and tests, offscreen too (QT_QPA_PLATFORM=offscreen). Exit 0, 2 when the scenario does not
// load or the run fails.

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "gui/main_window.hpp"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("kubetwin-gui");
  QCommandLineParser parser;
  parser.setApplicationDescription("kubetwin: the desktop what-if dashboard");
  parser.addHelpOption();
  parser.addPositionalArgument("scenario", "a kubetwin scenario file to open");
  const QCommandLineOption run(QStringList{"run"}, "run it at once");
  const QCommandLineOption shot(QStringList{"screenshot"}, "save a screenshot of the view and quit",
                                "file");
  const QCommandLineOption view(QStringList{"view"}, "results, charts, objects or history", "name",
                                "results");
  parser.addOptions({run, shot, view});
  parser.process(app);
  kt::gui::MainWindow window;
  const QStringList args = parser.positionalArguments();
  if (!args.isEmpty() && !window.open_scenario(args.front()) && parser.isSet(shot)) {
    std::fprintf(stderr, "kubetwin-gui: %s does not load\n", qPrintable(args.front()));
    return 2;
  }
  window.show();
  const auto snap = [&] {
    window.show_view(parser.value(view));
    QTimer::singleShot(200, &window, [&] {
      const bool saved = window.grab().save(parser.value(shot));
      QApplication::exit(saved ? 0 : 2);
    });
  };
  if (parser.isSet(shot)) {
    QObject::connect(&window, &kt::gui::MainWindow::run_finished, &window, snap);
    QObject::connect(&window, &kt::gui::MainWindow::run_failed, &window, [](const QString& m) {
      std::fprintf(stderr, "kubetwin-gui: %s\n", qPrintable(m));
      QApplication::exit(2);
    });
  }
  if (parser.isSet(run)) {
    QTimer::singleShot(0, &window, [&] {
      if (!window.start_run()) QApplication::exit(2);
    });
  } else if (parser.isSet(shot)) {
    QTimer::singleShot(0, &window, snap);
  }
  return QApplication::exec();
}
