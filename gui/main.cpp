// The sgdsim-gui program: the window, or headless plots and screenshots.

#include <QApplication>
#include <QTimer>
#include <iostream>

#include "app/scenario_error.hpp"
#include "gui/command_line.hpp"
#include "gui/headless.hpp"
#include "gui/main_window.hpp"

int main(int argc, char** argv) {
  // Plots and screenshots need no display: render off screen unless a platform was chosen.
  if (sgdsim::runs_headless(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName("sgdsim");
  QApplication::setApplicationName("sgdsim-gui");

  const sgdsim::GuiCommand command = sgdsim::parse_gui_command(QApplication::arguments());
  if (!command.error.isEmpty()) {
    std::cerr << "sgdsim-gui: " << command.error.toStdString() << "\n"
              << "Run sgdsim-gui --help for the options.\n";
    return sgdsim::exit_code::kUsage;
  }
  switch (command.mode) {
    case sgdsim::GuiCommand::Mode::kHelp:
      std::cout << sgdsim::gui_usage().toStdString() << "\n";
      return sgdsim::exit_code::kOk;
    case sgdsim::GuiCommand::Mode::kPlot:
      return sgdsim::plot_runs(command, std::cerr);
    case sgdsim::GuiCommand::Mode::kScreenshot:
      return sgdsim::save_screenshot(command, std::cerr);
    case sgdsim::GuiCommand::Mode::kWindow:
      break;
  }
  sgdsim::MainWindow window;
  if (!command.tab.isEmpty())
    window.showTab(static_cast<int>(sgdsim::tab_names().indexOf(command.tab)));
  window.show();
  // Open the inputs once the window is up, so that their errors show in it.
  QTimer::singleShot(0, &window, [&window, &command] { window.openPaths(command.inputs); });
  return QApplication::exec();
}
