#pragma once
// The knobs of the Classroom tab as values, without widgets: what a scenario sets them to, how
// they turn into scenario overrides, and how --knob NAME=VALUE names them.

#include <string>
#include <utility>
#include <vector>

#include "app/scenario.hpp"

namespace sgdsim {

/// The knobs of the Classroom tab, as values.
struct ClassroomKnobs {
  /// "sync", "async", "backup", "ssp", "qsgd" (synchronous with QSGD compression), or empty: the
  /// scenario's own algorithm, left as it is.
  std::string algorithm = "sync";
  int workers = 8;
  double straggler_p = 0.0;       ///< Probability that a task is slowed.
  double straggler_factor = 4.0;  ///< How much slower a slowed task is.
  int backup_workers = 1;         ///< backup only.
  int staleness_bound = 2;        ///< ssp only.
  double step_size = 0.5;         ///< Applied only to scenarios that train a model.
  int qsgd_levels = 4;            ///< qsgd only.
};

/// What the knobs act on: the scenario's text and what of it the overrides must respect.
struct ClassroomBase {
  std::string text;               ///< The scenario's YAML.
  std::string file;               ///< Names it in messages and anchors its relative paths.
  std::string compute_time_yaml;  ///< compute.time in flow YAML, without its straggler wrapper.
  bool straggler = false;         ///< compute.time is a straggler law already.
  bool learns = true;             ///< A model is trained: step size and compression apply.
  bool qsgd = false;              ///< The scenario compresses with QSGD.
};

/// The built-in scenario: 8 workers training logistic regression on classification data for 300
/// updates, which simulates in a few milliseconds.
ClassroomBase builtin_classroom_base();

/// The `--set` overrides that put `knobs` into `base`: cluster.workers, compute.time (a straggler
/// law around the base law), algorithm.type, backup_workers, staleness_bound, step_size,
/// compression and qsgd_levels; and no trace, since the tab shows no timeline.
std::vector<Override> classroom_overrides(const ClassroomKnobs& knobs, const ClassroomBase& base);

/// The knobs as `scenario` (loaded from its YAML `text`, read from file `file`) sets them, and
/// what they act on in it.
std::pair<ClassroomBase, ClassroomKnobs> classroom_of(const std::string& text,
                                                      const std::string& file,
                                                      const Scenario& scenario);

/// A choice of the algorithm knob: a strategy of the table (app/strategies.hpp), or "qsgd".
struct ClassroomAlgorithm {
  std::string name;   ///< The knob's value.
  std::string title;  ///< What the tab shows: the strategy's title.
};

/// The algorithm knob's choices, in the tab's order: sync, async, backup, ssp, then qsgd
/// (synchronous SGD with QSGD compression).
const std::vector<ClassroomAlgorithm>& classroom_algorithms();

/// The knobs' names for --knob: algorithm, workers, straggler_p, straggler_factor,
/// backup_workers, staleness_bound, step_size, qsgd_levels.
std::vector<std::string> knob_names();

/// Sets knob `name` of `knobs` to `value`; returns why it cannot ("knob NAME: ..." for an unknown
/// knob, a value that is not a number of the knob's kind or outside its range), or an empty
/// string. The tab's widgets round what they show: the straggler probability to 2 decimals, the
/// step size to 3; backup workers stop at workers - 1.
std::string set_knob(ClassroomKnobs& knobs, const std::string& name, const std::string& value);

/// `names` as "a, b, c".
std::string comma_separated(const std::vector<std::string>& names);

}  // namespace sgdsim
