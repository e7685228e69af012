#pragma once
// The IDX format of MNIST and Fashion-MNIST: a 4-byte magic number (two zero bytes, the element
// type 0x08 for unsigned bytes, the number of dimensions), each dimension as a big-endian 32-bit
// count, then the elements in row-major order. An image file has three dimensions (images, rows,
// columns), a label file one. Files may be gzipped (read through zlib) or plain.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "models/dataset.hpp"

namespace sgdsim {

/// Images and their labels as an IDX pair stores them: one byte per pixel and per label.
struct IdxImages {
  std::size_t rows = 0;              ///< Rows of every image.
  std::size_t cols = 0;              ///< Columns of every image.
  std::vector<std::uint8_t> pixels;  ///< Image by image, row by row: size() * rows * cols bytes.
  std::vector<std::uint8_t> labels;  ///< One per image.

  /// The number of images.
  std::size_t size() const { return labels.size(); }

  /// Pixel (row r, column c) of image i, as stored (0 to 255).
  std::uint8_t pixel(std::size_t i, std::size_t r, std::size_t c) const {
    return pixels[(i * rows + r) * cols + c];
  }
};

/// Reads an IDX image file and its label file, each gzipped (told by its first two bytes, 1f 8b)
/// or plain; every label must be below `classes`. A file that cannot be read, corrupt or cut-short
/// gzip data, a malformed file (bad magic number, wrong number of dimensions, an empty image
/// size), one shorter or longer than its header says, a label out of range, or a label count that
/// differs from the image count throws DataError "FILE: byte OFFSET: message"; offsets count
/// bytes of the uncompressed data.
IdxImages read_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                   std::size_t classes = 10);

/// All the images as a dense dataset: one feature per pixel (row by row) scaled to [0, 1] as
/// byte / 255, and the labels 0, 1, ... as numbers.
Dataset idx_dataset(const IdxImages& idx);

/// The images listed, in that order, as a dense dataset (as above).
Dataset idx_dataset(const IdxImages& idx, std::span<const std::size_t> rows);

}  // namespace sgdsim
