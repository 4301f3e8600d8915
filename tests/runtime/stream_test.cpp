// Streaming calls of the three kinds, in both handler styles.
#include <atomic>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

#ifndef IDLRPC_TEST_VOLUME_DIVISOR
#define IDLRPC_TEST_VOLUME_DIVISOR 1
#endif
/// "Many messages": 100,000, or a tenth of it under a sanitizer.
constexpr std::uint32_t kMany = 100000 / IDLRPC_TEST_VOLUME_DIVISOR;

class StreamTest : public ::testing::TestWithParam<Style> {
 protected:
  TestServer server_{GetParam()};
  Tester::Client client_ = server_.client();
};

TestRequest count_request(std::uint32_t count) {
  TestRequest request;
  request.count = count;
  return request;
}

// --- Server streaming ------------------------------------------------------

TEST_P(StreamTest, ServerStreamingDeliversEveryMessageInOrder) {
  for (std::uint32_t count : {0u, 1u, kMany}) {
    std::uint32_t received = 0;
    bool in_order = true;
    for (auto& message : client_.Count(count_request(count))) {
      in_order = in_order && message.text == std::to_string(received);
      ++received;
    }
    EXPECT_EQ(received, count);
    EXPECT_TRUE(in_order);
  }
}

TEST_P(StreamTest, ServerStreamingErrorAfterSomeMessages) {
  TestRequest request = count_request(5);
  request.fail_code = static_cast<std::uint16_t>(StatusCode::ABORTED);
  request.text = "stopped half way";
  auto reader = client_.Count(request);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(reader.read()->text, std::to_string(i));
  try {
    reader.read();
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::ABORTED);
    EXPECT_EQ(e.message(), "stopped half way");
  }
}

TEST_P(StreamTest, ServerStreamingCarriesMetadataBothWays) {
  ResponseMetadata received;
  CallOptions options;
  options.add_metadata("x-echo", "streamed");
  options.response_metadata = &received;
  auto reader = client_.Count(count_request(3), options);
  EXPECT_EQ(reader.read()->text, "0");
  reader.finish();
  EXPECT_EQ(received.initial.get("x-initial"), "streamed");
  EXPECT_EQ(received.trailing.get("x-trailing"), "streamed");
}

TEST_P(StreamTest, InitialMetadataSentAheadIsReadWhileTheStreamIsOpen) {
  // The handler sends its initial metadata at once and then writes
  // nothing: the client reads it while the call is still open.
  CallOptions options;
  options.add_metadata("x-echo", "early");
  options.add_metadata("x-send-initial-now", "1");
  TestRequest request = count_request(0);
  request.wait_for_cancel = true;
  auto reader = client_.Count(request, options);
  auto metadata = reader.async_initial_metadata(boost::asio::use_future);
  ASSERT_EQ(metadata.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(metadata.get().get("x-initial"), "early");
  EXPECT_EQ(server_.observed().written, 0u);  // nothing was written: the metadata came alone
  reader.cancel();
}

TEST_P(StreamTest, InitialMetadataComesWithTheFirstMessageOtherwise) {
  CallOptions options;
  options.add_metadata("x-echo", "with-message");
  auto reader = client_.Count(count_request(2), options);
  EXPECT_EQ(reader.initial_metadata().get("x-initial"), "with-message");
  EXPECT_EQ(reader.read()->text, "0");
  EXPECT_EQ(reader.read()->text, "1");
  reader.finish();
}

TEST_P(StreamTest, InitialMetadataIsEmptyWhenTheServerSetNone) {
  auto reader = client_.Count(count_request(1));
  EXPECT_TRUE(reader.initial_metadata().empty());  // known at the first message: no HEADERS before it
  EXPECT_EQ(reader.read()->text, "0");
  reader.finish();
  auto ended = client_.Count(count_request(0));
  ended.finish();
  EXPECT_TRUE(ended.initial_metadata().empty());  // and after the end
}

TEST_P(StreamTest, CancellingAReadOperationCancelsTheCall) {
  // Asio per-operation cancellation: the read loses the race against a
  // timer in awaitable_operators' `||`, and the call is cancelled.
  using namespace boost::asio::experimental::awaitable_operators;
  TestRequest request = count_request(0);
  request.wait_for_cancel = true;  // nothing arrives
  auto reader = client_.Count(request);
  boost::asio::io_context io;
  std::optional<std::size_t> winner;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        boost::asio::steady_timer timer(io, 100ms);
        auto result = co_await (reader.async_read(boost::asio::use_awaitable) ||
                                timer.async_wait(boost::asio::use_awaitable));
        winner = result.index();
      },
      boost::asio::detached);
  io.run_for(20s);
  ASSERT_EQ(winner, 1u);  // the timer
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
  EXPECT_EQ(code_of([&] { reader.read(); }), StatusCode::CANCELLED);
}

TEST_P(StreamTest, DeadlineMidStream) {
  TestRequest request = count_request(3);
  request.wait_for_cancel = true;
  auto reader = client_.Count(request, CallOptions().set_timeout(300ms));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(reader.read()->text, std::to_string(i));
  EXPECT_EQ(code_of([&] { reader.read(); }), StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
}

TEST_P(StreamTest, ClientCancelsMidStream) {
  TestRequest request = count_request(2);
  request.wait_for_cancel = true;
  std::stop_source stop;
  auto reader = client_.Count(request, CallOptions().set_cancellation(stop.get_token()));
  EXPECT_EQ(reader.read()->text, "0");
  EXPECT_EQ(reader.read()->text, "1");
  stop.request_stop();
  EXPECT_EQ(code_of([&] { reader.read(); }), StatusCode::CANCELLED);
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
}

TEST_P(StreamTest, AfterCancelAReadEndsAtOnceInsteadOfReturningWhatWaits) {
  TestRequest request = count_request(50);
  request.wait_for_cancel = true;  // the handler stays on after its 50 messages
  auto reader = client_.Count(request);
  EXPECT_EQ(reader.read()->text, "0");
  // Let the other 49 arrive and wait in the call's inbox.
  EXPECT_TRUE(eventually([&] { return server_.observed().written >= 50; }));
  std::this_thread::sleep_for(100ms);
  reader.cancel();
  EXPECT_EQ(code_of([&] { reader.read(); }), StatusCode::CANCELLED);
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
}

TEST_P(StreamTest, TwoReadsInFlightAreTheCallersMistake) {
  // StreamCore's contract, checked (IDLRPC_REQUIRE): a second read while
  // the first waits throws std::logic_error on the caller's thread and
  // leaves the call as it was.
  TestRequest request = count_request(0);
  request.wait_for_cancel = true;  // nothing arrives: the first read waits
  auto reader = client_.Count(request);
  std::promise<StatusCode> first_read;
  reader.async_read([&](std::exception_ptr error, std::optional<TestResponse>) {
    first_read.set_value(error ? code_of([&] { std::rethrow_exception(error); }) : StatusCode::OK);
  });
  try {
    reader.async_read([](std::exception_ptr, std::optional<TestResponse>) {});
    ADD_FAILURE() << "a second read in flight did not throw";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "idlrpc: a stream read while another read of it is in flight: wait for the first");
  }
  reader.cancel();  // the first read still completes, as any read does
  EXPECT_EQ(first_read.get_future().get(), StatusCode::CANCELLED);
}

TEST_P(StreamTest, DroppingTheReaderCancelsTheCall) {
  TestRequest request = count_request(1);
  request.wait_for_cancel = true;
  {
    auto reader = client_.Count(request);
    EXPECT_EQ(reader.read()->text, "0");
  }
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
}

TEST_P(StreamTest, SlowReaderKeepsMemoryBounded) {
  // 2 GiB in 64 KiB messages (a tenth under sanitizers). The reader is slow
  // at first: flow control must pause the server's writer, which may run
  // ahead only by the stream window (the channel's default: 4 MiB = 64
  // messages) plus a little.
  constexpr std::uint32_t kMessageBytes = 64 * 1024;
  const long window_messages = ChannelOptions{}.stream_window_bytes / kMessageBytes;
  constexpr std::uint32_t kMessages = (2u << 30) / kMessageBytes / IDLRPC_TEST_VOLUME_DIVISOR;
  constexpr std::uint64_t kTotalBytes = std::uint64_t{kMessages} * kMessageBytes;
  TestRequest request = count_request(kMessages);
  request.response_bytes = kMessageBytes;
  const std::size_t baseline = resident_bytes();
  std::size_t peak = baseline;
  long read = 0;
  long most_ahead = 0;
  for (auto& message : client_.Count(request)) {
    // Frames this large reach the reader in buffers of their own.
    ASSERT_EQ(message.payload.size(), kMessageBytes);
    ASSERT_EQ(message.payload.find_first_not_of('r'), std::string::npos);
    ASSERT_EQ(message.text, std::to_string(read));
    ++read;
    if (read <= 2 * window_messages) {
      std::this_thread::sleep_for(10ms);  // slow: the writer must wait for us
      most_ahead = std::max(most_ahead, server_.observed().written.load() - read);
    }
    if (read % 256 == 0) peak = std::max(peak, resident_bytes());
  }
  EXPECT_EQ(static_cast<std::uint64_t>(read) * kMessageBytes, kTotalBytes);
  EXPECT_LE(most_ahead, window_messages + 8) << "the writer ran ahead of the reader";
#if IDLRPC_TEST_VOLUME_DIVISOR == 1  // sanitizer allocators keep freed memory resident
  EXPECT_LT(peak - baseline, 64u << 20) << "baseline " << (baseline >> 20) << " MiB, peak " << (peak >> 20) << " MiB";
#endif
  std::printf("slow reader: %ld messages; resident memory %zu MiB at start, %zu MiB at peak\n", read, baseline >> 20,
              peak >> 20);
}

// --- Client streaming ------------------------------------------------------

TEST_P(StreamTest, ClientStreamingCountsEveryMessage) {
  for (std::uint32_t count : {0u, 1u, kMany}) {
    auto writer = client_.Sum();
    TestRequest request;
    request.payload = "ab";
    for (std::uint32_t i = 0; i < count; ++i) ASSERT_TRUE(writer.write(request));
    EXPECT_EQ(writer.finish().text, std::to_string(count) + " messages, " + std::to_string(2 * count) + " bytes");
  }
}

// The coroutine writes of a client stream, from the channel's I/O thread
// and from a thread of the test's own, deliver each message exactly once.
TEST_P(StreamTest, ClientStreamingCoroutineWritesCountEveryMessage) {
  for (std::uint32_t count : {0u, 1u, kMany}) {
    auto writer = client_.Sum();
    TestRequest request;
    request.payload = "ab";
    auto& io = coroutine_io();
    io.restart();
    std::uint32_t sent = 0;
    boost::asio::co_spawn(
        io,
        [&]() -> Task<void> {
          // Not `sent < count && co_await ...`: g++ 12 evaluates a co_await
          // on the right of && even when the left side is false.
          while (sent < count) {
            if (!co_await writer.async_write(request, boost::asio::use_awaitable)) break;
            ++sent;
          }
        },
        boost::asio::detached);
    io.run();
    EXPECT_EQ(sent, count);
    EXPECT_EQ(writer.finish().text, std::to_string(count) + " messages, " + std::to_string(2 * count) + " bytes");
  }
}

// On the channel's own I/O thread, reads of waiting messages and writes
// within credit complete at once (the fast path), and every so often yield
// to the loop: the counts and the order must come out exactly the same.
TEST_P(StreamTest, CoroutinesOnTheChannelsThreadSeeEveryMessageInOrder) {
  auto on_channel_thread = [&](Task<std::uint32_t> task) {
    return boost::asio::co_spawn(client_.channel().executor(), std::move(task), boost::asio::use_future).get();
  };
  for (std::uint32_t count : {0u, 1u, kMany}) {
    auto reader = client_.Count(count_request(count));
    const std::uint32_t in_order = on_channel_thread([&]() -> Task<std::uint32_t> {
      std::uint32_t received = 0;
      while (auto message = co_await reader.async_read(boost::asio::use_awaitable)) {
        if (message->text != std::to_string(received)) break;
        ++received;
      }
      co_return received;
    }());
    EXPECT_EQ(in_order, count);

    auto writer = client_.Sum();
    TestRequest request;
    request.payload = "ab";
    const std::uint32_t sent = on_channel_thread([&]() -> Task<std::uint32_t> {
      std::uint32_t written = 0;
      while (written < count) {
        if (!co_await writer.async_write(request, boost::asio::use_awaitable)) break;
        ++written;
      }
      co_return written;
    }());
    EXPECT_EQ(sent, count);
    EXPECT_EQ(writer.finish().text, std::to_string(count) + " messages, " + std::to_string(2 * count) + " bytes");
  }
}

TEST_P(StreamTest, ClientStreamingAsyncFinishTakesAnyCompletionToken) {
  auto writer = client_.Sum();
  TestRequest request;
  request.payload = "abc";
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(writer.write(request));
  std::promise<std::string> done;
  writer.async_finish([&](std::exception_ptr error, TestResponse response) {
    done.set_value(error ? "error" : response.text);
  });
  auto result = done.get_future();
  ASSERT_EQ(result.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(result.get(), "3 messages, 9 bytes");

  // A failure reaches the token as the RpcError.
  auto failing = client_.Sum();
  TestRequest fail;
  fail.fail_code = static_cast<std::uint16_t>(StatusCode::FAILED_PRECONDITION);
  fail.text = "no";
  failing.write(fail);
  auto future = failing.async_finish(boost::asio::use_future);
  EXPECT_EQ(code_of([&] { future.get(); }), StatusCode::FAILED_PRECONDITION);
}

TEST_P(StreamTest, ClientStreamingErrorMidStream) {
  auto writer = client_.Sum();
  EXPECT_TRUE(writer.write(TestRequest{}));
  TestRequest bad;
  bad.fail_code = static_cast<std::uint16_t>(StatusCode::INVALID_ARGUMENT);
  bad.text = "bad item";
  writer.write(bad);
  // Writes after the server failed the call report false (or are dropped).
  for (int i = 0; i < 10; ++i) writer.write(TestRequest{});
  try {
    writer.finish();
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(e.message(), "bad item");
  }
}

TEST_P(StreamTest, ClientCancelsClientStream) {
  auto writer = client_.Sum();
  EXPECT_TRUE(writer.write(TestRequest{}));
  ASSERT_TRUE(eventually([&] { return server_.observed().started == 1; }));
  writer.cancel();
  EXPECT_FALSE(writer.write(TestRequest{}));
  EXPECT_EQ(code_of([&] { writer.finish(); }), StatusCode::CANCELLED);
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
}

TEST_P(StreamTest, ClientStreamingWriterIsPausedBySlowServer) {
  // The server takes 1 ms per message; the client must not run ahead by
  // more than the stream window (4 MiB), whatever it writes.
  auto writer = client_.Sum();
  TestRequest request;
  request.payload.assign(64 * 1024, 'x');
  request.delay_ms = 1;
  const std::size_t before = resident_bytes();
  std::size_t peak = before;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(writer.write(request));
    peak = std::max(peak, resident_bytes());
  }
  EXPECT_EQ(writer.finish().text, "200 messages, " + std::to_string(200 * 64 * 1024) + " bytes");
#if IDLRPC_TEST_VOLUME_DIVISOR == 1  // sanitizer allocators keep freed memory resident
  EXPECT_LT(peak - before, 32u * 1024 * 1024);
#endif
}

// --- Bidirectional ---------------------------------------------------------

TEST_P(StreamTest, BidiReadsAndWritesFromTwoThreads) {
  for (std::uint32_t count : {0u, 1u, kMany}) {
    auto stream = client_.Chat();
    std::thread writer([&] {
      TestRequest request;
      for (std::uint32_t i = 0; i < count; ++i) {
        request.text = std::to_string(i);
        if (!stream.write(request)) break;
      }
      stream.writes_done();
    });
    std::uint32_t received = 0;
    bool in_order = true;
    while (auto message = stream.read()) {
      in_order = in_order && message->text == std::to_string(received);
      ++received;
    }
    writer.join();
    stream.finish();
    EXPECT_EQ(received, count);
    EXPECT_TRUE(in_order);
  }
}

TEST_P(StreamTest, BidiServerKeepsWritingAfterTheClientHalfCloses) {
  auto stream = client_.Chat();
  TestRequest request;
  request.count = 3;
  ASSERT_TRUE(stream.write(request));
  ASSERT_TRUE(stream.writes_done());
  std::vector<std::string> texts;
  for (auto& message : stream) texts.push_back(message.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_NO_THROW(stream.finish());
}

TEST_P(StreamTest, BidiServerEndsFirstWhileTheClientStillWrites) {
  auto stream = client_.Chat();
  TestRequest bye;
  bye.text = "bye";
  ASSERT_TRUE(stream.write(bye));
  EXPECT_FALSE(stream.read().has_value());  // the server ended the call OK
  EXPECT_NO_THROW(stream.finish());
  EXPECT_FALSE(stream.write(TestRequest{}));
}

TEST_P(StreamTest, BidiErrorMidStream) {
  auto stream = client_.Chat();
  TestRequest request;
  request.text = "first";
  ASSERT_TRUE(stream.write(request));
  EXPECT_EQ(stream.read()->text, "first");
  request.fail_code = static_cast<std::uint16_t>(StatusCode::OUT_OF_RANGE);
  request.text = "too far";
  stream.write(request);
  try {
    stream.read();
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::OUT_OF_RANGE);
  }
}

// Large messages on one stream do not hold up small calls on the same
// connection: unary calls keep completing while 1 MiB messages stream.
TEST_P(StreamTest, LargeMessagesDoNotStallSmallCallsOnTheSameConnection) {
  // A stream of 1 MiB messages holds the connection busy: its reader takes
  // one message, then waits until the small calls are done, so the server
  // has a whole window of large frames queued or in flight meanwhile (and
  // the stream cannot finish first, however fast it runs).
  constexpr std::uint32_t kLarge = 1000 / IDLRPC_TEST_VOLUME_DIVISOR;
  TestRequest large = count_request(kLarge);
  large.response_bytes = 1 << 20;
  std::atomic<std::uint32_t> received{0};
  std::atomic<bool> small_calls_done{false};
  std::jthread reader([&] {
    for (auto& message : client_.Count(large)) {
      if (message.payload.size() == large.response_bytes) ++received;
      while (!small_calls_done) std::this_thread::sleep_for(1ms);
    }
  });
  ASSERT_TRUE(eventually([&] { return received > 0; }));

  constexpr int kSmallCalls = 50;
  int answered = 0;
  for (int i = 0; i < kSmallCalls; ++i) {
    TestRequest small;
    small.text = "small " + std::to_string(i);
    // A generous deadline: liveness, not speed, is the point here.
    answered += client_.Echo(small, CallOptions{}.set_timeout(10s)).text == small.text ? 1 : 0;
  }
  small_calls_done = true;
  EXPECT_EQ(answered, kSmallCalls);
  reader.join();
  EXPECT_EQ(received, kLarge);
}

TEST_P(StreamTest, HundredConcurrentStreamsOnOneConnection) {
  // One thread drives every stream with the coroutine API.
  auto& io = coroutine_io();
  io.restart();
  std::atomic<int> streams_ok{0};
  constexpr int kStreams = 100;
  constexpr int kMessages = 100;
  for (int s = 0; s < kStreams; ++s) {
    boost::asio::co_spawn(
        io,
        [&, s]() -> Task<void> {
          auto stream = client_.Chat();
          int matched = 0;
          for (int i = 0; i < kMessages; ++i) {
            TestRequest request;
            request.text = std::to_string(s) + ":" + std::to_string(i);
            co_await stream.async_write(request, boost::asio::use_awaitable);
            auto reply = co_await stream.async_read(boost::asio::use_awaitable);
            matched += reply && reply->text == request.text ? 1 : 0;
          }
          co_await stream.async_writes_done(boost::asio::use_awaitable);
          auto end = co_await stream.async_read(boost::asio::use_awaitable);
          co_await stream.async_finish(boost::asio::use_awaitable);
          if (matched == kMessages && !end) ++streams_ok;
        },
        boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(streams_ok, kStreams);
}

INSTANTIATE_TEST_SUITE_P(BothStyles, StreamTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
