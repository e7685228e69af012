// Run directories read for the GUI, and the charts built from them.

#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtTest/QtTest>

#include "gui/charts.hpp"
#include "gui/run_data.hpp"
#include "tests/gui/gui_support.hpp"

namespace sgdsim {
namespace {

/// The series of `chart` of type T, in order.
template <typename T>
std::vector<T*> series_of(const QChart& chart) {
  std::vector<T*> found;
  for (QAbstractSeries* s : chart.series())
    if (auto* t = qobject_cast<T*>(s)) found.push_back(t);
  return found;
}

/// True when `what` contains `text`.
bool contains(const std::string& what, const std::string& text) {
  return what.find(text) != std::string::npos;
}

}  // namespace

/// The runs every test reads: the same small scenario, asynchronous and synchronous.
class ChartTests : public QObject {
  Q_OBJECT

  test::TempDir dir_;
  std::filesystem::path async_, sync_;

 private slots:
  void initTestCase() {
    async_ = test::small_run(dir_, "async", "async");
    sync_ = test::small_run(dir_, "sync", "sync");
  }

  void a_learning_run_draws_training_and_test_loss_and_accuracy_at_every_metrics_row() {
    const RunData run = load_run(async_);
    const auto rows =
        static_cast<int>(test::csv_column(async_ / "metrics.csv", "train_loss").size());
    const std::unique_ptr<QChart> chart = make_convergence_chart({run});
    const std::vector<QLineSeries*> lines = series_of<QLineSeries>(*chart);
    QCOMPARE(lines.size(), std::size_t{3});
    QCOMPARE(lines[0]->name(), QString("async: training loss"));
    QCOMPARE(lines[1]->name(), QString("async: test loss"));
    QCOMPARE(lines[2]->name(), QString("async: test accuracy"));
    for (QLineSeries* line : lines) QCOMPARE(line->count(), rows);
    // Against updates, the last point is the last update evaluated.
    const std::unique_ptr<QChart> by_update = make_convergence_chart({run}, {XMeasure::kUpdates});
    QCOMPARE(series_of<QLineSeries>(*by_update)[0]->points().back().x(), 200.0);
  }

  void overlaid_runs_each_draw_their_own_series_named_after_the_run() {
    const std::unique_ptr<QChart> chart =
        make_convergence_chart({load_run(async_), load_run(sync_)}, {XMeasure::kEpochs, true});
    const std::vector<QLineSeries*> lines = series_of<QLineSeries>(*chart);
    QCOMPARE(lines.size(), std::size_t{6});
    QStringList names;
    for (QLineSeries* line : lines) names << line->name();
    QVERIFY(names.contains("sync: training loss"));
    QVERIFY(names.contains("async: test accuracy"));
  }

  void a_timing_only_run_draws_no_convergence_series() {
    const auto run = test::run_yaml(
        dir_, "cluster: {workers: 2}\ncompute: {time: 1ms}\nstop: {updates: 10}\n", "timing");
    const std::unique_ptr<QChart> chart = make_convergence_chart({load_run(run)});
    QVERIFY(chart->series().isEmpty());
  }

  void the_staleness_histogram_has_a_bar_set_per_run_and_the_geometric_law_for_async_exponential() {
    const RunData async = load_run(async_), sync = load_run(sync_);
    const std::unique_ptr<QChart> chart = make_staleness_chart({async, sync});
    const std::vector<QBarSeries*> bars = series_of<QBarSeries>(*chart);
    QCOMPARE(bars.size(), std::size_t{1});
    QCOMPARE(bars[0]->count(), 2);
    const int categories = bars[0]->barSets()[0]->count();
    QCOMPARE(bars[0]->barSets()[1]->count(), categories);
    QCOMPARE(bars[0]->barSets()[1]->at(0), 1.0);  // Synchronous: every gradient fresh.
    QVERIFY(categories >= 2);
    QVERIFY(categories <= static_cast<int>(async.staleness_histogram.size()));
    double total = 0.0;
    for (int k = 0; k < categories; ++k) total += bars[0]->barSets()[0]->at(k);
    QVERIFY(std::abs(total - 1.0) < 1e-9);  // The last bar gathers the tail.
    // Only the asynchronous run, on exponential compute times, gets the law: (1/4)(3/4)^k.
    const std::vector<QLineSeries*> laws = series_of<QLineSeries>(*chart);
    QCOMPARE(laws.size(), std::size_t{1});
    QCOMPARE(laws[0]->name(), QString("async: geometric law, P = 4"));
    QCOMPARE(laws[0]->count(), categories);
    QCOMPARE(laws[0]->at(1).y(), 0.25 * 0.75);
  }

  void each_worker_gets_its_computing_waiting_and_other_fractions_from_the_trace() {
    const std::unique_ptr<QChart> chart = make_activity_chart(load_run(sync_));
    const std::vector<QStackedBarSeries*> stacks = series_of<QStackedBarSeries>(*chart);
    QCOMPARE(stacks.size(), std::size_t{1});
    const QList<QBarSet*> sets = stacks[0]->barSets();
    QCOMPARE(sets.size(), 3);
    for (int w = 0; w < 4; ++w) {
      QCOMPARE(sets[0]->count(), 4);
      QVERIFY(sets[0]->at(w) > 0.0);  // Computing.
      QVERIFY(sets[1]->at(w) > 0.0);  // Waiting for the round's slowest worker.
      QVERIFY(std::abs(sets[0]->at(w) + sets[1]->at(w) + sets[2]->at(w) - 1.0) < 1e-9);
    }
  }

  void rounds_are_drawn_for_the_runs_that_had_them() {
    const auto rounds = static_cast<int>(test::csv_column(sync_ / "rounds.csv", "round").size());
    const std::unique_ptr<QChart> chart = make_rounds_chart({load_run(async_), load_run(sync_)});
    const std::vector<QLineSeries*> lines = series_of<QLineSeries>(*chart);
    QCOMPARE(lines.size(), std::size_t{1});
    QCOMPARE(lines[0]->name(), QString("sync"));
    QCOMPARE(lines[0]->count(), rounds);
  }

  void the_network_chart_has_a_bar_per_link_and_run() {
    const RunData run = load_run(sync_);
    const std::unique_ptr<QChart> chart = make_network_chart({run, load_run(async_)});
    const std::vector<QHorizontalBarSeries*> bars = series_of<QHorizontalBarSeries>(*chart);
    QCOMPARE(bars.size(), std::size_t{1});
    QCOMPARE(bars[0]->count(), 2);
    QCOMPARE(bars[0]->barSets()[0]->count(), 4);  // w0-ps0 .. w3-ps0.
    QVERIFY(bars[0]->barSets()[0]->at(0) > 0.0);
  }

  void a_malformed_metrics_row_is_reported_with_its_file_and_line() {
    const std::filesystem::path copy = dir_ / "broken";
    std::filesystem::copy(sync_, copy);
    std::string metrics = test::read_text(copy / "metrics.csv");
    metrics.insert(metrics.find('\n', metrics.find('\n') + 1) + 1, "0.5,1,oops,8,,,,,\n");
    test::write_text(copy / "metrics.csv", metrics);
    try {
      load_run(copy);
      QFAIL("a malformed metrics.csv was accepted");
    } catch (const RunDataError& e) {
      QVERIFY2(contains(e.what(), "metrics.csv:3: 'oops' is not a number"), e.what());
    }
  }

  void a_folder_without_summary_json_is_reported_by_name() {
    const std::filesystem::path copy = dir_ / "no-summary";
    std::filesystem::copy(sync_, copy);
    std::filesystem::remove(copy / "summary.json");
    try {
      load_run(copy);
      QFAIL("a run directory without summary.json was accepted");
    } catch (const RunDataError& e) {
      QVERIFY2(contains(e.what(), "summary.json: cannot be read"), e.what());
    }
  }

  void a_sweep_opens_as_one_run_per_setting() {
    const auto sweep = test::run_yaml(dir_,
                                      std::string(test::kSmallLearningScenario) +
                                          "sweep: {key: algorithm.step_size, values: [0.1, 1]}\n",
                                      "sweep");
    const std::vector<RunData> runs = load_runs(sweep);
    QCOMPARE(runs.size(), std::size_t{2});
    QCOMPARE(runs[0].name, std::string("1-step_size=0.1"));
    QVERIFY(runs[0].learns());
  }
};

}  // namespace sgdsim

QTEST_MAIN(sgdsim::ChartTests)
#include "test_charts.moc"
