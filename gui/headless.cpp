#include "gui/headless.hpp"

#include <QApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <algorithm>

#include "app/scenario_error.hpp"
#include "gui/chart_export.hpp"
#include "gui/charts.hpp"
#include "gui/classroom_panel.hpp"
#include "gui/main_window.hpp"
#include "gui/timeline_tab.hpp"

namespace sgdsim {
namespace {

/// The chart `kind` (not the timeline) of `runs`.
std::unique_ptr<QChart> chart_of(const QString& kind, const std::vector<RunData>& runs) {
  if (kind == "staleness") return make_staleness_chart(runs);
  if (kind == "waiting") return make_activity_chart(runs.front());
  if (kind == "rounds") return make_rounds_chart(runs);
  if (kind == "network") return make_network_chart(runs);
  return make_convergence_chart(runs);
}

}  // namespace

int plot_runs(const GuiCommand& command, std::ostream& err) {
  std::vector<RunData> runs;
  for (const QString& input : command.inputs) {
    if (!QFileInfo(input).isDir()) {
      err << input.toStdString() << ": no such run directory\n";
      return exit_code::kNoInput;
    }
    try {
      for (RunData& run : load_runs(input.toStdString())) runs.push_back(std::move(run));
    } catch (const RunDataError& e) {
      err << e.what() << "\n";
      return exit_code::kBadScenario;
    }
  }
  try {
    if (command.chart == "timeline") {
      if (std::none_of(runs.begin(), runs.end(), [](const RunData& run) {
            return std::filesystem::exists(run.trace_file());
          })) {
        err << "sgdsim-gui: no trace.json in these runs (output.trace was off)\n";
        return exit_code::kNoInput;
      }
      TimelineTab timeline;
      const QString error = timeline.setRuns(runs);
      if (!error.isEmpty()) {
        err << error.toStdString() << "\n";
        return exit_code::kBadScenario;
      }
      lay_out_off_screen(timeline, command.size);
      save_widget_image(*timeline.view(), command.out);
    } else {
      save_chart_image(chart_of(command.chart, runs), command.size, command.out);
    }
  } catch (const ExportError& e) {
    err << "sgdsim-gui: " << e.what() << "\n";
    return exit_code::kIoError;
  }
  return exit_code::kOk;
}

int save_screenshot(const GuiCommand& command, std::ostream& err) {
  MainWindow window;
  window.openPaths(command.inputs);
  if (!command.tab.isEmpty()) window.showTab(static_cast<int>(tab_names().indexOf(command.tab)));
  if (command.tab == "classroom") {
    // The tab runs its knobs only when turned: run them once, then with the --knob changes, and
    // wait each time, so the picture has a run (over the faded first when knobs were turned).
    ClassroomPanel& classroom = *window.classroom();
    const auto run_now = [&classroom]() -> QString {
      QEventLoop ran;
      QString failure;
      // Connected before rerun(), which reports a scenario the knobs break before it returns.
      const auto shown =
          QObject::connect(&classroom, &ClassroomPanel::rerunShown, &ran, &QEventLoop::quit);
      const auto failed = QObject::connect(&classroom, &ClassroomPanel::rerunFailed, &ran,
                                           [&ran, &failure](const QString& message) {
                                             failure = message;
                                             ran.quit();
                                           });
      classroom.rerun();
      if (failure.isEmpty() && classroom.running()) ran.exec();
      QObject::disconnect(shown);
      QObject::disconnect(failed);
      return failure;
    };
    QString failure = run_now();
    if (failure.isEmpty() && !command.knobs.empty()) {
      ClassroomKnobs knobs = classroom.knobs();
      for (const auto& [name, value] : command.knobs)  // Checked by parse_gui_command.
        set_knob(knobs, name, value);
      classroom.setKnobs(knobs);
      failure = run_now();  // Now, not after the debounce delay.
    }
    if (!failure.isEmpty()) {
      err << "sgdsim-gui: the classroom's run failed: " << failure.toStdString() << "\n";
      return exit_code::kBadScenario;
    }
  }
  lay_out_off_screen(window, command.size);
  try {
    save_widget_image(window, command.out);
  } catch (const ExportError& e) {
    err << "sgdsim-gui: " << e.what() << "\n";
    return exit_code::kIoError;
  }
  return exit_code::kOk;
}

}  // namespace sgdsim
