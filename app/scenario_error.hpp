#pragma once
// Errors in a scenario, with the position of the fault.

#include <stdexcept>
#include <string>

namespace sgdsim {

/// Where a YAML value came from: a line and column (1-based) of the scenario file, or a
/// `--set KEY=VALUE` option of the command line.
struct Mark {
  int line = 0;
  int column = 0;
  std::string option;  ///< The `--set` text when the value came from the command line.
};

/// A scenario is invalid. `what()` is "FILE:LINE:COLUMN: message", or "option --set K=V: message"
/// for values given on the command line; `exit_code()` is 65 (bad data) or 64 (bad usage).
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(const std::string& file, const Mark& mark, const std::string& message);

  /// The sysexits code: 64 for a bad --set option, 65 for a bad scenario file.
  int exit_code() const { return from_option_ ? 64 : 65; }

 private:
  bool from_option_;
};

/// Exit codes of the `sgdsim` command (from BSD sysexits).
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kUsage = 64;         ///< Bad command-line use.
inline constexpr int kBadScenario = 65;   ///< The scenario file is malformed or invalid.
inline constexpr int kNoInput = 66;       ///< The scenario (or a file it names) does not exist.
inline constexpr int kUnavailable = 69;   ///< A program needed (sgdsim-gui for plot) is missing.
inline constexpr int kInternal = 70;      ///< A bug: the run failed for a reason not the user's.
inline constexpr int kCannotCreate = 73;  ///< The run directory cannot be created.
inline constexpr int kIoError = 74;       ///< Writing the run directory failed.
}  // namespace exit_code

}  // namespace sgdsim
