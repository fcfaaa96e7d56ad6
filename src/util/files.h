// Small file helpers: whole-file read/write and stable hashing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rdylib {

/// Reads a whole file; std::nullopt when it cannot be read.
std::optional<std::string> ReadFile(const std::filesystem::path& path);

/// Writes a whole file, creating parent directories; false on failure.
bool WriteFile(const std::filesystem::path& path, std::string_view contents);

/// Like WriteFile, but leaves a file that already holds exactly `contents`
/// untouched, so its modification time (and cargo's fingerprint) stays.
bool WriteFileIfChanged(const std::filesystem::path& path, std::string_view contents);

/// 64-bit FNV-1a; stable across runs and machines.
uint64_t Fnv1a64(std::string_view data);

/// Fnv1a64 as 16 lowercase hex digits.
std::string HexHash(std::string_view data);

}  // namespace rdylib
