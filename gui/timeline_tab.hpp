#pragma once
// The Timeline tab: a run's trace in the timeline widget of gui/timeline/.

#include <QWidget>
#include <vector>

#include "gui/run_data.hpp"
#include "gui/timeline/timeline_view.hpp"

namespace sgdsim {

/// Shows the trace.json of a run, one lane per worker and parameter node.
class TimelineTab : public QWidget {
 public:
  explicit TimelineTab(QWidget* parent = nullptr);

  /// Shows the trace of the first of `runs` that has one (none: the timeline says so). Returns the
  /// error (file and position) when that trace is malformed, an empty string otherwise.
  QString setRuns(const std::vector<RunData>& runs);

  /// The widget File ▸ Export chart saves.
  TimelineView* view() const { return view_; }

 private:
  TimelineView* view_;
};

}  // namespace sgdsim
