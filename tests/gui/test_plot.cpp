// Headless pictures: `sgdsim plot` (through sgdsim-gui --plot) and `sgdsim-gui --screenshot`.

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QtTest/QtTest>

#include "gui/command_line.hpp"
#include "tests/gui/gui_support.hpp"

namespace sgdsim {
namespace {

/// Runs `program` with `arguments`; its exit code, and its error output in `err`.
int run_program(const QString& program, const QStringList& arguments, QString& err) {
  QProcess process;
  process.start(program, arguments);
  if (!process.waitForFinished(120'000)) return -1;
  err = QString::fromLocal8Bit(process.readAllStandardError());
  return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

/// The distinct colours of `image`: a blank picture has one.
int colours(const QImage& image) {
  QSet<QRgb> seen;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) seen.insert(image.pixel(x, y));
  return static_cast<int>(seen.size());
}

/// Checks that `path` is a PNG (signature, size) with a picture of more than one colour.
void check_png(const std::filesystem::path& path) {
  QVERIFY2(std::filesystem::exists(path), path.c_str());
  QVERIFY(std::filesystem::file_size(path) > 5000);
  QVERIFY(test::read_text(path).starts_with("\x89PNG\r\n\x1a\n"));
  const QImage image(QString::fromStdString(path.string()));
  QCOMPARE(image.size(), QSize(1200, 800));
  QVERIFY2(colours(image) > 2, path.c_str());
}

/// Checks that `path` is an SVG drawing with something drawn in it.
void check_svg(const std::filesystem::path& path) {
  QVERIFY2(std::filesystem::exists(path), path.c_str());
  QVERIFY(std::filesystem::file_size(path) > 5000);
  const std::string text = test::read_text(path);
  QVERIFY(text.starts_with("<?xml"));
  QVERIFY(text.find("<svg") != std::string::npos);
  QVERIFY(text.find("viewBox=\"0 0 1200 800\"") != std::string::npos);
  QVERIFY(text.find("<path") != std::string::npos || text.find("<polyline") != std::string::npos);
}

}  // namespace

/// Two runs of the small scenario, plotted by the programs as a user would call them.
class PlotTests : public QObject {
  Q_OBJECT

  test::TempDir dir_;
  QStringList runs_;

 private slots:
  void initTestCase() {
    runs_ << QString::fromStdString(test::small_run(dir_, "async", "async").string())
          << QString::fromStdString(test::small_run(dir_, "sync", "sync").string());
  }

  void sgdsim_plot_writes_a_png_and_an_svg_of_each_chart() {
    for (const QString& kind : chart_kinds()) {
      for (const QString format : {"png", "svg"}) {
        const std::filesystem::path out = dir_ / (kind + "." + format).toStdString();
        QString err;
        const int code = run_program(
            SGDSIM_BINARY,
            QStringList{"plot"} << runs_
                                << QStringList{"--out", QString::fromStdString(out.string()),
                                               "--chart", kind},
            err);
        QVERIFY2(code == 0, qPrintable(kind + " " + format + ": " + err));
        if (format == "png")
          check_png(out);
        else
          check_svg(out);
      }
    }
  }

  void the_timeline_of_runs_without_a_trace_is_refused() {
    const test::TempDir dir;
    const auto run =
        test::run_yaml(dir, test::kSmallLearningScenario, "untraced", {{"output.trace=false"}});
    QString err;
    const int code =
        run_program(SGDSIM_GUI_BINARY,
                    {"--plot", QString::fromStdString(run.string()), "--out",
                     QString::fromStdString((dir / "t.png").string()), "--chart", "timeline"},
                    err);
    QCOMPARE(code, 66);
    QVERIFY2(err.contains("no trace.json"), qPrintable(err));
  }

  void sgdsim_plot_without_sgdsim_gui_beside_it_exits_69_and_says_why() {
    const std::filesystem::path lonely = dir_ / "alone" / "sgdsim";
    std::filesystem::create_directory(dir_ / "alone");
    std::filesystem::copy_file(SGDSIM_BINARY, lonely);
    QString err;
    const int code = run_program(QString::fromStdString(lonely.string()),
                                 QStringList{"plot"} << runs_[0] << "--out"
                                                     << "x.png",
                                 err);
    QCOMPARE(code, 69);
    QVERIFY2(err.contains("plot needs sgdsim-gui"), qPrintable(err));
  }

  void a_malformed_plot_command_is_a_usage_error() {
    QString err;
    QCOMPARE(run_program(SGDSIM_BINARY,
                         QStringList{"plot"} << runs_[0] << "--out"
                                             << "x.gif",
                         err),
             64);
    QVERIFY2(err.contains(".png or .svg"), qPrintable(err));
    QCOMPARE(run_program(SGDSIM_BINARY,
                         QStringList{"plot"} << "/nonexistent"
                                             << "--out"
                                             << "x.png",
                         err),
             66);
  }

  void a_classroom_screenshot_whose_knobs_break_the_scenario_fails_and_writes_nothing() {
    // Matrix factorisation trains with HOGWILD! only: the synchronous knob cannot apply.
    test::write_text(dir_ / "factors.yaml",
                     "name: factors\ncompute: {time: {dist: exponential, mean: 1us}}\n"
                     "algorithm: {type: hogwild}\nmodel: {type: matrix_factorisation}\n"
                     "data: {source: ratings}\nstop: {updates: 2000}\n");
    const std::filesystem::path out = dir_ / "factors.png";
    QString err;
    QCOMPARE(run_program(SGDSIM_GUI_BINARY,
                         {"--screenshot", QString::fromStdString(out.string()), "--tab",
                          "classroom", "--knob", "algorithm=sync",
                          QString::fromStdString((dir_ / "factors.yaml").string())},
                         err),
             65);
    QVERIFY2(err.contains("the classroom's run failed") &&
                 err.contains("matrix_factorisation trains with algorithm.type hogwild only"),
             qPrintable(err));
    QVERIFY(!std::filesystem::exists(out));
  }

  void a_knob_without_the_classroom_tab_or_with_a_bad_value_is_a_usage_error() {
    QString err;
    QCOMPARE(run_program(SGDSIM_GUI_BINARY, {"--screenshot", "x.png", "--knob", "workers=2"}, err),
             64);
    QVERIFY2(err.contains("--knob goes with --screenshot and --tab classroom"), qPrintable(err));
    QCOMPARE(
        run_program(SGDSIM_GUI_BINARY,
                    {"--screenshot", "x.png", "--tab", "classroom", "--knob", "workers=0"}, err),
        64);
    QVERIFY2(err.contains("--knob workers: '0' is outside [1, 64]"), qPrintable(err));
  }

  void the_screenshot_is_a_picture_of_the_window_with_the_runs() {
    const std::filesystem::path out = dir_ / "window.png";
    QString err;
    const int code = run_program(
        SGDSIM_GUI_BINARY,
        QStringList{"--screenshot", QString::fromStdString(out.string()), "--tab", "staleness"}
            << runs_,
        err);
    QVERIFY2(code == 0, qPrintable(err));
    check_png(out);
  }

  void the_classroom_screenshot_runs_the_scenario_then_the_turned_knobs_before_the_picture() {
    test::write_text(dir_ / "classroom.yaml", test::kSmallLearningScenario);
    const std::filesystem::path out = dir_ / "classroom.png";
    QString err;
    const int code = run_program(SGDSIM_GUI_BINARY,
                                 {"--screenshot", QString::fromStdString(out.string()), "--tab",
                                  "classroom", "--knob", "workers=2", "--knob", "algorithm=async",
                                  QString::fromStdString((dir_ / "classroom.yaml").string())},
                                 err);
    QVERIFY2(code == 0, qPrintable(err));
    check_png(out);
  }
};

}  // namespace sgdsim

QTEST_MAIN(sgdsim::PlotTests)
#include "test_plot.moc"
