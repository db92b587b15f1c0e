// HttpConnection: one client connection's HTTP/1.1 state machine over a non-blocking socket. It
// never waits on the client: each call reads or writes what the socket allows right now, moves
// the request along (head -> admission -> body -> the route -> the response -> the next
// request), and returns what to wait for next (readable or writable) and until when. A worker
// thread calls it when the socket is ready or its deadline has passed (HttpServer's event
// loop); between calls the connection holds no thread, so a client that sends half a request
// costs a buffer, not a thread.
//
// Deadlines: a request head must arrive within http.header_timeout_ms of its first byte (of the
// accept, for the first request); an idle keep-alive connection is closed after
// http.keep_alive_timeout_ms; a body must arrive, and a response be taken, within
// http.request_timeout_ms. Any answer sent before a declared body was read, and any protocol
// error, ends the connection: the response, then a lingering close (our side shut, the client's
// late bytes read and dropped for a moment) so the client still reads the response.
//
// Not thread-safe: one worker at a time drives a connection (HttpServer guarantees it).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "bridge/http/chunked_body.h"
#include "bridge/http/http_settings.h"
#include "bridge/http/request_head.h"
#include "bridge/http/request_pipeline.h"

namespace wxb {

class HttpConnection {
 public:
  enum class Wait { Read, Write, Close };
  struct Next {
    Wait wait = Wait::Close;
    int64_t deadlineMs = 0;  // steady clock; when it passes, call onExpired()
    bool idle = false;       // between requests with nothing of the next one received
  };

  // Takes ownership of `fd` (closed by the destructor). `acceptedMs`: steady clock ms.
  HttpConnection(int fd, std::string peer, const HttpSettings& settings,
                 const RequestPipeline& pipeline, int64_t acceptedMs);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // What to wait for first.
  Next start() const;
  // The socket is readable, writable, or hung up. `draining`: the server is stopping, so the
  // connection ends after the response it owes.
  Next onReady(int64_t nowMs, bool draining);
  // The deadline passed (or the server is draining and this connection is idle): answers 408
  // if a request had begun, then closes. Always returns Close.
  Next onExpired(int64_t nowMs, bool draining);

  int fd() const { return fd_; }
  const std::string& peer() const { return peer_; }

 private:
  enum class Phase { Head, Body, Write, Linger };
  enum class After { Continue, Close, Linger };
  enum class Read { Data, Closed };

  Read readSome();
  Next process(int64_t nowMs, bool draining);
  // Each returns a Next when the connection must wait (or close), nullopt to go on.
  std::optional<Next> headPhase(int64_t nowMs, bool draining);
  std::optional<Next> bodyPhase(int64_t nowMs, bool draining);
  // A parsed head: answered at once if the pipeline refuses it, else on to its body.
  void admit(int64_t nowMs, bool draining);
  // Queues the route's (or the admission's) answer; `consumed`: the request's bytes in in_.
  void respond(const ApiResponse& response, After after, size_t consumed, int64_t nowMs);
  Next reject(const HeadError& error, int64_t nowMs);
  void queued(After after, size_t consumed, int64_t nowMs);
  Next flush(int64_t nowMs);
  Next linger(int64_t nowMs);
  Next waitForHead() const;
  Next waitForBody() const;

  int fd_;
  std::string peer_;
  const HttpSettings& settings_;
  const RequestPipeline& pipeline_;

  Phase phase_ = Phase::Head;
  bool peerClosed_ = false;  // the client shut its side: answer what is complete, then close
  bool served_ = false;      // at least one response queued
  std::string in_;           // received bytes from the start of the current request
  HeadScanner scanner_;
  int64_t headDeadlineMs_;  // from the accept, then from a later request's first byte
  int64_t idleSinceMs_;

  std::optional<RequestHead> head_;
  size_t headBytes_ = 0;
  Admission admission_;
  std::optional<ChunkedBody> chunked_;
  int64_t requestStartedMs_ = 0;
  std::chrono::steady_clock::time_point started_;  // for the latency metric

  std::string out_;
  size_t sent_ = 0;
  After after_ = After::Continue;
  int64_t phaseDeadlineMs_ = 0;  // of Write and Linger
  size_t discarded_ = 0;         // bytes dropped while lingering
};

}  // namespace wxb
