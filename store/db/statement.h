// Statements as typed values: Stmt<P...> is one SQL statement whose '?' parameters have the
// types P... (int64_t, int, bool, std::string, or Text<N> for text a column holds at most N
// characters of). The runner (store/db/db.h) binds a call's arguments through these types, so a
// call with the wrong number or kind of arguments does not compile, and text longer than its
// column is cut at a UTF-8 character boundary on every backend (never mid-character, which
// strict MySQL would reject). No statement has a default value: a statement table (a struct
// of statements) that leaves one out does not compile.
//
// RowsStmt and InStmt are the two statement shapes whose text depends on a count - a multi-row
// INSERT and an IN list - expanded by the runner. Plain values, thread-safe to share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace wxb {

// A text parameter for a column of at most N characters. Text that is not valid UTF-8 is bound
// with each byte that starts no character as U+FFFD (MySQL would refuse it, SQLite store it).
template <size_t N>
struct Text {
  static constexpr size_t kMaxChars = N;
};

template <typename... P>
struct Stmt {
  Stmt(const char* text) : sql(text) {}  // NOLINT: tables are written as {"SQL", ...}
  explicit Stmt(std::string text) : sql(std::move(text)) {}
  std::string sql;
};

// INSERT ... VALUES <row>, <row> ... <tail>: `row` is one row's "(?, ...)" with P... per row.
template <typename... P>
struct RowsStmt {
  RowsStmt(const char* head_, const char* row_, const char* tail_)
      : head(head_), row(row_), tail(tail_) {}
  const char* head;  // up to and including VALUES
  const char* row;
  const char* tail;  // after the rows (an upsert's ON ... clause), may be ""
};

// <head> IN (?, ?, ...) <tail>: `head`'s parameters P..., then the list of one type L.
template <typename L, typename... P>
struct InStmt {
  InStmt(const char* head_, const char* tail_) : head(head_), tail(tail_) {}
  const char* head;  // up to the IN list, e.g. "... WHERE unionid IN "
  const char* tail;  // after the list, may be ""
};

// "(?, ?, ?)" for n = 3.
std::string placeholders(size_t n);

// The values bound to one execution, in parameter order. Holds views of the caller's strings,
// which must outlive it; only text cut to its column, or made valid UTF-8, is copied.
class Params {
 public:
  using Value = std::variant<int64_t, std::string_view>;

  void add(int64_t value) { values_.emplace_back(value); }
  void add(std::string_view text) { values_.emplace_back(text); }
  void addText(std::string_view text, size_t maxChars);

  // Adds `arg` as a parameter of type P.
  template <typename P, typename A>
  void bind(const A& arg);
  // Adds args as parameters of types P... .
  template <typename... P, typename... A>
  void bindAll(const A&... args) {
    static_assert(sizeof...(P) == sizeof...(A), "the statement takes another number of parameters");
    (bind<P>(args), ...);
  }

  const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
  std::deque<std::string> cut_;  // stable addresses for the views of cut text
};

template <typename T>
struct IsText : std::false_type {};
template <size_t N>
struct IsText<Text<N>> : std::true_type {};

template <typename P, typename A>
void Params::bind(const A& arg) {
  if constexpr (IsText<P>::value) {
    addText(std::string_view(arg), P::kMaxChars);
  } else if constexpr (std::is_same_v<P, std::string>) {
    add(std::string_view(arg));
  } else {
    static_assert(std::is_integral_v<P> && std::is_integral_v<A>, "an integer parameter");
    add(static_cast<int64_t>(arg));
  }
}

// The parameters of one statement call: args bound as P... .
template <typename... P, typename... A>
Params paramsOf(const A&... args) {
  Params params;
  params.bindAll<P...>(args...);
  return params;
}

}  // namespace wxb
