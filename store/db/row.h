// Row: one result row as a backend adapter hands it to a row reader, and RowReader<T>: how a row
// becomes a T. Each row type has exactly one reader (a specialisation next to the concern that
// owns the type), shared by both backends; columns are numbered from 0 in SELECT order. Rows
// live only during the reader's call. Not thread-safe; a reader is a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace wxb {

class Row {
 public:
  virtual ~Row() = default;
  // The column as an integer; NULL reads 0.
  virtual int64_t int64(size_t column) const = 0;
  // The column as text; NULL reads "".
  virtual std::string text(size_t column) const = 0;
  virtual bool isNull(size_t column) const = 0;

  bool boolean(size_t column) const { return int64(column) != 0; }
  int integer(size_t column) const { return static_cast<int>(int64(column)); }
};

// Specialise with `static T read(const Row& row)` for each row type.
template <typename T>
struct RowReader;

template <>
struct RowReader<int64_t> {
  static int64_t read(const Row& row) { return row.int64(0); }
};

template <>
struct RowReader<std::string> {
  static std::string read(const Row& row) { return row.text(0); }
};

}  // namespace wxb
