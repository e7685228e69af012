#pragma once
// The command line of sgdsim-gui: open the window, or plot and take screenshots headless.

#include <QSize>
#include <QString>
#include <QStringList>
#include <string>
#include <utility>
#include <vector>

namespace sgdsim {

/// What sgdsim-gui was asked to do.
struct GuiCommand {
  /// Open the window, write a chart (--plot), write a picture of the window (--screenshot), or
  /// print the usage (--help).
  enum class Mode { kWindow, kPlot, kScreenshot, kHelp };
  Mode mode = Mode::kWindow;
  QStringList inputs;      ///< Run directories and scenario files, in order.
  QString out;             ///< The image to write (--out of --plot, or the --screenshot file).
  QString chart = "loss";  ///< --chart: one of chart_kinds().
  QSize size{1200, 800};   ///< --size WIDTHxHEIGHT of the image, in pixels.
  QString tab;             ///< --tab: the tab the window shows first (tab_names()); empty: default.
  /// --knob NAME=VALUE, in order, split at the "=": classroom knobs to turn before the shot.
  std::vector<std::pair<std::string, std::string>> knobs;
  QString error;  ///< Why the command line is wrong; empty when it is right.
};

/// The kinds of chart --plot draws: loss, staleness, waiting, rounds, network, timeline.
QStringList chart_kinds();

/// The tabs of the main window, as --tab names them: timeline, convergence, staleness, network,
/// classroom.
QStringList tab_names();

/// Parses `arguments` (arguments[0] is the program) into a command; sets `error` when they are
/// wrong (an unknown option, --plot without --out or runs, a file name not .png or .svg, ...).
GuiCommand parse_gui_command(const QStringList& arguments);

/// True when `argv` asks for work without a display (--plot, --screenshot, --help): the Qt
/// platform must then be chosen (offscreen) before the application object is created.
bool runs_headless(int argc, const char* const* argv);

/// The text of --help.
QString gui_usage();

}  // namespace sgdsim
