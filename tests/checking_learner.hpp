#pragma once
// A learner that checks the exact-read invariant from outside the protocols: it forwards every
// call to the run's learner, keeps a fingerprint of every version of every shard, records for
// each gradient computed the worker, the versions its read matches and the gradient's
// fingerprint, and for each gradient applied what was applied. verify() then holds updates.csv
// against that record: row i must be the i-th slice applied, a slice computed by the row's
// worker on the version the row's v_read names, applied once, at the row's v_apply.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/protocols/learner.hpp"
#include "support.hpp"

namespace sgdsim::test {

/// FNV-1a over the bit patterns of `v`: equal only for bit-identical vectors (in practice).
inline std::uint64_t fingerprint(const std::vector<double>& v) {
  std::uint64_t h = 1469598103934665603ull;
  for (double x : v) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    for (int b = 0; b < 64; b += 8) h = (h ^ ((bits >> b) & 0xff)) * 1099511628211ull;
  }
  return h ^ v.size();
}

/// See the top of the file. It outlives the run it checks: attach() gives the run a learner that
/// reports to it.
class CheckingLearner final : public Learner {
 public:
  /// A learner for RunOptions::wrap_learner that forwards to `inner` (with `shards` shards)
  /// through this checker, which must outlive the run.
  static std::unique_ptr<Learner> attach(std::shared_ptr<CheckingLearner> check, Learner& inner,
                                         std::uint32_t shards) {
    check->inner_ = &inner;
    check->versions_.assign(shards, 0);
    check->history_.assign(shards, {});
    check->current_.assign(shards, nullptr);
    for (std::uint32_t s = 0; s < shards; ++s) check->remember_version(s);
    return std::make_unique<Attached>(std::move(check));
  }

  /// The parameters after the last update, all shards together.
  std::vector<double> parameters() const {
    std::vector<double> all;
    for (const ShardSnapshot& s : current_) all.insert(all.end(), s->begin(), s->end());
    return all;
  }

  ShardSnapshot snapshot(std::uint32_t shard) override { return inner_->snapshot(shard); }

  /// The versions are looked up when the worker reads, the gradient when it is finished.
  void compute(std::uint32_t w, std::span<const ShardSnapshot> read, Gradient& out) override {
    if (reading_.size() <= w) reading_.resize(w + 1);
    reading_[w].clear();
    for (std::size_t s = 0; s < read.size(); ++s) reading_[w].push_back(versions_of(s, *read[s]));
    inner_->compute(w, read, out);
  }

  void finish(std::uint32_t w, Gradient& out) override {
    inner_->finish(w, out);
    remember_computed(w, reading_[w], out);
  }

  std::optional<std::uint64_t> push_bytes(std::uint32_t w, std::uint32_t shard) const override {
    return inner_->push_bytes(w, shard);
  }

  void apply(std::uint32_t shard, std::span<const std::vector<double>* const> slices) override {
    for (const std::vector<double>* slice : slices)
      applied_.push_back({shard, fingerprint(*slice), versions_[shard]});
    inner_->apply(shard, slices);
    ++versions_[shard];
    remember_version(shard);
  }

  /// Downpour: an accrued sum is computed from the copy the worker held when it began accruing
  /// (its fetched model), and pushed when the protocol compresses it.
  void accrue(std::uint32_t w, Gradient& local, Gradient& accrued, double step) override {
    if (accruing_.size() <= w) accruing_.resize(w + 1);
    if (accruing_[w].empty())
      for (std::size_t s = 0; s < local.size(); ++s)
        accruing_[w].push_back(versions_of(s, local[s]));
    inner_->accrue(w, local, accrued, step);
  }

  void compress(std::uint32_t w, Gradient& slices) override {
    inner_->compress(w, slices);
    if (w < accruing_.size() && !accruing_[w].empty()) {
      remember_computed(w, accruing_[w], slices);
      accruing_[w].clear();
    }
  }

  /// Slices applied so far.
  std::size_t applied() const { return applied_.size(); }

  /// What is wrong with `updates_csv` against what was computed and applied: one line per
  /// fault (at most `limit`), none when every row is the truth.
  std::vector<std::string> verify(const std::filesystem::path& updates_csv,
                                  std::size_t limit = 10) {
    const auto worker = csv_column(updates_csv, "worker"), shard = csv_column(updates_csv, "shard"),
               v_read = csv_column(updates_csv, "v_read"),
               v_apply = csv_column(updates_csv, "v_apply");
    std::vector<std::string> faults;
    auto fault = [&](std::size_t row, const std::string& what) {
      if (faults.size() < limit) faults.push_back("row " + std::to_string(row) + ": " + what);
    };
    if (worker.size() != applied_.size())
      faults.push_back(std::to_string(worker.size()) + " rows for " +
                       std::to_string(applied_.size()) + " slices applied");
    for (std::size_t i = 0; i < std::min(worker.size(), applied_.size()); ++i) {
      const Applied& a = applied_[i];
      const auto w = static_cast<std::uint32_t>(worker[i]);
      const auto v = static_cast<std::uint64_t>(v_read[i]);
      if (shard[i] != a.shard || v_apply[i] != static_cast<double>(a.v_apply)) {
        fault(i, "shard or v_apply differs from the slice applied");
        continue;
      }
      // The row's worker computed this very slice on the version the row says it read; each
      // computation is applied at most once.
      auto& candidates = computed_[{w, a.shard, a.fingerprint}];
      const auto match = std::find_if(candidates.begin(), candidates.end(), [&](const auto& vs) {
        return std::find(vs.begin(), vs.end(), v) != vs.end();
      });
      if (match == candidates.end())
        fault(i, "worker " + std::to_string(w) + " computed no such gradient on version " +
                     std::to_string(v) + " of shard " + std::to_string(a.shard));
      else
        candidates.erase(match);
    }
    return faults;
  }

 private:
  /// Per worker: the versions of each shard its gradient in progress read.
  std::vector<std::vector<std::vector<std::uint64_t>>> reading_;
  struct Applied {
    std::uint32_t shard;
    std::uint64_t fingerprint;
    std::uint64_t v_apply;
  };
  void remember_version(std::uint32_t shard) {
    current_[shard] = inner_->snapshot(shard);
    history_[shard][fingerprint(*current_[shard])].push_back(versions_[shard]);
  }
  /// Every version of `shard` with exactly `values` (several when an update changed nothing).
  std::vector<std::uint64_t> versions_of(std::size_t shard, const std::vector<double>& values) {
    const auto found = history_[shard].find(fingerprint(values));
    return found == history_[shard].end() ? std::vector<std::uint64_t>{} : found->second;
  }
  void remember_computed(std::uint32_t w, const std::vector<std::vector<std::uint64_t>>& versions,
                         const Gradient& g) {
    for (std::size_t s = 0; s < g.size() && s < versions.size(); ++s)
      computed_[{w, static_cast<std::uint32_t>(s), fingerprint(g[s])}].push_back(versions[s]);
  }

  /// What the run talks to: a handle that keeps the checker alive.
  struct Attached final : Learner {
    explicit Attached(std::shared_ptr<CheckingLearner> c) : check(std::move(c)) {}
    ShardSnapshot snapshot(std::uint32_t shard) override { return check->snapshot(shard); }
    void compute(std::uint32_t w, std::span<const ShardSnapshot> read, Gradient& out) override {
      check->compute(w, read, out);
    }
    void finish(std::uint32_t w, Gradient& out) override { check->finish(w, out); }
    std::optional<std::uint64_t> push_bytes(std::uint32_t w, std::uint32_t s) const override {
      return check->push_bytes(w, s);
    }
    void apply(std::uint32_t shard, std::span<const std::vector<double>* const> s) override {
      check->apply(shard, s);
    }
    void accrue(std::uint32_t w, Gradient& local, Gradient& accrued, double step) override {
      check->accrue(w, local, accrued, step);
    }
    void compress(std::uint32_t w, Gradient& slices) override { check->compress(w, slices); }
    std::shared_ptr<CheckingLearner> check;
  };

  Learner* inner_ = nullptr;
  /// Per shard: the parameters after the last update (kept, so they outlive the run).
  std::vector<ShardSnapshot> current_;
  std::vector<std::uint64_t> versions_;  ///< Per shard: updates applied.
  /// Per shard: fingerprint of the parameters -> the versions that had them.
  std::vector<std::map<std::uint64_t, std::vector<std::uint64_t>>> history_;
  /// (worker, shard, fingerprint of the slice) -> per computation, the versions its read matched.
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint64_t>,
           std::vector<std::vector<std::uint64_t>>>
      computed_;
  std::vector<Applied> applied_;
  std::vector<std::vector<std::vector<std::uint64_t>>> accruing_;  ///< Downpour, per worker.
};

/// Runs `yaml` with a checking learner, its gradients on `threads` threads; the checker, and the
/// run directory.
inline std::pair<std::shared_ptr<CheckingLearner>, std::filesystem::path> run_checked(
    const TempDir& dir, const std::string& yaml, const std::string& name,
    std::uint32_t threads = 1) {
  const Scenario s = load_scenario_text(yaml, (dir / (name + ".yaml")).string());
  auto check = std::make_shared<CheckingLearner>();
  RunOptions options;
  options.threads = threads;
  options.wrap_learner = [&](Learner& inner) {
    return CheckingLearner::attach(check, inner, std::max(1u, s.parameter_nodes));
  };
  return {check, run_scenario(s, dir / name, options).directory};
}

}  // namespace sgdsim::test
