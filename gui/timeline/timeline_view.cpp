// TimelineView: the trace, the view's time range and lanes, and what the mouse and keys do to
// them. The drawing is in timeline_paint.cpp.

#include "gui/timeline/timeline_view.hpp"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "gui/timeline/timeline_layout.hpp"
#include "gui/timeline/timeline_style.hpp"

namespace sgdsim {
namespace {

/// The narrowest time range the view zooms to: a few nanoseconds per pixel at most, since the
/// trace's resolution is one nanosecond.
constexpr double kMinRangeNs = 50.0;
/// The slack around the run when it is all in view, as a share of its length.
constexpr double kSlack = 0.02;
/// How near (in pixels) the cursor must be to a span or checkpoint for its tooltip.
constexpr double kHoverPixels = 3.0;

}  // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);  // paint() fills every pixel
}

void TimelineView::setTrace(std::shared_ptr<const TraceData> trace) {
  trace_ = std::move(trace);
  colors_.clear();
  emphasised_.clear();
  if (trace_) {
    for (const std::string& name : trace_->activities) colors_.push_back(activity_color(name));
    for (std::size_t i = 0; i < trace_->checkpoints.size(); ++i)
      if (checkpoint_style(trace_->checkpoint_kinds[trace_->checkpoints[i].kind]).emphasised)
        emphasised_.push_back(i);
  }
  resetView();
}

void TimelineView::resetView() {
  first_lane_ = 0;
  if (trace_)
    setVisibleRange(-1e300, 1e300);  // clamped to the whole run and its slack
  else
    update();
}

void TimelineView::setVisibleRange(double begin_ns, double end_ns) {
  if (!trace_ || !std::isfinite(end_ns - begin_ns)) return;
  const double length = std::max(static_cast<double>(trace_->end - trace_->begin), kMinRangeNs);
  const double low = static_cast<double>(trace_->begin) - kSlack * length;
  const double high = static_cast<double>(trace_->end) + kSlack * length;
  const double width = std::clamp(end_ns - begin_ns, kMinRangeNs, high - low);
  begin_ = std::clamp(begin_ns, low, high - width);
  end_ = begin_ + width;
  update();
}

QRect TimelineView::plotArea(const QRect& rect) const {
  return TimelineLayout(rect, QFontMetricsF(font()), trace_.get(), first_lane_).plot.toRect();
}

QSize TimelineView::sizeHint() const {
  return {1000, 500};
}

void TimelineView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paint(painter, rect());
}

bool TimelineView::event(QEvent* e) {
  if (e->type() != QEvent::ToolTip) return QWidget::event(e);
  auto* help = static_cast<QHelpEvent*>(e);
  const QString text = toolTipAt(help->pos());
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(help->globalPos(), text, this);
  return true;
}

void TimelineView::zoomAt(double x, double factor) {
  const QRectF plot = plotArea(rect());
  const double share = std::clamp((x - plot.left()) / plot.width(), 0.0, 1.0);
  const double at = begin_ + share * (end_ - begin_);
  const double width = (end_ - begin_) * factor;
  setVisibleRange(at - share * width, at + (1.0 - share) * width);
}

void TimelineView::panBy(double ns) {
  setVisibleRange(begin_ + ns, end_ + ns);
}

void TimelineView::scrollLanesBy(long lanes) {
  const long lane_count = trace_ ? static_cast<long>(trace_->lanes.size()) : 0;
  first_lane_ = static_cast<std::size_t>(
      std::clamp(static_cast<long>(first_lane_) + lanes, 0L, std::max(lane_count - 1, 0L)));
  // The layout pulls first_lane_ back when the last lanes would leave the plot half empty.
  first_lane_ = TimelineLayout(rect(), QFontMetricsF(font()), trace_.get(), first_lane_).first_lane;
  update();
}

void TimelineView::wheelEvent(QWheelEvent* e) {
  const QPoint delta = e->angleDelta();  // 120 per notch of a mouse wheel
  const TimelineLayout l(rect(), QFontMetricsF(font()), trace_.get(), first_lane_);
  if (e->position().x() < l.plot.left() && delta.y() != 0) {
    scrollLanesBy(-3L * delta.y() / 120);
  } else if ((e->modifiers() & Qt::ShiftModifier) || std::abs(delta.x()) > std::abs(delta.y())) {
    const int d = delta.x() != 0 ? delta.x() : delta.y();
    panBy(-0.1 * (end_ - begin_) * d / 120.0);
  } else {
    zoomAt(e->position().x(), std::pow(2.0, -delta.y() / 240.0));  // a notch: x0.71 or x1.41
  }
  e->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
  dragging_ = true;
  drag_from_ = e->position().toPoint();
  drag_begin_ = begin_;
  drag_lane_ = first_lane_;
  setCursor(Qt::ClosedHandCursor);
}

void TimelineView::mouseMoveEvent(QMouseEvent* e) {
  if (!dragging_) return QWidget::mouseMoveEvent(e);
  const TimelineLayout l(rect(), QFontMetricsF(font()), trace_.get(), first_lane_);
  const QPoint moved = e->position().toPoint() - drag_from_;
  const double width = end_ - begin_;
  const double begin = drag_begin_ - moved.x() * width / l.plot.width();
  setVisibleRange(begin, begin + width);
  if (l.pitch > 0.0) {
    first_lane_ = drag_lane_;
    scrollLanesBy(-std::lround(moved.y() / l.pitch));
  }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(e);
  dragging_ = false;
  unsetCursor();
}

void TimelineView::keyPressEvent(QKeyEvent* e) {
  const double width = end_ - begin_;
  const double step = (e->modifiers() & Qt::ShiftModifier) ? 0.5 : 0.1;
  const TimelineLayout l(rect(), QFontMetricsF(font()), trace_.get(), first_lane_);
  const double middle = l.plot.center().x();
  switch (e->key()) {
    case Qt::Key_Left:
      panBy(-step * width);
      break;
    case Qt::Key_Right:
      panBy(step * width);
      break;
    case Qt::Key_Up:
      scrollLanesBy(-1);
      break;
    case Qt::Key_Down:
      scrollLanesBy(1);
      break;
    case Qt::Key_PageUp:
      scrollLanesBy(-static_cast<long>(l.lane_count));
      break;
    case Qt::Key_PageDown:
      scrollLanesBy(static_cast<long>(l.lane_count));
      break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      zoomAt(middle, 0.5);
      break;
    case Qt::Key_Minus:
      zoomAt(middle, 2.0);
      break;
    case Qt::Key_Home:
    case Qt::Key_0:
      resetView();
      break;
    default:
      QWidget::keyPressEvent(e);
      break;
  }
}

QString TimelineView::toolTipAt(const QPoint& pos) const {
  if (!trace_) return {};
  const TimelineLayout l(rect(), QFontMetricsF(font()), trace_.get(), first_lane_);
  if (!l.plot.contains(pos) || l.plot.width() <= 0.0) return {};
  const double pixel = (end_ - begin_) / l.plot.width();
  const double t = begin_ + (pos.x() - l.plot.left()) * pixel;
  const double tolerance = kHoverPixels * pixel;
  QStringList parts;
  if (const auto row = l.row_at(pos.y())) {
    const TraceLane& lane = trace_->lanes[row->lane];
    const QString text = spanText(lane, lane.band(row->band), t, tolerance, pixel);
    if (!text.isEmpty()) parts << text;
  }
  // The nearest checkpoint within reach.
  const auto& marks = trace_->checkpoints;
  auto it = std::lower_bound(marks.begin(), marks.end(), t, [](const TraceCheckpoint& c, double x) {
    return static_cast<double>(c.time) < x;
  });
  if (it != marks.begin() && (it == marks.end() || t - std::prev(it)->time < it->time - t)) --it;
  if (it != marks.end() && std::abs(static_cast<double>(it->time) - t) <= tolerance) {
    QString text = QString::fromStdString(trace_->checkpoint_kinds[it->kind]) + tr(" at ") +
                   format_exact(it->time);
    if (it->args != 0) text += '\n' + QString::fromStdString(std::string(trace_->args(it->args)));
    parts << text;
  }
  return parts.join(QStringLiteral("\n\n"));
}

QString TimelineView::spanText(const TraceLane& lane, const SpanList& list, double t,
                               double tolerance, double pixel) const {
  // The span drawn under t, else the nearest one drawn within reach.
  const auto [first, last] = list.visible(t - tolerance, t + tolerance);
  std::size_t best = last;
  double best_distance = tolerance;
  for (std::size_t i = first; i < last; ++i) {
    const TraceSegment& s = list.segments[i];
    const double start = static_cast<double>(s.start), end = static_cast<double>(s.end);
    const double distance = t < start ? start - t : t >= end ? t - end : 0.0;
    if (distance < best_distance || (distance == 0.0 && best == last))
      best = i, best_distance = distance;
  }
  QStringList lines;
  if (best != last) {
    const TraceSpan& s = list.spans[list.segments[best].span];
    lines << QString::fromStdString(lane.name + ": " + trace_->activities[s.activity]);
    lines << tr("%1 to %2 (%3)")
                 .arg(format_exact(s.start), format_exact(s.end), format_exact(s.end - s.start));
    if (s.args != 0) lines << QString::fromStdString(std::string(trace_->args(s.args)));
  }
  const ActivityPyramid& pyramid = list.pyramid;
  if (pyramid.levels() > 0 && pixel >= static_cast<double>(pyramid.bucket_width(0))) {
    // The pixel is drawn from the pyramid: say what it sums up.
    const double from = begin_ + std::floor((t - begin_) / pixel) * pixel;
    std::vector<double> time(pyramid.activities().size(), 0.0);
    pyramid.accumulate(from, from + pixel, time);
    QStringList shares;
    for (std::size_t c = 0; c < time.size(); ++c)
      if (time[c] >= 0.005 * pixel)
        shares << QStringLiteral("%1 %2%").arg(
            QString::fromStdString(trace_->activities[pyramid.activities()[c]]),
            QString::number(std::round(100.0 * time[c] / pixel)));
    if (!shares.isEmpty())
      lines << tr("%1 in this pixel (%2): %3")
                   .arg(QString::fromStdString(lane.name), format_exact(std::llround(pixel)),
                        shares.join(QStringLiteral(", ")));
  }
  return lines.join('\n');
}

}  // namespace sgdsim
