#include "models/idx.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <new>
#include <string>

#include "models/libsvm.hpp"

namespace sgdsim {
namespace {

/// The uncompressed bytes of a file, and its name for messages.
struct IdxBytes {
  std::string name;
  std::vector<std::uint8_t> bytes;

  /// A DataError at byte `offset` of the uncompressed data.
  DataError fail(std::size_t offset, const std::string& message) const {
    return DataError(fmt::format("{}: byte {}: {}", name, offset, message));
  }

  /// The big-endian 32-bit number at `offset` (which the caller checked is in the file).
  std::uint32_t u32(std::size_t offset) const {
    return static_cast<std::uint32_t>(bytes[offset]) << 24 |
           static_cast<std::uint32_t>(bytes[offset + 1]) << 16 |
           static_cast<std::uint32_t>(bytes[offset + 2]) << 8 | bytes[offset + 3];
  }
};

/// Reads a whole file, inflating it when it starts with the gzip magic bytes 1f 8b. Offsets in
/// errors about gzip data are those of the uncompressed bytes recovered before the fault.
IdxBytes read_bytes(const std::filesystem::path& path) {
  IdxBytes file{path.string(), {}};
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path))
    throw DataError(fmt::format("{}: cannot read the file", file.name));
  std::vector<std::uint8_t> raw{std::istreambuf_iterator<char>(in), {}};
  if (raw.size() < 2 || raw[0] != 0x1f || raw[1] != 0x8b) {
    file.bytes = std::move(raw);
    return file;
  }
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
  const std::unique_ptr<z_stream, int (*)(z_stream*)> end(&z, inflateEnd);
  z.next_in = raw.data();
  z.avail_in = static_cast<uInt>(raw.size());  // Compressed IDX files are far below 4 GiB.
  // The gzip trailer ends with the uncompressed size modulo 2^32: a first guess, within reason.
  const std::size_t n = raw.size();
  const std::size_t size = n < 18
                               ? 0
                               : std::size_t{raw[n - 4]} | std::size_t{raw[n - 3]} << 8 |
                                     std::size_t{raw[n - 2]} << 16 | std::size_t{raw[n - 1]} << 24;
  // Deflate expands by at most 1032 times.
  file.bytes.resize(std::clamp<std::size_t>(size, 1024, std::min(1032 * n, std::size_t{1} << 28)));
  for (;;) {
    if (z.total_out == file.bytes.size()) file.bytes.resize(2 * file.bytes.size());
    z.next_out = file.bytes.data() + z.total_out;
    z.avail_out =
        static_cast<uInt>(std::min<std::size_t>(file.bytes.size() - z.total_out, 1u << 30));
    const int code = inflate(&z, Z_NO_FLUSH);
    if (code == Z_STREAM_END) break;
    if (code == Z_OK || (code == Z_BUF_ERROR && z.avail_in > 0)) continue;
    throw file.fail(z.total_out,
                    fmt::format("the gzip data are {}", code == Z_BUF_ERROR ? "cut short"
                                                        : z.msg ? std::string("corrupt: ") + z.msg
                                                                : "corrupt"));
  }
  file.bytes.resize(z.total_out);
  if (z.avail_in > 0)
    throw file.fail(z.total_out, fmt::format("{} bytes of the file follow the end of its gzip data",
                                             z.avail_in));
  return file;
}

/// Checks the magic number and dimension count, and returns the dimensions.
std::vector<std::size_t> read_header(const IdxBytes& f, unsigned dimensions, const char* what) {
  const std::size_t header = 4 + 4 * std::size_t{dimensions};
  if (f.bytes.size() >= 4) {
    const std::uint32_t magic = f.u32(0);
    if (f.bytes[0] != 0 || f.bytes[1] != 0 || f.bytes[2] != 0x08)
      throw f.fail(0, fmt::format("not an IDX file of unsigned bytes: the magic number is "
                                  "0x{:08x}, expected 0x{:08x} for {}",
                                  magic, 0x0800u + dimensions, what));
    if (f.bytes[3] != dimensions)
      throw f.fail(3, fmt::format("{} have {} dimension{}, but this file has {}", what, dimensions,
                                  dimensions == 1 ? "" : "s", f.bytes[3]));
  }
  if (f.bytes.size() < header)
    throw f.fail(f.bytes.size(), fmt::format("the file ends inside its {}-byte header", header));
  std::vector<std::size_t> dims;
  for (unsigned d = 0; d < dimensions; ++d) dims.push_back(f.u32(4 + 4 * d));
  return dims;
}

/// Checks that the file holds exactly `count` items of `item_bytes` after its header.
void check_length(const IdxBytes& f, std::size_t header, std::size_t count, std::size_t item_bytes,
                  const char* item) {
  // A header promising more than memory can hold is cut short by definition.
  const std::size_t limit = (SIZE_MAX - header) / item_bytes;
  const std::size_t expected = count > limit ? SIZE_MAX : header + count * item_bytes;
  if (f.bytes.size() < expected) {
    const std::size_t index = (f.bytes.size() - header) / item_bytes;
    throw f.fail(f.bytes.size(), fmt::format("the file ends inside {} {} of {} (its header "
                                             "promises {} bytes)",
                                             item, index, count, expected));
  }
  if (f.bytes.size() > expected)
    throw f.fail(expected, fmt::format("{} more bytes after the last of the {} {}s",
                                       f.bytes.size() - expected, count, item));
}

}  // namespace

IdxImages read_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                   std::size_t classes) {
  const IdxBytes image_file = read_bytes(images);
  const std::vector<std::size_t> dims = read_header(image_file, 3, "IDX image files");
  if (dims[1] == 0 || dims[2] == 0)
    throw image_file.fail(dims[1] == 0 ? 8 : 12,
                          fmt::format("images of {} x {} pixels are empty", dims[1], dims[2]));
  check_length(image_file, 16, dims[0], dims[1] * dims[2], "image");

  const IdxBytes label_file = read_bytes(labels);
  const std::size_t count = read_header(label_file, 1, "IDX label files")[0];
  check_length(label_file, 8, count, 1, "label");
  if (count != dims[0])
    throw label_file.fail(
        4, fmt::format("{} labels for the {} images of {}", count, dims[0], image_file.name));
  for (std::size_t i = 0; i < count; ++i)
    if (label_file.bytes[8 + i] >= classes)
      throw label_file.fail(8 + i, fmt::format("label {} of image {} is not a class 0 to {}",
                                               unsigned{label_file.bytes[8 + i]}, i, classes - 1));

  IdxImages idx;
  idx.rows = dims[1];
  idx.cols = dims[2];
  idx.pixels.assign(image_file.bytes.begin() + 16, image_file.bytes.end());
  idx.labels.assign(label_file.bytes.begin() + 8, label_file.bytes.end());
  return idx;
}

Dataset idx_dataset(const IdxImages& idx, std::span<const std::size_t> rows) {
  const std::size_t pixels = idx.rows * idx.cols;
  DenseRows x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(pixels));
  Vector y(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::uint8_t* image = idx.pixels.data() + rows[k] * pixels;
    for (std::size_t j = 0; j < pixels; ++j)
      x(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = image[j] / 255.0;
    y[static_cast<Eigen::Index>(k)] = idx.labels[rows[k]];
  }
  return Dataset::dense(std::move(x), std::move(y));
}

Dataset idx_dataset(const IdxImages& idx) {
  std::vector<std::size_t> all(idx.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return idx_dataset(idx, all);
}

}  // namespace sgdsim
