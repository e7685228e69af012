#pragma once
// sgdsim-gui's work without a window: --plot (a chart of run directories to PNG or SVG, what
// `sgdsim plot` runs) and --screenshot (a picture of the main window).

#include <ostream>

#include "gui/command_line.hpp"

namespace sgdsim {

/// Loads the command's run directories, draws its chart and writes it to command.out. Returns the
/// exit code (0; 65 malformed run directory; 66 missing one, or no trace for the timeline; 74 the
/// image cannot be written), with the reason on `err`.
int plot_runs(const GuiCommand& command, std::ostream& err);

/// Opens the command's inputs in the main window, lays it out off screen and saves it to
/// command.out. Returns 0, or 74 when the picture cannot be written. Inputs that fail to open
/// show their error in the picture, as they would on screen.
int save_screenshot(const GuiCommand& command, std::ostream& err);

}  // namespace sgdsim
