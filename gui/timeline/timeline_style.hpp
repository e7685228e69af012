#pragma once
// How the timeline looks: the colours of activities and checkpoints, fixed per name so that every
// run looks the same, and how times are written on the axis and in tooltips.

#include <QColor>
#include <QString>
#include <cstdint>
#include <string_view>

namespace sgdsim {

/// The colour of activity `name`. The activities sgdsim writes have fixed colours from Okabe and
/// Ito's colour-blind-safe palette (compute blue, send orange, receive sky blue, wait vermillion,
/// blocked reddish purple, read green, write yellow, idle grey; all-reduce Tol's wine); any other
/// name gets a colour of Paul Tol's muted palette chosen by a hash of the name.
QColor activity_color(std::string_view name);

/// The rank of activity `name` in the legend: work first, then the network, then waiting.
int activity_rank(std::string_view name);

/// How a kind of checkpoint is drawn.
struct CheckpointStyle {
  QColor color;
  bool emphasised = false;  ///< Drawn thick and always labelled: a worker's failure.
};

/// The style of checkpoints named `kind` ("round end", "clock", "worker failed", ...).
CheckpointStyle checkpoint_style(std::string_view kind);

/// The axis step for ticks at least `min_ns` apart: 1, 2 or 5 times a power of ten nanoseconds.
double tick_step(double min_ns);

/// A tick label: `ns` (a multiple of `step`) in the largest unit it reaches in which the step
/// needs at most three decimals ("0", "500 µs", "2 ms", "1.5 s", "1.002 s", "4123.5 ms").
QString format_tick(double ns, double step);

/// An exact time or duration in the largest unit it reaches, all its nanoseconds kept and
/// trailing zeros dropped ("4.893303158 s", "320 µs", "64 ns").
QString format_exact(std::int64_t ns);

}  // namespace sgdsim
