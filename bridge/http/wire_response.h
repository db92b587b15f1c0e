// The bytes of a response on the wire (HTTP/1.1 status line, Date, Content-Type,
// Content-Length, the route's extra headers, Connection), and the JSON error a protocol-level
// refusal (HeadError, a timeout, a connection limit) is answered with, in the same
// {"error":{"code","message"}} shape as every other error. Called by the connection loop
// (http_connection.cpp). Thread-safe (the Date text is cached per thread).
#pragma once

#include <string>

#include "bridge/http/api_types.h"
#include "bridge/http/request_head.h"

namespace wxb {

struct WireOptions {
  bool keepAlive = true;  // false: "Connection: close"
  bool http10 = false;    // an HTTP/1.0 client kept alive is told "Connection: keep-alive"
  bool headOnly = false;  // the request was HEAD: the headers a GET would get, no body
};

// Appends `response` to `out`. Header names and values from the route are sent without any CR
// or LF they might hold, so no value can start a header of its own.
void appendResponse(std::string& out, const ApiResponse& response, const WireOptions& options);

// The stable JSON code for a protocol-level status: 400 "bad_request", 408 "request_timeout",
// 413 "body_too_large", 414 "uri_too_long", 417 "expectation_failed", 431
// "request_header_fields_too_large", 501 "not_implemented", 503 "too_many_connections", 505
// "http_version_not_supported"; "bad_request" for anything else.
ApiResponse protocolError(int status, const std::string& message);
inline ApiResponse protocolError(const HeadError& error) {
  return protocolError(error.status, error.message);
}

// "OK", "Not Found" ...; "Unknown" for a status without a phrase here.
const char* reasonPhrase(int status);

}  // namespace wxb
