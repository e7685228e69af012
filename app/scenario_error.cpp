#include "app/scenario_error.hpp"

namespace sgdsim {
namespace {

std::string locate(const std::string& file, const Mark& mark, const std::string& message) {
  if (!mark.option.empty()) return "option --set " + mark.option + ": " + message;
  return file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": " +
         message;
}

}  // namespace

ScenarioError::ScenarioError(const std::string& file, const Mark& mark, const std::string& message)
    : std::runtime_error(locate(file, mark, message)), from_option_(!mark.option.empty()) {}

}  // namespace sgdsim
