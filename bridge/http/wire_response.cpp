#include "bridge/http/wire_response.h"

#include <cstdio>
#include <ctime>
#include <utility>

namespace wxb {

namespace {

// IMF-fixdate of the current second (RFC 9110 5.6.7), formatted once a second per thread. Not
// strftime: its day and month names follow the locale.
const std::string& httpDate() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t second = 0;
  thread_local std::string text;
  std::time_t now = std::time(nullptr);
  if (now != second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[64];
    int n = std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                          kDays[utc.tm_wday], utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900,
                          utc.tm_hour, utc.tm_min, utc.tm_sec);
    text.assign(buffer, static_cast<size_t>(n));
    second = now;
  }
  return text;
}

void appendClean(std::string& out, const std::string& text) {
  for (char c : text) {
    if (c != '\r' && c != '\n') out += c;
  }
}

}  // namespace

const char* reasonPhrase(int status) {
  static const std::pair<int, const char*> kPhrases[] = {{100, "Continue"},
                                                         {200, "OK"},
                                                         {201, "Created"},
                                                         {202, "Accepted"},
                                                         {204, "No Content"},
                                                         {304, "Not Modified"},
                                                         {400, "Bad Request"},
                                                         {401, "Unauthorized"},
                                                         {403, "Forbidden"},
                                                         {404, "Not Found"},
                                                         {405, "Method Not Allowed"},
                                                         {408, "Request Timeout"},
                                                         {409, "Conflict"},
                                                         {410, "Gone"},
                                                         {413, "Content Too Large"},
                                                         {414, "URI Too Long"},
                                                         {415, "Unsupported Media Type"},
                                                         {417, "Expectation Failed"},
                                                         {422, "Unprocessable Content"},
                                                         {429, "Too Many Requests"},
                                                         {431, "Request Header Fields Too Large"},
                                                         {500, "Internal Server Error"},
                                                         {501, "Not Implemented"},
                                                         {502, "Bad Gateway"},
                                                         {503, "Service Unavailable"},
                                                         {504, "Gateway Timeout"},
                                                         {505, "HTTP Version Not Supported"}};
  for (const auto& [code, phrase] : kPhrases) {
    if (code == status) return phrase;
  }
  return "Unknown";
}

void appendResponse(std::string& out, const ApiResponse& response, const WireOptions& options) {
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += reasonPhrase(response.status);
  out += "\r\nDate: ";
  out += httpDate();
  out += "\r\nContent-Type: ";
  appendClean(out, response.contentType);
  out += "\r\nContent-Length: ";
  out += std::to_string(response.body.size());
  for (const auto& [name, value] : response.headers) {
    out += "\r\n";
    appendClean(out, name);
    out += ": ";
    appendClean(out, value);
  }
  if (!options.keepAlive) {
    out += "\r\nConnection: close";
  } else if (options.http10) {
    out += "\r\nConnection: keep-alive";
  }
  out += "\r\n\r\n";
  if (!options.headOnly) out += response.body;
}

ApiResponse protocolError(int status, const std::string& message) {
  static const std::pair<int, const char*> kCodes[] = {{408, "request_timeout"},
                                                       {413, "body_too_large"},
                                                       {414, "uri_too_long"},
                                                       {417, "expectation_failed"},
                                                       {431, "request_header_fields_too_large"},
                                                       {501, "not_implemented"},
                                                       {503, "too_many_connections"},
                                                       {505, "http_version_not_supported"}};
  for (const auto& [code, name] : kCodes) {
    if (code == status) return apiError(status, name, message);
  }
  return apiError(status, "bad_request", message);
}

}  // namespace wxb
