// The flow-controlled halves of one streaming call, either side: the
// inbox of received messages waiting for the application's reads, and the
// one write in flight, held back while the peer has granted no credit.
//
// Flow control (docs/protocol.md): a stream's sender starts with the
// receiver's initial window as credit and may send a MESSAGE while its
// credit is positive; each frame's size is subtracted. The receiver returns
// credit with WINDOW_UPDATE as the application consumes messages, so
// unread data per stream stays under one window plus one message.
//
// I/O thread only. Callbacks run last in each member function, so they may
// start the next operation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "idlrpc/detail/stream_core.hpp"
#include "transport/connection.hpp"

namespace idlrpc::detail {

class StreamFlow {
 public:
  /// How a StreamFlow reports a broken rule (an oversized message, a peer
  /// ignoring flow control); the call must then end with that status.
  using ErrorHandler = std::function<void(StatusCode code, const std::string& message)>;
  explicit StreamFlow(ErrorHandler on_error) : on_error_(std::move(on_error)) {}

  /// The stream exists on `connection` as `id`: parked writes may go.
  void attach(Connection& connection, std::uint32_t id);

  // From the peer.
  void on_message(InMessagePtr message);
  void on_peer_half_close();
  void on_window_update(std::uint32_t bytes);

  // From the application.
  void read(StreamCore::ReadCallback callback);
  void write(OutFramePtr message, bool last, StreamCore::WriteCallback callback);
  /// Without waiting: see StreamCore::read_now() and write_now().
  bool read_now(InMessagePtr& message, const CallResult*& end);
  StreamCore::WriteNow write_now(OutFramePtr& message, bool last);

  // Writes from another thread that need not wait (StreamCore::write_ahead).
  // The writer spends a prepaid share of the credit, mirrored under a
  // mutex; the I/O thread sends what was handed over in one batch.

  /// Any thread. true: `message` was taken; if `schedule_drain`, the caller
  /// must have drain_handoff() run on the I/O thread. false: no credit (or
  /// the writes are over): `message` is untouched.
  bool hand_over(OutFramePtr& message, bool& schedule_drain);
  /// Any thread (a blocking reader): takes the next message, or the end,
  /// as read() would deliver it; false if none is waiting. The caller must
  /// have give_back(grant) run on the I/O thread when `grant` > 0.
  bool read_ahead(InMessagePtr& message, const CallResult*& end, std::uint32_t& grant);
  /// I/O thread: returns `grant` bytes of credit to the peer.
  void give_back(std::uint32_t grant);

  /// I/O thread: sends what hand_over() took, in order.
  void drain_handoff();
  /// I/O thread: sends what waited for credit or for the connection's
  /// backlog to clear (Connection::on_backlog_cleared).
  void send_parked();
  /// Any thread: hand_over() refuses from now on (the call is ending).
  void close_writes_ahead();
  /// Any thread (the application cancelled): reads end now with `result`,
  /// without the messages still waiting, which are dropped.
  void end_reads_now(const CallResult& result);
  void close_writes(StreamCore::WriteCallback callback);
  /// Drops unread messages now and any that arrive later (returning their
  /// credit), e.g. once the application only waits for the status.
  void discard_unread();

  /// The call is over: writes fail from now on; reads get the messages
  /// still queued (none if `discard`), then the end with `result`.
  void end(const CallResult& result, bool discard);
  bool is_over() const noexcept { return over_; }

 private:
  // Frames handed over (hand_over) that wait for the backlog to clear, in
  // order; false: some still wait.
  bool send_stalled();
  void drop_stalled();
  // Sends `message` now (credit permitting); false if it broke the size
  // limit. `prepaid`: hand_over() already took its credit.
  bool send(OutFramePtr message, bool last, bool prepaid = false);
  void send_half_close();
  void deliver();
  // Under inbox_mutex_: the next message or the end (false: neither yet),
  // counted as consumed; `grant`: credit to give back now.
  bool take_locked(InMessagePtr& message, const CallResult*& end, std::uint32_t& grant);
  std::uint32_t consume_locked(std::size_t bytes);
  bool take_turn();          // false: the fast path yields this time

  ErrorHandler on_error_;
  Connection* connection_ = nullptr;  // valid until end(): a closing connection ends its streams first
  std::uint32_t id_ = 0;

  // Receiving. The inbox and its accounting are shared with a blocking
  // reader's thread (read_ahead()): guarded by inbox_mutex_.
  std::mutex inbox_mutex_;
  std::deque<InMessagePtr> inbox_;
  std::size_t inbox_bytes_ = 0;
  std::uint32_t window_ = 0;        // the credit we granted per stream
  std::uint32_t unacknowledged_ = 0;  // consumed bytes not yet returned as credit
  StreamCore::ReadCallback reader_;
  bool input_ended_ = false;
  CallResult input_end_;
  bool discarding_ = false;

  // Sending.
  std::int64_t credit_ = 0;
  OutFramePtr parked_;
  bool parked_last_ = false;
  StreamCore::WriteCallback parked_callback_;
  bool close_requested_ = false;
  StreamCore::WriteCallback close_callback_;
  bool writes_closed_ = false;

  // Handed over by a writer on another thread (see hand_over()).
  std::mutex handoff_mutex_;
  std::int64_t handoff_credit_ = 0;  // credit_ minus what waits in handoff_
  std::vector<OutFramePtr> handoff_;
  bool handoff_scheduled_ = false;
  bool handoff_open_ = false;  // attached, writes not closed, call not over
  std::deque<OutFramePtr> stalled_;  // I/O thread: handed over, waiting for the backlog to clear

  bool over_ = false;
  // Operations completed at once in a row (read_now/write_now).
  static constexpr unsigned kMaxFastStreak = 256;
  unsigned fast_streak_ = 0;
};

}  // namespace idlrpc::detail
