#pragma once
// The timeline of a run: one lane per worker, parameter node or HOGWILD! core, coloured bars for
// what each does when, and the synchronisation checkpoints as vertical lines across all lanes.

#include <QWidget>
#include <cstddef>
#include <memory>
#include <vector>

#include "gui/timeline/trace_data.hpp"

class QPainter;

namespace sgdsim {

struct TimelineLayout;

/// Shows a TraceData. The wheel zooms around the cursor (over the lane names it scrolls the
/// lanes), Shift+wheel and dragging pan, the arrow keys pan and scroll, + and - zoom, Home (or 0)
/// shows the whole run; hovering a bar tells what it is. However many spans the trace holds, a
/// frame costs about (lanes shown) x (pixel columns): zoomed out, each lane's pixel column takes
/// the colour of its dominant activity, read from the trace's level-of-detail pyramids.
class TimelineView : public QWidget {
  Q_OBJECT

 public:
  /// An empty timeline; it says so until a trace is set.
  explicit TimelineView(QWidget* parent = nullptr);

  /// Shows `trace` (null: none), the whole run in view.
  void setTrace(std::shared_ptr<const TraceData> trace);

  /// The trace shown, or null.
  const std::shared_ptr<const TraceData>& trace() const { return trace_; }

  /// Shows the whole run, from the first lane.
  void resetView();

  /// Shows the simulated times [begin_ns, end_ns), kept within the run and the zoom limits.
  void setVisibleRange(double begin_ns, double end_ns);

  /// The first and last simulated times in view, in nanoseconds.
  double visibleBegin() const { return begin_; }
  double visibleEnd() const { return end_; }

  /// Draws the timeline into `rect` of `painter`'s device, for the screen (paintEvent), a QImage
  /// or a QSvgGenerator alike: it depends on the view's trace, time range, lanes and font only.
  void paint(QPainter& painter, const QRect& rect) const;

  /// The part of `rect` holding the lanes, as paint() lays it out (the lane names are left of it).
  QRect plotArea(const QRect& rect) const;

  /// The tooltip for widget position `pos`: the lane, the activity, its start, end and duration
  /// and its arguments; when a pixel holds many spans, the share of each activity in it; and any
  /// checkpoint under the cursor. Empty when there is nothing there.
  QString toolTipAt(const QPoint& pos) const;

  /// Room for a few lanes and a readable axis.
  QSize sizeHint() const override;

 protected:
  // Tooltips (QEvent::ToolTip), painting, zooming and panning.
  bool event(QEvent* e) override;
  void paintEvent(QPaintEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;

 private:
  // The parts of paint(), in drawing order after the legend: lanes (with their names and the
  // grid), checkpoints, axis.
  void paintLanes(QPainter& painter, const TimelineLayout& l) const;
  void paintCheckpoints(QPainter& painter, const TimelineLayout& l) const;
  void paintAxis(QPainter& painter, const TimelineLayout& l) const;
  void paintLegend(QPainter& painter, const TimelineLayout& l) const;
  /// The label over checkpoint `index`: "round 12", "worker failed (worker 3)".
  QString checkpointLabel(std::size_t index) const;
  /// The tooltip lines for time `t` in band `list` of `lane`, with `pixel` ns per pixel.
  QString spanText(const TraceLane& lane, const SpanList& list, double t, double tolerance,
                   double pixel) const;
  /// Zooms by `factor` (< 1: in) keeping the time under widget x-coordinate `x` in place.
  void zoomAt(double x, double factor);
  /// Moves the view `ns` later.
  void panBy(double ns);
  /// Scrolls `lanes` lanes down (negative: up), as far as there are lanes.
  void scrollLanesBy(long lanes);

  std::shared_ptr<const TraceData> trace_;
  std::vector<QColor> colors_;           // per activity of the trace
  std::vector<std::size_t> emphasised_;  // checkpoints drawn thick whatever the zoom
  double begin_ = 0.0, end_ = 1.0;       // the time range in view, ns
  std::size_t first_lane_ = 0;
  bool dragging_ = false;
  QPoint drag_from_;
  double drag_begin_ = 0.0;
  std::size_t drag_lane_ = 0;
};

}  // namespace sgdsim
