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
// Threads: each member says which. Most run on the connection's I/O thread
// only; the few marked "any thread" serve a blocking reader or writer on
// another thread through the two mutexes. Callbacks run last in each member
// function, so they may start the next operation.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/interceptor.hpp"
#include "transport/connection.hpp"

namespace idlrpc::detail {

class StreamFlow {
 public:
  /// How a StreamFlow reports a broken rule (an oversized message, a peer
  /// ignoring flow control); the call must then end with that status.
  using ErrorHandler = std::function<void(StatusCode code, const std::string& message)>;
  explicit StreamFlow(ErrorHandler on_error) : on_error_(std::move(on_error)) {}

  /// I/O thread: the stream exists on `connection` as `id`: parked writes
  /// may go.
  void attach(Connection& connection, std::uint32_t id);

  /// Any thread, before posting a read (or a write or close_writes): false
  /// if one is already in flight, which StreamCore's contract forbids. The
  /// claim ends just before the operation's callback runs.
  bool claim_read() noexcept { return reading_.claim(); }
  bool claim_write() noexcept { return writing_.claim(); }

  // From the peer (I/O thread).
  void on_message(InMessagePtr message);
  void on_peer_half_close();
  void on_window_update(std::uint32_t bytes);
  /// I/O thread: the messages received and sent so far (for interceptors).
  const MessageCounts& counts() const noexcept { return counts_; }

  // From the application (I/O thread).
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
  /// I/O thread: half-closes once the write in flight has gone.
  void close_writes(StreamCore::WriteCallback callback);
  /// I/O thread: drops unread messages now and any that arrive later (returning their
  /// credit), e.g. once the application only waits for the status.
  void discard_unread();

  /// I/O thread: the call is over: writes fail from now on; reads get the
  /// messages still queued (none if `discard`), then the end with `result`.
  void end(const CallResult& result, bool discard);
  bool is_over() const noexcept { return phase_ == Phase::kOver; }

 private:
  // Where the stream is in its life (I/O thread).
  enum class Phase {
    kUnattached,  // not yet open on a connection: writes park
    kAttached,    // open as id_ on *connection_
    kOver,        // the call ended; connection_ may be gone
  };
  // The incoming half (guarded by inbox_mutex_: a blocking reader checks it).
  enum class Input {
    kOpen,        // messages arrive and wait to be read
    kDiscarding,  // nobody will read: messages are dropped and their credit returned
    kEnded,       // no more messages; input_end_ says how it ended
  };
  // The outgoing half (I/O thread).
  enum class Output {
    kOpen,     // writes accepted
    kClosing,  // close_writes() asked; the half-close follows the write in flight
    kClosed,   // half-closed, or the last message sent
  };
  // A write waiting for credit or for the connection's backlog to clear.
  struct ParkedWrite {
    OutFramePtr message;
    bool last = false;
    StreamCore::WriteCallback callback;
  };
  // At most one operation of a kind in flight: checked, not trusted.
  class InFlight {
   public:
    bool claim() noexcept { return !busy_.exchange(true, std::memory_order_acq_rel); }
    void release() noexcept { busy_.store(false, std::memory_order_release); }

   private:
    std::atomic<bool> busy_{false};
  };

  bool writes_open() const noexcept { return phase_ != Phase::kOver && output_ == Output::kOpen; }
  // Frames handed over (hand_over) that wait for the backlog to clear, in
  // order; false: some still wait.
  bool send_stalled();
  void drop_stalled();
  // Sends `message` now (credit permitting); false if it broke the size
  // limit. `prepaid`: hand_over() already took its credit.
  bool send(OutFramePtr message, bool last, bool prepaid = false);
  void send_half_close();
  void finish_close(bool closed);
  void complete_write(StreamCore::WriteCallback callback, bool sent);
  void deliver();
  // Under inbox_mutex_: the next message or the end (false: neither yet),
  // counted as consumed; `grant`: credit to give back now.
  bool take_locked(InMessagePtr& message, const CallResult*& end, std::uint32_t& grant);
  std::uint32_t consume_locked(std::size_t bytes);
  bool take_turn();          // false: the fast path yields this time

  ErrorHandler on_error_;
  Phase phase_ = Phase::kUnattached;
  Connection* connection_ = nullptr;  // kAttached: valid (a closing connection ends its streams first)
  std::uint32_t id_ = 0;
  MessageCounts counts_;  // I/O thread
  InFlight reading_;
  InFlight writing_;

  // Receiving. The inbox and its accounting are shared with a blocking
  // reader's thread (read_ahead()): guarded by inbox_mutex_.
  std::mutex inbox_mutex_;
  Input input_ = Input::kOpen;
  std::deque<InMessagePtr> inbox_;
  std::size_t inbox_bytes_ = 0;
  std::uint32_t window_ = 0;        // the credit we granted per stream
  std::uint32_t unacknowledged_ = 0;  // consumed bytes not yet returned as credit
  CallResult input_end_;            // kEnded: set once, before input_ changes
  StreamCore::ReadCallback reader_;

  // Sending.
  Output output_ = Output::kOpen;
  std::int64_t credit_ = 0;
  std::optional<ParkedWrite> parked_;
  StreamCore::WriteCallback close_callback_;  // kClosing: completes with the half-close

  // Handed over by a writer on another thread (see hand_over()), guarded
  // by handoff_mutex_. A drain is scheduled when the first frame arrives
  // in an empty handoff_.
  std::mutex handoff_mutex_;
  bool handoff_open_ = false;        // mirrors kAttached && writes_open() for other threads
  std::int64_t handoff_credit_ = 0;  // credit_ minus what waits in handoff_
  std::vector<OutFramePtr> handoff_;
  std::deque<OutFramePtr> stalled_;  // I/O thread: handed over, waiting for the backlog to clear

  // Operations completed at once in a row (read_now/write_now).
  static constexpr unsigned kMaxFastStreak = 256;
  unsigned fast_streak_ = 0;
};

}  // namespace idlrpc::detail
