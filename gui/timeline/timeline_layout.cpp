#include "gui/timeline/timeline_layout.hpp"

#include <QLocale>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "gui/timeline/timeline_style.hpp"

namespace sgdsim {
namespace {

constexpr double kMargin = 8.0;
constexpr double kBarShare = 0.8;   // of a lane's pitch; the rest separates lanes
constexpr double kWorkShare = 0.6;  // of a bar, when the lane has send and receive bands

/// The legend's entries, not yet placed: activities, idle, checkpoint kinds, then what the trace
/// holds (and whether it was cut short).
std::vector<LegendItem> legend_entries(const TraceData& trace) {
  std::vector<std::size_t> order(trace.activities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return activity_rank(trace.activities[a]) < activity_rank(trace.activities[b]);
  });
  std::vector<LegendItem> items;
  for (std::size_t a : order)
    items.push_back({LegendItem::Mark::kBox,
                     activity_color(trace.activities[a]),
                     QString::fromStdString(trace.activities[a]),
                     {}});
  if (trace.activity_index("idle") == trace.activities.size())
    items.push_back({LegendItem::Mark::kNone, Qt::gray, QObject::tr("blank: idle"), {}});
  for (const std::string& kind : trace.checkpoint_kinds) {
    const CheckpointStyle style = checkpoint_style(kind);
    items.push_back({style.emphasised ? LegendItem::Mark::kThickLine : LegendItem::Mark::kLine,
                     style.color,
                     QString::fromStdString(kind),
                     {}});
  }
  const QLocale locale(QLocale::English);
  QString facts = QObject::tr("%1 lanes, %2 spans, %3 checkpoints")
                      .arg(trace.lanes.size())
                      .arg(locale.toString(static_cast<qulonglong>(trace.span_count())))
                      .arg(locale.toString(static_cast<qulonglong>(trace.checkpoints.size())));
  items.push_back({LegendItem::Mark::kNone, Qt::darkGray, facts, {}});
  if (trace.events_dropped > 0)
    items.push_back({LegendItem::Mark::kNone,
                     QColor(0xA5, 0x0F, 0x15),
                     QObject::tr("trace cut short: %1 later events not written "
                                 "(output.trace_max_events)")
                         .arg(locale.toString(static_cast<qulonglong>(trace.events_dropped))),
                     {}});
  return items;
}

}  // namespace

TimelineLayout::TimelineLayout(const QRectF& area, const QFontMetricsF& fm, const TraceData* trace,
                               std::size_t first)
    : rect(area) {
  const QRectF inner = area.adjusted(kMargin, kMargin, -kMargin, -kMargin);
  if (trace == nullptr) {
    plot = inner;
    return;
  }
  // The legend, wrapped into as many rows as it needs.
  const double line = fm.height(), mark = line * 1.4, gap = line;
  double x = inner.left(), y = inner.top();
  for (LegendItem& item : legend_entries(*trace)) {
    const double width = (item.mark == LegendItem::Mark::kNone ? 0.0 : mark + line * 0.4) +
                         fm.horizontalAdvance(item.text);
    if (x > inner.left() && x + width > inner.right()) x = inner.left(), y += line * 1.3;
    item.place = QRectF(x, y, width, line);
    x += width + gap;
    legend.push_back(std::move(item));
  }
  const double legend_bottom = std::round(y + line * 1.6);

  total_lanes = trace->lanes.size();
  for (const TraceLane& lane : trace->lanes)
    has_network = has_network || !lane.band(Band::kSend).spans.empty() ||
                  !lane.band(Band::kReceive).spans.empty();
  const double marks_height = std::round(line * 1.2), axis_height = std::round(line * 1.8);
  const double room = std::max(inner.bottom() - legend_bottom - marks_height - axis_height, line);
  // Lanes tall enough for their label, at most four lines tall: enough for a lecture hall, and
  // beyond that taller bars say nothing more.
  const double min_pitch = line * (has_network ? 1.6 : 1.25), max_pitch = line * 4.0;
  const auto fitting = static_cast<std::size_t>(std::max(1.0, std::floor(room / min_pitch)));
  lane_count = std::min(total_lanes, fitting);
  first_lane = std::min(first, total_lanes - lane_count);
  pitch = lane_count == 0 ? min_pitch : std::min(max_pitch, room / static_cast<double>(lane_count));

  // The names are measured among the longest few: a layout is made for every paint and mouse
  // move, and measuring ten thousand "w1234"s each time would make dragging stutter.
  std::size_t longest = 0;
  for (const TraceLane& lane : trace->lanes) longest = std::max(longest, lane.name.size());
  double label_width = fm.horizontalAdvance(QStringLiteral("w00"));
  std::size_t measured = 0;
  for (auto lane = trace->lanes.begin(); lane != trace->lanes.end() && measured < 32; ++lane)
    if (lane->name.size() + 2 >= longest) {
      label_width = std::max(label_width, fm.horizontalAdvance(QString::fromStdString(lane->name)));
      ++measured;
    }
  if (lane_count < total_lanes)
    lane_note = QObject::tr("lanes %1-%2 of %3")
                    .arg(first_lane + 1)
                    .arg(first_lane + lane_count)
                    .arg(total_lanes);
  label_width = std::ceil(std::min(label_width + line, inner.width() * 0.3));
  marks =
      QRectF(inner.left() + label_width, legend_bottom, inner.width() - label_width, marks_height);
  plot =
      QRectF(marks.left(), marks.bottom(), marks.width(), pitch * static_cast<double>(lane_count));
  labels = QRectF(inner.left(), plot.top(), label_width, plot.height());
  axis = QRectF(plot.left(), plot.bottom(), plot.width(), axis_height);
}

QRectF TimelineLayout::band_rect(std::size_t lane, Band band) const {
  // Whole pixels, so that bars have crisp edges in a QImage.
  const double top = std::round(plot.top() + pitch * static_cast<double>(lane - first_lane) +
                                pitch * (1.0 - kBarShare) / 2.0);
  const double bar = std::round(pitch * kBarShare);
  if (!has_network) return QRectF(plot.left(), top, plot.width(), bar);
  const double work = std::round(bar * kWorkShare), send = std::floor((bar - work) / 2.0);
  switch (band) {
    case Band::kWork:
      return QRectF(plot.left(), top, plot.width(), work - 1.0);
    case Band::kSend:
      return QRectF(plot.left(), top + work, plot.width(), send);
    case Band::kReceive:
      break;
  }
  return QRectF(plot.left(), top + work + send, plot.width(), bar - work - send);
}

std::optional<RowHit> TimelineLayout::row_at(double y) const {
  if (pitch <= 0.0 || y < plot.top() || y >= plot.bottom()) return std::nullopt;
  const auto lane = first_lane + static_cast<std::size_t>((y - plot.top()) / pitch);
  for (Band band : {Band::kWork, Band::kSend, Band::kReceive}) {
    if (band != Band::kWork && !has_network) break;
    const QRectF r = band_rect(lane, band);
    if (y >= r.top() - 1.0 && y < r.bottom() + 1.0) return RowHit{lane, band};
  }
  return std::nullopt;
}

}  // namespace sgdsim
