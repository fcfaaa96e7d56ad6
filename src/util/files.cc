// Small file helpers.
#include "util/files.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace rdylib {

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteFileIfChanged(const std::filesystem::path& path, std::string_view contents) {
  std::optional<std::string> old = ReadFile(path);
  if (old && *old == contents) return true;
  return WriteFile(path, contents);
}

bool WriteFile(const std::filesystem::path& path, std::string_view contents) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  return static_cast<bool>(out);
}

uint64_t Fnv1a64(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string HexHash(std::string_view data) {
  return fmt::format("{:016x}", Fnv1a64(data));
}

}  // namespace rdylib
