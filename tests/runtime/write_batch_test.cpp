// WriteBatch (transport/write_batch.hpp, issue 16): the buffers of one
// write carry exactly the frames' bytes, in order; pieces below
// kCopyBelowBytes are copied together into few buffers, larger ones are
// referenced where they are (never copied), a cleared batch starts over,
// and trim() gives back what a large batch left.
#include <string>
#include <vector>

#include <capnp/blob.h>
#include <gtest/gtest.h>

#include "transport/out_frame.hpp"
#include "transport/write_batch.hpp"

namespace idlrpc::detail {
namespace {

OutFramePtr frame_with_text(const std::string& text) {
  OutFramePtr frame = make_message_frame();
  message_payload(*frame).setAs<capnp::Text>(text);
  frame->seal();
  return frame;
}

OutFramePtr frame_with_data(std::size_t size) {
  OutFramePtr frame = make_message_frame();
  capnp::Data::Builder data = message_payload(*frame).initAs<capnp::Data>(static_cast<unsigned>(size));
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<kj::byte>(i * 13);
  frame->seal();
  return frame;
}

std::string concatenated(const std::vector<boost::asio::const_buffer>& buffers) {
  std::string out;
  for (const auto& buffer : buffers) out.append(static_cast<const char*>(buffer.data()), buffer.size());
  return out;
}

TEST(WriteBatch, SmallPiecesAreCopiedTogetherAndLargeOnesReferenced) {
  const OutFramePtr small1 = frame_with_text("first");
  const OutFramePtr large = frame_with_data(100000);
  const OutFramePtr small2 = frame_with_text("second");
  WriteBatch batch;
  batch.add(*small1);
  batch.add(*large);
  batch.add(*small2);
  // Each frame: a framing header and its segments; the large one has two.
  ASSERT_EQ(batch.piece_count(), 2u + 3u + 2u);
  const std::vector<boost::asio::const_buffer> pieces = batch.pieces();
  const std::string expected = concatenated(pieces);

  const std::vector<boost::asio::const_buffer>& buffers = batch.gather();
  // small1 and the large frame's header and first segment; the large
  // segment; small2.
  ASSERT_EQ(buffers.size(), 3u);
  EXPECT_EQ(buffers[1].data(), pieces[4].data()) << "the large segment was copied";
  EXPECT_EQ(buffers[1].size(), pieces[4].size());
  EXPECT_EQ(concatenated(buffers), expected);
}

TEST(WriteBatch, ManySmallFramesMakeOneBuffer) {
  std::vector<OutFramePtr> frames;
  WriteBatch batch;
  for (int i = 0; i < 1000; ++i) {
    frames.push_back(frame_with_text("message " + std::to_string(i)));
    batch.add(*frames.back());
  }
  const std::string expected = concatenated(batch.pieces());
  const std::vector<boost::asio::const_buffer>& buffers = batch.gather();
  ASSERT_EQ(buffers.size(), 1u);
  EXPECT_EQ(concatenated(buffers), expected);
}

TEST(WriteBatch, AClearedBatchStartsOver) {
  const OutFramePtr first = frame_with_text("one");
  const OutFramePtr second = frame_with_data(WriteBatch::kCopyBelowBytes);
  WriteBatch batch;
  batch.add(*first);
  (void)batch.gather();
  batch.clear();
  EXPECT_EQ(batch.piece_count(), 0u);
  batch.add(*second);
  const std::string expected = concatenated(batch.pieces());
  const std::vector<boost::asio::const_buffer>& buffers = batch.gather();
  EXPECT_EQ(concatenated(buffers), expected);
  EXPECT_EQ(buffers.size(), 2u) << "header and first segment copied, the data segment referenced";
}

TEST(WriteBatch, TrimGivesBackALargeBatchsMemory) {
  std::vector<OutFramePtr> frames;
  WriteBatch batch;
  for (int i = 0; i < 2000; ++i) {
    frames.push_back(frame_with_text(std::string(40, 'x')));
    batch.add(*frames.back());
  }
  (void)batch.gather();
  batch.clear();
  EXPECT_GT(batch.retained_bytes(), 3 * WriteBatch::kKeptBytes) << "clear() keeps the memory for the next batch";
  batch.trim();
  EXPECT_LE(batch.retained_bytes(), 3 * WriteBatch::kKeptBytes);
  // And the batch still works.
  batch.add(*frames.front());
  const std::string expected = concatenated(batch.pieces());
  EXPECT_EQ(concatenated(batch.gather()), expected);
}

TEST(WriteBatch, ConsumeLeavesWhatAPartialWriteDidNotTake) {
  std::vector<OutFramePtr> frames;
  WriteBatch batch;
  frames.push_back(frame_with_text("small"));
  frames.push_back(frame_with_text(std::string(3 * WriteBatch::kCopyBelowBytes, 'y')));
  frames.push_back(frame_with_text("after"));
  for (const auto& frame : frames) batch.add(*frame);
  const std::string all = concatenated(batch.pieces());
  const auto& buffers = batch.gather();
  // Every split point a write system call could leave: inside the first
  // buffer, at a buffer's end, inside the large one, all but one byte.
  std::size_t taken = 0;
  for (const std::size_t step : {std::size_t{3}, buffers.front().size() - 3, std::size_t{100},
                                 all.size() - buffers.front().size() - 101}) {
    batch.consume(step);
    taken += step;
    EXPECT_EQ(concatenated(buffers), all.substr(taken)) << "after " << taken << " bytes";
  }
  batch.consume(1);
  EXPECT_TRUE(buffers.empty());
}

TEST(WriteBatch, CopyAllAppendsEveryByteInOrder) {
  std::vector<OutFramePtr> frames;
  WriteBatch batch;
  frames.push_back(frame_with_text("small"));
  frames.push_back(frame_with_text(std::string(3 * WriteBatch::kCopyBelowBytes, 'y')));
  for (const auto& frame : frames) batch.add(*frame);
  std::string out = "kept:";
  batch.copy_all(out);
  EXPECT_EQ(out, "kept:" + concatenated(batch.pieces()));
}

}  // namespace
}  // namespace idlrpc::detail
