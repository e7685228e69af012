#pragma once
// A user's own PyTorch model, saved as TorchScript, as an Objective. The model lives in a plugin
// (torchscript.cpp, the one file that sees libtorch's headers) that torchscript_loader.cpp loads
// the first time a scenario names such a model; a build without libtorch (SGDSIM_TORCH=OFF) has
// no plugin, and its loader says so.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/objective.hpp"

namespace sgdsim {

/// The loss a TorchScript module is trained with.
enum class TorchLoss {
  kCrossEntropy,  ///< The output [batch, classes] are logits; PyTorch's CrossEntropyLoss.
  kMse,           ///< One output per sample; (output - label)^2, PyTorch's MSELoss.
  kModule,        ///< The module's own method loss(x, y), returning the batch's mean loss.
};

/// What a scenario says about a TorchScript model.
struct TorchScriptSpec {
  std::string file;  ///< The saved module (torch.jit.save).
  /// Unset: kModule when the module has a method loss(x, y), else kCrossEntropy.
  std::optional<TorchLoss> loss;
  std::vector<std::int64_t> input_shape;  ///< One sample's shape; empty: [features].
  double l2 = 0.0;                        ///< (l2 / 2) |w|^2 added to each sample's loss.
  std::size_t classes = 2;                ///< Classes in the data (cross_entropy).
  /// Labels given to the loss as class indices (int64) rather than values (float).
  bool class_labels = true;
};

/// A TorchScript model cannot be used; `part` says which of the scenario's keys is at fault.
class TorchScriptError : public std::runtime_error {
 public:
  /// The key at fault: model.file (the module itself), model.loss, model.input_shape, or
  /// model.type (this build or machine cannot load TorchScript at all).
  enum class Part { kFile, kLoss, kInputShape, kBuild };
  /// An error at `part`; `what` says what was expected.
  TorchScriptError(Part part, const std::string& what) : std::runtime_error(what), part_(part) {}
  /// The key at fault.
  Part part() const { return part_; }

 private:
  Part part_;
};

/// Why this build cannot load TorchScript models (it was built with SGDSIM_TORCH=OFF); empty
/// when it can.
std::string torchscript_unavailable();

/// Loads the module of `spec` and checks it on two samples of `data`: the input shape fits the
/// features, the output fits the loss and the labels, the loss has a gradient. Throws
/// TorchScriptError with what was expected (kBuild: the plugin is missing or cannot be loaded,
/// say because libtorch is not installed). The objective's parameters are the module's own,
/// in the order of Module::parameters(), as doubles; its initial() is the saved parameters.
std::shared_ptr<const Objective> load_torchscript(const TorchScriptSpec& spec, const Dataset& data);

}  // namespace sgdsim
