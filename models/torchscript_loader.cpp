// Loads the TorchScript plugin (torchscript.cpp, built as SGDSIM_TORCH_PLUGIN) on first use.

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "models/torchscript.hpp"

namespace sgdsim {
namespace {

#ifdef SGDSIM_TORCH_PLUGIN
constexpr const char* kPlugin = SGDSIM_TORCH_PLUGIN;
#else
constexpr const char* kPlugin = nullptr;  // Built with SGDSIM_TORCH=OFF.
#endif

using Load = std::shared_ptr<const Objective> (*)(const TorchScriptSpec&, const Dataset&);

/// The plugin's entry point, loaded once and kept for the life of the process (objectives it
/// made may live until the end); throws TorchScriptError (kBuild) when it cannot be had.
Load plugin_entry() {
  static std::once_flag once;
  static Load entry = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    failure = torchscript_unavailable();
    if (!failure.empty()) return;
    void* handle = ::dlopen(kPlugin, RTLD_NOW | RTLD_LOCAL);
    if (handle) entry = reinterpret_cast<Load>(::dlsym(handle, "sgdsim_torch_load"));
    if (!entry) failure = std::string("cannot load the TorchScript plugin: ") + ::dlerror();
  });
  if (!entry) throw TorchScriptError(TorchScriptError::Part::kBuild, failure);
  return entry;
}

}  // namespace

std::string torchscript_unavailable() {
  if (kPlugin) return "";
  return "this sgdsim was built without libtorch; configure with -DSGDSIM_TORCH=ON "
         "(scripts/install-deps.sh installs libtorch-dev)";
}

std::shared_ptr<const Objective> load_torchscript(const TorchScriptSpec& spec,
                                                  const Dataset& data) {
  return plugin_entry()(spec, data);
}

}  // namespace sgdsim
