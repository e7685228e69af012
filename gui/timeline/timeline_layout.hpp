#pragma once
// Where each part of the timeline goes in a rectangle: the legend on top, the lane labels on the
// left, the lanes, the time axis under them. Painting and hit-testing share it, so what the mouse
// points at is what was drawn there.

#include <QColor>
#include <QFontMetricsF>
#include <QRectF>
#include <QString>
#include <optional>
#include <vector>

#include "gui/timeline/trace_data.hpp"

namespace sgdsim {

/// One entry of the legend, placed.
struct LegendItem {
  enum class Mark { kBox, kLine, kThickLine, kNone };
  Mark mark = Mark::kNone;
  QColor color;
  QString text;
  QRectF place;  ///< The whole entry, mark and text.
};

/// A lane's band under a point.
struct RowHit {
  std::size_t lane = 0;
  Band band = Band::kWork;
};

/// The geometry of the timeline of `trace` in a rectangle.
struct TimelineLayout {
  /// Lays out `trace` (which may be null: nothing but a message) in `rect`, the lanes from
  /// `first_lane` on, measuring text with `fm`.
  TimelineLayout(const QRectF& rect, const QFontMetricsF& fm, const TraceData* trace,
                 std::size_t first_lane);

  QRectF rect;
  std::vector<LegendItem> legend;
  QRectF labels;               ///< The lane names, left of the plot.
  QRectF marks;                ///< The checkpoint labels, above the plot.
  QRectF plot;                 ///< The lanes.
  QRectF axis;                 ///< The time axis, under the plot.
  std::size_t first_lane = 0;  ///< The lane at the top of the plot.
  std::size_t lane_count = 0;  ///< The lanes shown.
  std::size_t total_lanes = 0;
  QString lane_note;         ///< "lanes 1-40 of 1000" when not all lanes fit, left of the marks.
  double pitch = 0.0;        ///< Lane height with its gap.
  bool has_network = false;  ///< Lanes have thin send and receive bands under the work band.

  /// The vertical extent of `band` of lane `lane` (which must be shown).
  QRectF band_rect(std::size_t lane, Band band) const;

  /// The lane and band under `y`, if any.
  std::optional<RowHit> row_at(double y) const;
};

}  // namespace sgdsim
