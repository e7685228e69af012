// The main window: opening scenarios and run directories, running in the background, cancelling,
// exporting.

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>
#include <QtCharts/QChartView>
#include <QtTest/QtTest>

#include "gui/main_window.hpp"
#include "tests/gui/gui_support.hpp"

namespace sgdsim {

/// Each test has a window of its own and a folder for its files.
class MainWindowTests : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // Recent files go to a test location.
    QCoreApplication::setOrganizationName("sgdsim-tests");
  }

  void a_bad_scenario_shows_its_error_with_line_and_column() {
    const test::TempDir dir;
    test::write_text(dir / "bad.yaml", "cluster:\n  wokers: 4\n");
    MainWindow window;
    QVERIFY(!window.openScenario(QString::fromStdString((dir / "bad.yaml").string())));
    const QString status = window.scenarioStatus();
    QVERIFY2(status.contains("bad.yaml:2:3: unknown key 'wokers'"), qPrintable(status));
    QVERIFY(!window.startRun());
  }

  void a_missing_scenario_says_so() {
    MainWindow window;
    QVERIFY(!window.openScenario("/nonexistent/scenario.yaml"));
    QVERIFY2(window.scenarioStatus().contains("/nonexistent/scenario.yaml"),
             qPrintable(window.scenarioStatus()));
  }

  void a_run_started_from_the_gui_finishes_and_opens() {
    const test::TempDir dir;
    test::write_text(dir / "small.yaml", test::kSmallLearningScenario);
    MainWindow window;
    window.setRunsFolder(QString::fromStdString((dir / "runs").string()));
    QVERIFY(window.openScenario(QString::fromStdString((dir / "small.yaml").string())));
    QSignalSpy ended(&window, &MainWindow::runEnded);
    QVERIFY(window.startRun());
    QVERIFY(window.running());
    QVERIFY(ended.wait(60'000));
    QCOMPARE(ended.takeFirst().at(0).toBool(), true);
    QVERIFY(!window.running());
    QCOMPARE(window.runs().size(), std::size_t{1});
    QCOMPARE(window.runs()[0].directory, dir.path() / "runs" / "gui-test-seed1");
    // Every chart tab shows the run.
    for (ChartPage* page : window.chartPages())
      QVERIFY(!page->views().front()->chart()->series().isEmpty());
  }

  void a_long_run_leaves_the_window_responsive_and_cancels_without_a_trace() {
    const test::TempDir dir;
    test::write_text(
        dir / "long.yaml",
        "name: long\ncluster: {workers: 64}\ncompute: {time: {dist: exponential, mean: "
        "1ms}}\nalgorithm: {type: async}\nstop: {time: 1000s}\n"
        "output: {trace: false, updates: false}\n");
    MainWindow window;
    window.setRunsFolder(QString::fromStdString((dir / "runs").string()));
    QVERIFY(window.openScenario(QString::fromStdString((dir / "long.yaml").string())));
    QSignalSpy ended(&window, &MainWindow::runEnded);
    QVERIFY(window.startRun());
    // The event loop goes on while the simulation runs on its thread.
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, [&ticks] { ++ticks; });
    timer.start(10);
    QTest::qWait(300);
    QVERIFY(window.running());
    QVERIFY2(ticks >= 5, qPrintable(QString("%1 timer ticks in 300 ms").arg(ticks)));
    // Once the run has lasted a second, the bar shows the part of stop.time simulated.
    QCOMPARE(window.progressShown(), -1.0);
    QTRY_VERIFY_WITH_TIMEOUT(window.progressShown() > 0.0, 10'000);
    QVERIFY(window.progressShown() < 1.0);
    window.cancelRun();
    QVERIFY(ended.wait(30'000));
    QCOMPARE(ended.takeFirst().at(0).toBool(), false);
    QVERIFY(window.runs().empty());
    // Nothing half-written: not the run directory, not its staging folder.
    QVERIFY(std::filesystem::is_empty(dir / "runs"));
  }

  void a_malformed_run_directory_is_reported_with_its_file() {
    const test::TempDir dir;
    std::filesystem::create_directory(dir / "empty-run");
    MainWindow window;
    QVERIFY(!window.openRuns({QString::fromStdString((dir / "empty-run").string())}));
    QVERIFY2(window.message().contains("metrics.csv: cannot be read"),
             qPrintable(window.message()));
  }

  void the_current_chart_exports_to_png_and_svg() {
    const test::TempDir dir;
    const auto run = test::small_run(dir, "run", "async");
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openPaths({QString::fromStdString(run.string())}));
    window.showTab(1);
    for (const char* name : {"chart.png", "chart.svg"}) {
      window.exportCurrentChart(QString::fromStdString((dir / name).string()));
      QVERIFY(std::filesystem::file_size(dir / name) > 1000);
    }
  }
};

}  // namespace sgdsim

QTEST_MAIN(sgdsim::MainWindowTests)
#include "test_main_window.moc"
