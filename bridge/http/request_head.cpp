#include "bridge/http/request_head.h"

#include <algorithm>

namespace wxb {

namespace {

constexpr size_t kMaxLeadingEmptyLines = 4;
constexpr size_t kMaxMethodBytes = 32;

bool isTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), isTchar);
}

// VCHAR, obs-text, and SP/HTAB between them (RFC 9110 5.5).
bool isFieldChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == ' ' || u == '\t' || (u > 0x20 && u != 0x7f);
}

// What may appear in an origin-form or absolute-form target: visible ASCII but '#'.
bool isTargetChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f && c != '#';
}

char lowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lowerChar);
  return out;
}

std::string_view trimWhitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The non-empty elements of a comma-separated list, trimmed and lowercased.
std::vector<std::string> listElements(std::string_view list) {
  std::vector<std::string> elements;
  while (true) {
    size_t comma = list.find(',');
    std::string_view element = trimWhitespace(list.substr(0, comma));
    if (!element.empty()) elements.push_back(lower(element));
    if (comma == std::string_view::npos) return elements;
    list.remove_prefix(comma + 1);
  }
}

// Whether `line` starts as a request line can, as far as it has come: a method token of at most
// kMaxMethodBytes, then a space. Looks at kMaxMethodBytes + 1 bytes at most, so that bytes that
// are not HTTP at all (a TLS handshake, a stray protocol) are refused at once, however few. A
// line that has ended (`ended`, or its CR has come) without the space cannot be one either, so
// the verdict does not depend on whether the CR and the LF arrived together (found by fuzzing).
bool startsWithMethod(std::string_view line, bool ended) {
  if (line.ends_with('\r')) {
    line.remove_suffix(1);
    ended = true;
  }
  if (line.empty()) return true;  // perhaps an empty line before the request line
  std::string_view start = line.substr(0, kMaxMethodBytes + 1);
  size_t space = start.find(' ');
  if (space == std::string_view::npos && ended) return false;
  std::string_view method = start.substr(0, space);
  return space != 0 && method.size() <= kMaxMethodBytes &&
         std::all_of(method.begin(), method.end(), isTchar);
}

std::unexpected<HeadError> error(int status, std::string reason, std::string message) {
  return std::unexpected(HeadError{status, std::move(reason), std::move(message)});
}

using Check = std::expected<void, HeadError>;

Check parseVersion(std::string_view version, RequestHead& head) {
  bool wellFormed = version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.' &&
                    version[5] >= '0' && version[5] <= '9' && version[7] >= '0' &&
                    version[7] <= '9';
  if (!wellFormed) return error(400, "version", "request line: the version must be HTTP/1.1");
  if (version[5] != '1') {
    return error(505, "version", "request line: only HTTP/1.0 and HTTP/1.1 are served");
  }
  head.minorVersion = version[7] == '0' ? 0 : 1;  // a later 1.x is answered as 1.1 (RFC 9110 2.5)
  return {};
}

Check parseTarget(std::string_view target, RequestHead& head) {
  if (target.empty() || !std::all_of(target.begin(), target.end(), isTargetChar)) {
    return error(400, "target", "request target: empty, or holds whitespace, controls or '#'");
  }
  std::string_view path = target;
  std::string scheme = lower(target.substr(0, 8));
  if (scheme.starts_with("http://") || scheme.starts_with("https://")) {
    size_t slash = target.find('/', target.find("//") + 2);  // absolute-form: drop the authority
    path = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  } else if (target.front() != '/') {
    return error(400, "target", "request target: must be a path starting with '/'");
  }
  size_t question = path.find('?');
  head.target = target;
  head.path = path.substr(0, question);
  head.query = question == std::string_view::npos ? "" : path.substr(question + 1);
  return {};
}

Check parseRequestLine(std::string_view line, RequestHead& head) {
  size_t first = line.find(' ');
  size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos) {
    return error(400, "request_line", "request line: must be METHOD TARGET HTTP/1.1");
  }
  std::string_view method = line.substr(0, first);
  if (!isToken(method))
    return error(400, "request_line", "request line: the method is not a token");
  head.method = method;
  if (auto target = parseTarget(line.substr(first + 1, second - first - 1), head); !target) {
    return target;
  }
  return parseVersion(line.substr(second + 1), head);
}

Check parseField(std::string_view line, RequestHead& head) {
  if (line.front() == ' ' || line.front() == '\t') {
    return error(400, "field", "header field: a line folded onto the one before (obs-fold)");
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) {
    return error(400, "field", "header field: must be NAME: VALUE, no whitespace before ':'");
  }
  std::string_view value = trimWhitespace(line.substr(colon + 1));
  if (!std::all_of(value.begin(), value.end(), isFieldChar)) {
    return error(400, "field", "header field: control characters in a value");
  }
  head.fields.emplace_back(lower(line.substr(0, colon)), std::string(value));
  return {};
}

Check checkContentLength(RequestHead& head) {
  size_t count = head.count("content-length");
  if (count == 0) return {};
  if (count > 1) return error(400, "content_length", "Content-Length: given more than once");
  std::string value = head.joined("content-length");
  if (value.empty() || value.size() > 18 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return error(400, "content_length", "Content-Length: must be a decimal number of bytes");
  }
  head.framing = BodyFraming::Length;
  head.contentLength = std::stoull(value);
  return {};
}

Check checkTransferEncoding(RequestHead& head) {
  if (head.count("transfer-encoding") == 0) return {};
  if (head.count("content-length") > 0) {
    return error(400, "transfer_encoding", "Transfer-Encoding and Content-Length together");
  }
  if (head.minorVersion == 0) {
    return error(400, "transfer_encoding", "Transfer-Encoding: not allowed in HTTP/1.0");
  }
  std::vector<std::string> codings = listElements(head.joined("transfer-encoding"));
  if (codings.empty() || codings.back() != "chunked") {
    return error(400, "transfer_encoding", "Transfer-Encoding: the final coding must be chunked");
  }
  if (codings.size() > 1) {
    return error(501, "transfer_encoding", "Transfer-Encoding: only chunked is supported");
  }
  head.framing = BodyFraming::Chunked;
  return {};
}

Check checkSingletons(RequestHead& head) {
  size_t hosts = head.count("host");
  if (hosts > 1 || (hosts == 0 && head.minorVersion == 1)) {
    return error(400, "host", "Host: an HTTP/1.1 request needs exactly one");
  }
  if (head.count("authorization") > 1) {
    return error(400, "authorization", "Authorization: given more than once");
  }
  return {};
}

Check checkConnection(RequestHead& head) {
  std::vector<std::string> options = listElements(head.joined("connection"));
  auto has = [&](const char* option) {
    return std::find(options.begin(), options.end(), option) != options.end();
  };
  head.keepAlive = head.minorVersion == 1 ? !has("close") : has("keep-alive");
  if (head.count("expect") == 0) return {};
  if (lower(head.joined("expect")) != "100-continue") {
    return error(417, "expect", "Expect: only 100-continue is supported");
  }
  head.expectContinue = head.minorVersion == 1;
  return {};
}

}  // namespace

std::string RequestHead::joined(std::string_view lowercaseName) const {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (name != lowercaseName) continue;
    if (!out.empty()) out += ", ";
    out += value;
  }
  return out;
}

size_t RequestHead::count(std::string_view lowercaseName) const {
  return static_cast<size_t>(std::count_if(
      fields.begin(), fields.end(), [&](const auto& f) { return f.first == lowercaseName; }));
}

std::expected<RequestHead, HeadError> parseRequestHead(std::string_view head) {
  RequestHead out;
  while (head.starts_with("\r\n")) head.remove_prefix(2);
  bool first = true;
  while (!head.empty()) {
    size_t end = head.find("\r\n");
    if (end == std::string_view::npos) break;
    std::string_view line = head.substr(0, end);
    head.remove_prefix(end + 2);
    if (line.empty()) break;
    Check parsed = first ? parseRequestLine(line, out) : parseField(line, out);
    if (!parsed) return std::unexpected(parsed.error());
    first = false;
  }
  if (first) return std::unexpected(HeadError{400, "request_line", "request line: missing"});
  for (auto check : {checkSingletons, checkContentLength, checkTransferEncoding, checkConnection}) {
    if (Check result = check(out); !result) return std::unexpected(result.error());
  }
  return out;
}

HeadScanner::State HeadScanner::fail(int status, std::string reason, std::string message) {
  error_ = HeadError{status, std::move(reason), std::move(message)};
  return State::Invalid;
}

HeadScanner::State HeadScanner::scan(std::string_view buffer) {
  while (position_ < buffer.size()) {
    char c = buffer[position_];
    if (c == '\n') {
      if (State state = endOfLine(buffer); state != State::Incomplete) return state;
      continue;
    }
    if (position_ > lineStart_ && buffer[position_ - 1] == '\r') {
      return fail(400, "line_ending", "request head: a CR not followed by LF");
    }
    ++position_;
  }
  return checkOpenLine(buffer, false);
}

HeadScanner::State HeadScanner::endOfLine(std::string_view buffer) {
  if (position_ == lineStart_ || buffer[position_ - 1] != '\r') {
    return fail(400, "line_ending", "request head: lines must end in CRLF");
  }
  size_t length = position_ - 1 - lineStart_;
  ++position_;
  if (length == 0 && lines_ == 0) {
    if (position_ / 2 > kMaxLeadingEmptyLines) {
      return fail(400, "request_line", "request line: too many empty lines before it");
    }
    skipped_ = lineStart_ = position_;
    return State::Incomplete;
  }
  if (length == 0) {
    end_ = position_;
    return State::Complete;
  }
  if (State state = checkOpenLine(buffer.substr(0, position_ - 2), true);
      state != State::Incomplete) {
    return state;
  }
  ++lines_;
  lineStart_ = position_;
  if (lines_ > kMaxFields + 1) {
    return fail(431, "headers_too_large",
                "request head: more than " + std::to_string(kMaxFields) + " header fields");
  }
  return State::Incomplete;
}

// The limits for the line that `buffer` ends in: still open, or, when `ended`, just ended before
// its CRLF.
HeadScanner::State HeadScanner::checkOpenLine(std::string_view buffer, bool ended) {
  size_t length = buffer.size() - std::min(lineStart_, buffer.size());
  if (lines_ == 0 && !startsWithMethod(buffer.substr(lineStart_), ended)) {
    return fail(400, "request_line", "request line: does not start with a method");
  }
  if (lines_ == 0 && length > kMaxRequestLineBytes) {
    // Only the target can make a well-formed request line this long.
    return fail(414, "uri_too_long",
                "request target: longer than " + std::to_string(kMaxRequestLineBytes) + " bytes");
  }
  if ((lines_ > 0 && length > kMaxFieldLineBytes) || buffer.size() - skipped_ > kMaxHeadBytes) {
    return fail(431, "headers_too_large",
                "request head: a field over " + std::to_string(kMaxFieldLineBytes) +
                    " bytes or a head over " + std::to_string(kMaxHeadBytes));
  }
  return State::Incomplete;
}

}  // namespace wxb
