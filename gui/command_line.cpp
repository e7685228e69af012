#include "gui/command_line.hpp"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <cstring>
#include <optional>

#include "gui/chart_export.hpp"
#include "gui/classroom_knobs.hpp"

namespace sgdsim {
namespace {

/// The options, declared once for parsing and for the usage text.
struct Options {
  QCommandLineOption plot{"plot", "Write a chart of the RUN_DIRs to --out and exit."};
  QCommandLineOption out{"out", "The image --plot writes: FILE.png or FILE.svg.", "FILE"};
  QCommandLineOption chart{
      "chart", "The chart --plot draws: " + chart_kinds().join(", ") + " (default loss).", "KIND",
      "loss"};
  QCommandLineOption screenshot{
      "screenshot", "Open the inputs, save a picture of the window to FILE.png and exit.", "FILE"};
  QCommandLineOption tab{"tab", "The tab the window opens on: " + tab_names().join(", ") + ".",
                         "NAME"};
  QCommandLineOption knob{
      "knob",
      "With --screenshot --tab classroom: after a run of the scenario's own knobs, turn this "
      "one and run again, so the picture shows the new run over the faded first (values as the "
      "tab's widgets round them). Repeatable. "
      "NAME: " +
          QString::fromStdString(comma_separated(knob_names())) + ".",
      "NAME=VALUE"};
  QCommandLineOption size{"size", "The picture's size in pixels (default 1200x800).",
                          "WIDTHxHEIGHT"};
  QCommandLineOption help{QStringList{"h", "help"}, "Print this help and exit."};

  void add_to(QCommandLineParser& parser) const {
    parser.setApplicationDescription(
        "sgdsim-gui: look at sgdsim's runs (timelines, convergence, staleness, network) and run "
        "scenarios.");
    parser.addOptions({plot, out, chart, screenshot, tab, knob, size, help});
    parser.addPositionalArgument("inputs", "Run directories and scenario files (YAML) to open.",
                                 "[RUN_DIR|SCENARIO.yaml ...]");
  }
};

std::optional<QSize> parse_size(const QString& text) {
  const QRegularExpressionMatch m = QRegularExpression("^([0-9]{2,5})x([0-9]{2,5})$").match(text);
  if (!m.hasMatch()) return std::nullopt;
  return QSize(m.captured(1).toInt(), m.captured(2).toInt());
}

}  // namespace

QStringList tab_names() {
  return {"timeline", "convergence", "staleness", "network", "classroom"};
}

QStringList chart_kinds() {
  return {"loss", "staleness", "waiting", "rounds", "network", "timeline"};
}

GuiCommand parse_gui_command(const QStringList& arguments) {
  const Options options;
  QCommandLineParser parser;
  options.add_to(parser);
  GuiCommand command;
  if (!parser.parse(arguments)) {
    command.error = parser.errorText();
    return command;
  }
  command.inputs = parser.positionalArguments();
  command.chart = parser.value(options.chart);
  if (parser.isSet(options.help)) {
    command.mode = GuiCommand::Mode::kHelp;
    return command;
  }
  command.tab = parser.value(options.tab);
  if (!command.tab.isEmpty() && !tab_names().contains(command.tab))
    command.error = "--tab " + command.tab + ": not one of " + tab_names().join(", ");
  if (parser.isSet(options.size)) {
    const std::optional<QSize> size = parse_size(parser.value(options.size));
    if (!size) command.error = "--size wants WIDTHxHEIGHT in pixels, such as 1200x800";
    if (size) command.size = *size;
  }
  if (parser.isSet(options.plot) && parser.isSet(options.screenshot))
    command.error = "--plot and --screenshot cannot be given together";
  else if (parser.isSet(options.plot)) {
    command.mode = GuiCommand::Mode::kPlot;
    command.out = parser.value(options.out);
    if (command.out.isEmpty())
      command.error = "--plot needs --out FILE.png or --out FILE.svg";
    else if (command.inputs.isEmpty())
      command.error = "--plot needs at least one run directory";
    else if (!chart_kinds().contains(command.chart))
      command.error = "--chart " + command.chart + ": not one of " + chart_kinds().join(", ");
  } else if (parser.isSet(options.screenshot)) {
    command.mode = GuiCommand::Mode::kScreenshot;
    command.out = parser.value(options.screenshot);
  } else if (parser.isSet(options.out) || parser.isSet(options.chart)) {
    command.error = "--out and --chart go with --plot";
  }
  const QStringList knobs = parser.values(options.knob);
  if (!knobs.isEmpty() && command.error.isEmpty() &&
      (command.mode != GuiCommand::Mode::kScreenshot || command.tab != "classroom"))
    command.error = "--knob goes with --screenshot and --tab classroom";
  ClassroomKnobs validated;
  for (const QString& knob : knobs) {
    const qsizetype equals = knob.indexOf('=');
    command.knobs.emplace_back(knob.left(equals).toStdString(), knob.mid(equals + 1).toStdString());
    const auto& [name, value] = command.knobs.back();
    const std::string error = equals < 0 ? "knob " + knob.toStdString() + ": wants NAME=VALUE"
                                         : set_knob(validated, name, value);
    if (!error.empty() && command.error.isEmpty())
      command.error = QString::fromStdString("--" + error);
  }
  if (command.error.isEmpty() && command.mode != GuiCommand::Mode::kWindow &&
      !is_image_path(command.out))
    command.error = command.out + ": the image's name must end in .png or .svg";
  return command;
}

bool runs_headless(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i)
    for (const char* option : {"--plot", "--screenshot", "--help", "-h"})
      if (std::strcmp(argv[i], option) == 0 ||
          (std::strncmp(argv[i], option, std::strlen(option)) == 0 &&
           argv[i][std::strlen(option)] == '='))
        return true;
  return false;
}

QString gui_usage() {
  QCommandLineParser parser;
  Options().add_to(parser);
  return parser.helpText();
}

}  // namespace sgdsim
