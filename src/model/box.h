// Box<T>: a heap value with value semantics, for recursive model types.
#pragma once

#include <memory>
#include <utility>

namespace rdylib::model {

/// Owns one T on the heap and deep-copies it; never null once constructed
/// from a value. A default-constructed Box is empty (`has_value()` false),
/// which the model uses for "absent".
template <typename T>
class Box {
 public:
  Box() = default;
  Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT
  Box(const Box& other)
      : ptr_(other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) {
      ptr_ = other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr;
    }
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;

  bool has_value() const { return ptr_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *ptr_; }
  const T& operator*() const { return *ptr_; }
  T* operator->() { return ptr_.get(); }
  const T* operator->() const { return ptr_.get(); }
  const T* get() const { return ptr_.get(); }

 private:
  std::unique_ptr<T> ptr_;
};

}  // namespace rdylib::model
