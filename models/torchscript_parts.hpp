#pragma once
// The parts of a TorchScript objective that are about libtorch itself: its messages, the
// randomness of a module, and the replicas of a module that computations lease. Included by
// models/torchscript.cpp only, so libtorch's headers are still compiled once.

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/script.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "models/torchscript.hpp"

namespace sgdsim::torchscript_parts {

/// What a libtorch message says: its first line (the rest is a C++ stack trace), or, for an error
/// the TorchScript interpreter reports with a traceback, its last (the exception raised).
inline std::string first_line(const std::exception& e) {
  std::string s = e.what();
  if (s.find("Traceback of TorchScript") != std::string::npos) {
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s.substr(s.rfind('\n') + 1);
  }
  return s.substr(0, s.find('\n'));
}

inline std::string shape_text(c10::IntArrayRef shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

/// What `compute` returns; a libtorch error on the way is a TorchScriptError about the module
/// that says what failed (`what`), never an internal error.
template <typename Compute>
auto in_run(const char* what, Compute compute) {
  try {
    return compute();
  } catch (const std::exception& e) {  // c10::Error, or an exception the module raised.
    throw TorchScriptError(TorchScriptError::Part::kFile,
                           fmt::format("failed in {}: {}", what, first_line(e)));
  }
}

/// Random layers (dropout) draw from libtorch's one global generator, so their forward passes
/// take turns, each with the generator seeded from its own task: then a gradient's draws depend
/// on its seed only, whichever thread computes it and whatever runs beside it.
inline std::mutex& generator_turns() {
  static std::mutex m;
  return m;
}

/// The operators whose results are random: a module that calls one is random.
inline bool is_random_operator(const std::string& kind) {
  for (const char* word : {"dropout", "rand", "bernoulli", "multinomial", "normal", "uniform",
                           "rrelu", "exponential", "cauchy", "geometric", "poisson"})
    if (kind.find(word) != std::string::npos) return kind.rfind("aten::", 0) == 0;
  return false;
}

inline bool block_is_random(const torch::jit::Block* block) {
  for (const torch::jit::Node* node : block->nodes()) {
    if (is_random_operator(node->kind().toQualString())) return true;
    for (const torch::jit::Block* inner : node->blocks())
      if (block_is_random(inner)) return true;
  }
  return false;
}

/// A seed of its own for part k of a task seeded `seed` (SplitMix64's finaliser), so that no
/// two parts of two tasks share one.
inline std::uint64_t part_seed(std::uint64_t seed, std::uint64_t k) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (k + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Seeds libtorch's global generator, under its own lock as libtorch asks.
inline void seed_generator(std::uint64_t seed) {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  const std::lock_guard lock(generator.mutex());
  generator.set_current_seed(seed);
}

/// One copy of the module, used by one computation at a time: a deep copy made without
/// autograd, so its parameters are leaves of their own, in training mode whatever mode the
/// module was saved in.
struct Replica {
  torch::jit::Module module;
  std::vector<at::Tensor> params;
  bool training = true;

  explicit Replica(const torch::jit::Module& prototype) : module(copy(prototype)) {
    module.train(true);
    for (const at::Tensor& p : module.parameters()) {
      params.push_back(p);
      params.back().requires_grad_(true);
    }
  }
  /// Switches training mode (dropout on) or evaluation mode, as `on` says.
  void set_training(bool on) {
    if (training != on) module.train(on);
    training = on;
  }

 private:
  static torch::jit::Module copy(const torch::jit::Module& prototype) {
    const torch::NoGradGuard no_grad;
    return prototype.deepcopy();
  }
};

}  // namespace sgdsim::torchscript_parts
