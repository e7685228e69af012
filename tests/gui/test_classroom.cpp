// The Classroom tab: knobs that map to scenario keys, re-running on a change, the previous run
// faded behind the new one, debouncing and superseded runs.

#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtTest/QtTest>

#include "gui/classroom_panel.hpp"
#include "gui/main_window.hpp"
#include "tests/gui/gui_support.hpp"

namespace sgdsim {
namespace {

constexpr int kRunWaitMs = 60'000;

/// The line series of `view`'s chart whose names start with `prefix`.
std::vector<QLineSeries*> lines_of(const QChartView* view, const QString& prefix) {
  std::vector<QLineSeries*> result;
  for (QAbstractSeries* series : view->chart()->series())
    if (auto* line = qobject_cast<QLineSeries*>(series); line && line->name().startsWith(prefix))
      result.push_back(line);
  return result;
}

}  // namespace

/// Each test has a panel (or window) of its own.
class ClassroomTests : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // Recent files go to a test location.
    QCoreApplication::setOrganizationName("sgdsim-tests");
  }

  void every_knob_maps_to_a_scenario_key() {
    ClassroomKnobs knobs;
    knobs.workers = 6;
    knobs.straggler_p = 0.2;
    knobs.straggler_factor = 5;
    knobs.step_size = 0.25;
    const ClassroomBase base = builtin_classroom_base();
    for (const char* algorithm : {"sync", "async", "backup", "ssp", "qsgd"}) {
      knobs.algorithm = algorithm;
      knobs.backup_workers = 2;
      knobs.staleness_bound = 3;
      knobs.qsgd_levels = 8;
      const Scenario s = load_scenario_text(base.text, base.file, classroom_overrides(knobs, base));
      QCOMPARE(s.workers, 6u);
      QCOMPARE(s.update.step.eta0, 0.25);
      QCOMPARE(s.algorithm, std::string(knobs.algorithm == "qsgd" ? "sync" : algorithm));
      if (knobs.algorithm == "backup") QCOMPARE(s.backup_workers, 2u);
      if (knobs.algorithm == "ssp") QCOMPARE(s.staleness_bound.value_or(0), 3u);
      const bool qsgd = s.compression.kind == CompressionSettings::Kind::kQsgd;
      QCOMPARE(qsgd, knobs.algorithm == "qsgd");
      if (qsgd) QCOMPARE(s.compression.levels, 8u);
      QVERIFY(!s.trace);
    }
  }

  void knobs_set_by_name_take_values_in_their_range_and_refuse_the_rest() {
    ClassroomKnobs knobs;
    QCOMPARE(knob_names().size(), std::size_t{8});
    QCOMPARE(set_knob(knobs, "workers", "16"), std::string());
    QCOMPARE(knobs.workers, 16);
    QCOMPARE(set_knob(knobs, "straggler_p", "0.25"), std::string());
    QCOMPARE(knobs.straggler_p, 0.25);
    QCOMPARE(set_knob(knobs, "algorithm", "ssp"), std::string());
    QCOMPARE(knobs.algorithm, std::string("ssp"));
    QCOMPARE(set_knob(knobs, "workers", "65"),
             std::string("knob workers: '65' is outside [1, 64]"));
    QCOMPARE(set_knob(knobs, "workers", "2.5"),
             std::string("knob workers: '2.5' is not a whole number"));
    QCOMPARE(set_knob(knobs, "algorithm", "hogwild"),
             std::string("knob algorithm: 'hogwild' is not one of sync, async, backup, ssp, qsgd"));
    QVERIFY(
        set_knob(knobs, "wrokers", "2").starts_with("knob wrokers: no such knob; the knobs are "));
    QCOMPARE(set_knob(knobs, "step_size", "nan"),
             std::string("knob step_size: 'nan' is outside [0.001, 5]"));
    QCOMPARE(knobs.workers, 16);  // Refused values change nothing.
    QCOMPARE(knobs.algorithm, std::string("ssp"));
  }

  void changing_a_knob_reruns_and_the_chart_holds_the_new_run_over_the_faded_previous_one() {
    ClassroomPanel panel;
    QSignalSpy shown(&panel, &ClassroomPanel::rerunShown);
    panel.rerun();
    QVERIFY(shown.wait(kRunWaitMs));
    QCOMPARE(panel.currentRuns().size(), std::size_t{1});
    QVERIFY(panel.previousRuns().empty());
    QCOMPARE(panel.currentRuns()[0].workers, 8u);

    auto* workers = panel.findChild<QSpinBox*>("workers");
    QVERIFY(workers);
    workers->setValue(4);
    QVERIFY(shown.wait(kRunWaitMs));
    QCOMPARE(panel.currentRuns()[0].workers, 4u);
    QCOMPARE(panel.previousRuns().size(), std::size_t{1});
    QCOMPARE(panel.previousRuns()[0].workers, 8u);

    // The new run drawn plainly, the one before it faded.
    const auto now = lines_of(panel.convergenceView(), ClassroomPanel::currentPrefix());
    const auto before = lines_of(panel.convergenceView(), ClassroomPanel::previousPrefix());
    QVERIFY(!now.empty());
    QCOMPARE(before.size(), now.size());
    for (QLineSeries* line : now) {
      QVERIFY(line->count() > 5);
      QCOMPARE(line->pen().color().alpha(), 255);
    }
    for (QLineSeries* line : before) {
      QVERIFY(line->count() > 5);
      QVERIFY(line->pen().color().alpha() < 128);
    }
    QVERIFY(!panel.stalenessView()->chart()->series().isEmpty());
  }

  void a_slider_drag_runs_once_with_the_value_it_ends_on() {
    ClassroomPanel panel;
    QSignalSpy shown(&panel, &ClassroomPanel::rerunShown);
    auto* slider = panel.findChild<QSlider*>("workersSlider");
    QVERIFY(slider);
    for (int value = 2; value <= 12; ++value) slider->setValue(value);  // Faster than 150 ms.
    QVERIFY(shown.wait(kRunWaitMs));
    QTest::qWait(500);  // No second run follows.
    QCOMPARE(shown.count(), 1);
    QCOMPARE(panel.currentRuns()[0].workers, 12u);
  }

  void a_newer_change_supersedes_the_run_going_on() {
    ClassroomPanel panel;
    QSignalSpy shown(&panel, &ClassroomPanel::rerunShown);
    panel.rerun();
    QVERIFY(panel.running());
    panel.findChild<QSpinBox*>("workers")->setValue(3);
    panel.rerun();  // Cancels the first run, then starts this one.
    QVERIFY(shown.wait(kRunWaitMs));
    QTest::qWait(300);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(panel.currentRuns()[0].workers, 3u);
    QVERIFY(panel.previousRuns().empty());
  }

  void the_window_s_classroom_tab_turns_the_knobs_of_the_scenario_opened() {
    const test::TempDir dir;
    test::write_text(dir / "small.yaml", test::kSmallLearningScenario);
    MainWindow window;
    QVERIFY(window.openScenario(QString::fromStdString((dir / "small.yaml").string())));
    ClassroomPanel* panel = window.classroom();
    QCOMPARE(panel->knobs().workers, 4);
    QCOMPARE(panel->knobs().algorithm, std::string("async"));
    QSignalSpy shown(panel, &ClassroomPanel::rerunShown);
    ClassroomKnobs knobs = panel->knobs();
    knobs.straggler_p = 0.3;
    panel->setKnobs(knobs);
    QVERIFY(shown.wait(kRunWaitMs));
    QCOMPARE(panel->currentRuns()[0].compute_law, std::string("straggler"));
    QCOMPARE(panel->currentRuns()[0].algorithm, std::string("async"));
    window.showTab(4);
    window.exportCurrentChart(QString::fromStdString((dir / "classroom.png").string()));
    QVERIFY(std::filesystem::file_size(dir / "classroom.png") > 1000);
  }
};

}  // namespace sgdsim

QTEST_MAIN(sgdsim::ClassroomTests)
#include "test_classroom.moc"
