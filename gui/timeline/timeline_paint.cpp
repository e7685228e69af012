// TimelineView::paint: the legend, the lanes, the checkpoints and the time axis. Every loop here
// runs over pixel columns or over the spans in view, never over the whole trace.

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "gui/timeline/timeline_layout.hpp"
#include "gui/timeline/timeline_style.hpp"
#include "gui/timeline/timeline_view.hpp"

namespace sgdsim {
namespace {

const QColor kStripe(0xF3, 0xF3, 0xF3);
const QColor kGrid(0xE2, 0xE2, 0xE2);
const QColor kInk(0x20, 0x20, 0x20);

/// Fills a band column by column, merging adjacent columns of the same colour into one
/// rectangle: a band of one activity is one rectangle (and one SVG element), not one per pixel.
class ColumnFiller {
 public:
  ColumnFiller(QPainter& painter, const QRectF& band) : painter_(painter), band_(band) {}
  ~ColumnFiller() { flush(); }
  ColumnFiller(const ColumnFiller&) = delete;
  ColumnFiller& operator=(const ColumnFiller&) = delete;

  /// Column `x` (from the band's left) takes `color`.
  void column(long x, const QColor& color) {
    if (x == end_ && color == color_) {
      ++end_;
      return;
    }
    flush();
    start_ = x, end_ = x + 1, color_ = color;
  }

  /// Draws the pending run.
  void flush() {
    if (end_ > start_)
      painter_.fillRect(QRectF(band_.left() + static_cast<double>(start_), band_.top(),
                               static_cast<double>(end_ - start_), band_.height()),
                        color_);
    start_ = end_ = 0;
  }

 private:
  QPainter& painter_;
  QRectF band_;
  long start_ = 0, end_ = 0;
  QColor color_;
};

/// The colour of a pixel column: its dominant activity, fainter the less of the column is busy
/// (in sixteen steps, so that neighbouring columns merge).
QColor column_color(std::span<const double> time, double pixel, const std::vector<QColor>& colors,
                    const std::vector<std::uint16_t>& activities) {
  double total = 0.0;
  std::size_t best = 0;
  for (std::size_t c = 0; c < time.size(); ++c) {
    total += time[c];
    if (time[c] > time[best]) best = c;
  }
  if (total <= 0.0) return {};
  QColor color = colors[activities[best]];
  const double alpha = 0.35 + 0.65 * std::min(1.0, total / pixel);
  color.setAlpha(static_cast<int>(std::round(alpha * 16.0) * 255.0 / 16.0));
  return color;
}

/// Draws one band of a lane over [t0, t0 + width * pixel): each pixel column takes the colour of
/// the activity that fills most of it. Zoomed out, the time per activity in a column comes from
/// the pyramid, a few buckets whatever the column holds; zoomed in (a pixel narrower than level
/// 0's buckets), from the segments in view, each added to the columns it covers, so the cost is
/// the segments in view plus the pixels.
void paint_band(QPainter& p, const SpanList& list, const QRectF& band, double t0, double pixel,
                const std::vector<QColor>& colors) {
  if (list.segments.empty()) return;
  const ActivityPyramid& pyramid = list.pyramid;
  const std::vector<std::uint16_t>& activities = pyramid.activities();
  const std::size_t n = activities.size();
  const double width = std::ceil(band.width());
  // The columns [from, to) that the band's segments reach.
  const double from = std::clamp(
      std::floor((static_cast<double>(list.segments.front().start) - t0) / pixel), 0.0, width);
  const double to = std::clamp(
      std::ceil((static_cast<double>(list.segments.back().end) - t0) / pixel), from, width);
  const auto columns = static_cast<std::size_t>(to - from);
  std::vector<double> time(columns * n, 0.0);
  const bool zoomed_out = pixel >= static_cast<double>(pyramid.bucket_width(0));
  const auto [begin, end] = list.visible(t0 + from * pixel, t0 + to * pixel);
  if (zoomed_out) {
    for (std::size_t c = 0; c < columns; ++c) {
      const double a = t0 + (from + static_cast<double>(c)) * pixel;
      pyramid.accumulate(a, a + pixel, std::span<double>(time).subspan(c * n, n));
    }
  } else {
    std::vector<std::size_t> column_of(colors.size(), 0);
    for (std::size_t k = 0; k < n; ++k) column_of[activities[k]] = k;
    for (std::size_t i = begin; i < end; ++i) {
      const TraceSegment& s = list.segments[i];
      const double x0 = std::max((static_cast<double>(s.start) - t0) / pixel - from, 0.0);
      const double x1 =
          std::min((static_cast<double>(s.end) - t0) / pixel - from, static_cast<double>(columns));
      for (double x = std::floor(x0); x < x1; x += 1.0)
        time[static_cast<std::size_t>(x) * n + column_of[s.activity]] +=
            (std::min(x1, x + 1.0) - std::max(x0, x)) * pixel;
    }
  }
  {
    ColumnFiller filler(p, band);
    for (std::size_t c = 0; c < columns; ++c) {
      const QColor color =
          column_color(std::span<const double>(time).subspan(c * n, n), pixel, colors, activities);
      if (color.isValid()) filler.column(static_cast<long>(from) + static_cast<long>(c), color);
    }
  }
  if (zoomed_out || band.height() < 6.0) return;
  // Outlines keep back-to-back spans of one activity apart where there is room to see them.
  p.setBrush(Qt::NoBrush);
  for (std::size_t i = begin; i < end; ++i) {
    const TraceSegment& s = list.segments[i];
    const double left = std::round(std::max((static_cast<double>(s.start) - t0) / pixel, -1.0));
    const double right =
        std::round(std::min((static_cast<double>(s.end) - t0) / pixel, width + 1.0));
    if (right - left < 12.0) continue;
    p.setPen(QPen(colors[s.activity].darker(140), 1.0));
    p.drawRect(QRectF(band.left() + left + 0.5, band.top() + 0.5, right - left - 1.0,
                      band.height() - 1.0));
  }
}

/// The step between axis ticks: labels about a hundred pixels apart, never overlapping.
double axis_step(const QFontMetricsF& fm, double begin, double end, double pixel) {
  double step = tick_step(std::max(pixel * 80.0, (end - begin) / 50.0));
  const double widest = std::max(fm.horizontalAdvance(format_tick(begin, step)),
                                 fm.horizontalAdvance(format_tick(end, step)));
  const double needed = (widest + 2.0 * fm.height()) * pixel;
  return step < needed ? tick_step(needed) : step;
}

}  // namespace

void TimelineView::paint(QPainter& painter, const QRect& rect) const {
  painter.save();
  painter.setFont(font());
  painter.fillRect(rect, Qt::white);
  const TimelineLayout l(rect, QFontMetricsF(font(), painter.device()), trace_.get(), first_lane_);
  if (!trace_ || trace_->lanes.empty()) {
    painter.setPen(Qt::darkGray);
    painter.drawText(
        rect, Qt::AlignCenter,
        trace_ ? tr("The trace has no lanes.") : tr("No trace: open a run directory."));
    painter.restore();
    return;
  }
  if (l.plot.width() < 8.0 || l.plot.height() < 1.0) {  // too small to show anything
    painter.restore();
    return;
  }
  paintLegend(painter, l);
  paintLanes(painter, l);
  paintCheckpoints(painter, l);
  paintAxis(painter, l);
  painter.restore();
}

void TimelineView::paintLegend(QPainter& painter, const TimelineLayout& l) const {
  const QFontMetricsF fm(painter.font(), painter.device());
  for (const LegendItem& item : l.legend) {
    const QRectF r = item.place;
    double text_left = r.left();
    if (item.mark != LegendItem::Mark::kNone) {
      const QRectF mark(r.left(), r.top(), fm.height() * 1.4, r.height());
      text_left = mark.right() + fm.height() * 0.4;
      if (item.mark == LegendItem::Mark::kBox) {
        const QRectF box = mark.adjusted(0, r.height() * 0.15, 0, -r.height() * 0.15);
        painter.fillRect(box, item.color);
        painter.setPen(QPen(item.color.darker(140), 1.0));
        painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5));
      } else {
        painter.setPen(QPen(item.color, item.mark == LegendItem::Mark::kThickLine ? 3.0 : 1.5));
        painter.drawLine(QPointF(mark.center().x(), mark.top()),
                         QPointF(mark.center().x(), mark.bottom()));
      }
    }
    painter.setPen(item.mark == LegendItem::Mark::kNone ? item.color : kInk);
    painter.drawText(QRectF(text_left, r.top(), r.right() - text_left, r.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, item.text);
  }
}

void TimelineView::paintLanes(QPainter& painter, const TimelineLayout& l) const {
  const QFontMetricsF fm(painter.font(), painter.device());
  const double pixel = (end_ - begin_) / l.plot.width();
  for (std::size_t lane = l.first_lane; lane < l.first_lane + l.lane_count; ++lane) {
    const double top = l.plot.top() + l.pitch * static_cast<double>(lane - l.first_lane);
    if (lane % 2 == 1)
      painter.fillRect(QRectF(l.labels.left(), top, l.plot.right() - l.labels.left(), l.pitch),
                       kStripe);
    const QRectF work = l.band_rect(lane, Band::kWork);
    painter.setPen(kInk);
    const QString name = QString::fromStdString(trace_->lanes[lane].name);
    painter.drawText(
        QRectF(l.labels.left(), work.top(), l.labels.width() - fm.height() * 0.5, work.height()),
        Qt::AlignLeft | Qt::AlignVCenter,
        fm.elidedText(name, Qt::ElideRight, l.labels.width() - fm.height() * 0.5));
  }
  if (l.total_lanes > l.lane_count) {
    painter.setPen(Qt::darkGray);
    // Wider than the lane names, it reaches over the marks' row, whose labels keep clear of it.
    painter.drawText(
        QRectF(l.labels.left(), l.marks.top(), fm.horizontalAdvance(l.lane_note), l.marks.height()),
        Qt::AlignLeft | Qt::AlignVCenter, l.lane_note);
    // A scroll indicator just right of the plot.
    const double share = l.plot.height() / static_cast<double>(l.total_lanes);
    painter.fillRect(QRectF(l.plot.right() + 2, l.plot.top(), 4, l.plot.height()), kGrid);
    painter.fillRect(
        QRectF(l.plot.right() + 2, l.plot.top() + share * static_cast<double>(l.first_lane), 4,
               std::max(4.0, share * static_cast<double>(l.lane_count))),
        Qt::darkGray);
  }
  painter.save();
  painter.setClipRect(l.plot);
  // Light grid lines at the axis ticks, under the bars.
  const double step = axis_step(fm, begin_, end_, pixel);
  painter.setPen(QPen(kGrid, 1.0));
  for (double k = std::ceil(begin_ / step); k * step <= end_; k += 1.0) {
    const double x = std::round(l.plot.left() + (k * step - begin_) / pixel) + 0.5;
    painter.drawLine(QPointF(x, l.plot.top()), QPointF(x, l.plot.bottom()));
  }
  for (std::size_t lane = l.first_lane; lane < l.first_lane + l.lane_count; ++lane)
    for (Band band : {Band::kWork, Band::kSend, Band::kReceive})
      if (band == Band::kWork || l.has_network)
        paint_band(painter, trace_->lanes[lane].band(band), l.band_rect(lane, band), begin_, pixel,
                   colors_);
  painter.restore();
}

void TimelineView::paintAxis(QPainter& painter, const TimelineLayout& l) const {
  const QFontMetricsF fm(painter.font(), painter.device());
  const double pixel = (end_ - begin_) / l.plot.width();
  const double step = axis_step(fm, begin_, end_, pixel);
  const double tick = fm.height() * 0.35;
  painter.setPen(QPen(kInk, 1.0));
  painter.drawLine(QPointF(l.plot.left(), l.axis.top() + 0.5),
                   QPointF(l.plot.right(), l.axis.top() + 0.5));
  const QString title = tr("time");
  const double title_end = l.labels.left() + fm.horizontalAdvance(title) + fm.height() * 0.5;
  for (double k = std::ceil(begin_ / step); k * step <= end_; k += 1.0) {
    const double x = std::round(l.plot.left() + (k * step - begin_) / pixel) + 0.5;
    painter.drawLine(QPointF(x, l.axis.top()), QPointF(x, l.axis.top() + tick));
    const QString label = format_tick(k * step, step);
    const double w = fm.horizontalAdvance(label);
    const double left = std::clamp(x - w / 2.0, title_end, l.rect.right() - w);
    painter.drawText(QRectF(left, l.axis.top() + tick, w, l.axis.height() - tick),
                     Qt::AlignHCenter | Qt::AlignVCenter, label);
  }
  painter.setPen(Qt::darkGray);
  painter.drawText(
      QRectF(l.labels.left(), l.axis.top() + tick, l.labels.width(), l.axis.height() - tick),
      Qt::AlignLeft | Qt::AlignVCenter, title);
}

QString TimelineView::checkpointLabel(std::size_t index) const {
  const TraceCheckpoint& c = trace_->checkpoints[index];
  const std::string_view args = trace_->args(c.args);
  // The first argument says which one it is: "round: 12" is labelled "round 12".
  QString first = QString::fromUtf8(args.substr(0, args.find('\n')));
  first.replace(QStringLiteral(": "), QStringLiteral(" "));
  const QString kind = QString::fromStdString(trace_->checkpoint_kinds[c.kind]);
  if (first.isEmpty()) return kind;
  return checkpoint_style(trace_->checkpoint_kinds[c.kind]).emphasised ? kind + " (" + first + ")"
                                                                       : first;
}

void TimelineView::paintCheckpoints(QPainter& painter, const TimelineLayout& l) const {
  const auto& marks = trace_->checkpoints;
  const QFontMetricsF fm(painter.font(), painter.device());
  const double pixel = (end_ - begin_) / l.plot.width();
  const auto before = [](const TraceCheckpoint& c, double t) {
    return static_cast<double>(c.time) < t;
  };
  const auto first = std::lower_bound(marks.begin(), marks.end(), begin_, before);
  const auto last = std::lower_bound(first, marks.end(), end_, before);
  const auto count = static_cast<double>(last - first);
  const auto x_of = [&](std::int64_t t) {
    return std::floor(l.plot.left() + (static_cast<double>(t) - begin_) / pixel) + 0.5;
  };
  const auto style_of = [&](const TraceCheckpoint& c) {
    return checkpoint_style(trace_->checkpoint_kinds[c.kind]);
  };
  painter.save();
  painter.setClipRect(l.marks.united(l.plot));
  // Dense checkpoints fade, so that hundreds of round ends do not hide the bars between them;
  // denser than one in four pixels, they would only grey the lanes out, and become a rug of
  // ticks above the lanes instead.
  const double alpha = std::clamp(l.plot.width() / std::max(count, 1.0) / 16.0, 0.15, 1.0);
  const double bottom = count * 4.0 <= l.plot.width() ? l.plot.bottom() : l.plot.top();
  for (auto it = first; it != last;) {
    // One line per pixel column at most: the first checkpoint in it stands for the others.
    const double x = x_of(it->time);
    QColor color = style_of(*it).color;
    color.setAlphaF(static_cast<float>(alpha));
    painter.setPen(QPen(color, 1.0));
    painter.drawLine(QPointF(x, l.plot.top() - l.marks.height() * 0.25), QPointF(x, bottom));
    it = std::lower_bound(it, last, begin_ + (x + 0.5 - l.plot.left()) * pixel, before);
  }
  // Labels where there is room for them; the emphasised (failures) last, thick, on a white
  // backdrop over the others' labels.
  const double clear_of_note =
      l.lane_note.isEmpty() ? -1e300 : l.labels.left() + fm.horizontalAdvance(l.lane_note) + 4.0;
  double free_from = clear_of_note;
  const auto label = [&](std::size_t index, const QColor& color, bool backdrop) {
    const QString text = checkpointLabel(index);
    const double w = fm.horizontalAdvance(text), x = x_of(marks[index].time);
    if (x - w / 2.0 < free_from) return;
    const QRectF place(x - w / 2.0, l.marks.top(), w, l.marks.height());
    if (backdrop) painter.fillRect(place, Qt::white);
    painter.setPen(color);
    painter.drawText(place, Qt::AlignCenter, text);
    free_from = x + w / 2.0 + fm.height() * 0.5;
  };
  if (count <= l.plot.width() / (fm.height() * 2.0))
    for (auto it = first; it != last; ++it)
      if (!style_of(*it).emphasised)
        label(static_cast<std::size_t>(it - marks.begin()), kInk, false);
  free_from = clear_of_note;
  for (std::size_t index : emphasised_) {
    const TraceCheckpoint& c = marks[index];
    if (static_cast<double>(c.time) < begin_ || static_cast<double>(c.time) >= end_) continue;
    const QColor color = style_of(c).color;
    painter.setPen(QPen(color, 3.0));
    painter.drawLine(QPointF(x_of(c.time), l.plot.top()), QPointF(x_of(c.time), l.plot.bottom()));
    label(index, color, true);
  }
  painter.restore();
}

}  // namespace sgdsim
