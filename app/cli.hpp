#pragma once
// The `sgdsim` command line, as a function so tests can call it in-process.

#include <ostream>

namespace sgdsim {

/// Runs the `sgdsim` command with `argv` (argv[0] is the program name) and returns its exit code:
/// 0 on success, 64 bad usage, 65 bad scenario, 66 missing file, 69 no sgdsim-gui for `plot`
/// (which otherwise replaces the process with it), 70 internal error, 73/74 when the run directory
/// cannot be created or written; 130 / 143 when SIGINT / SIGTERM stopped a run that kept what
/// it did (only in the `sgdsim` program, whose main watches for them: app/interrupts.hpp).
int sgdsim_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace sgdsim
