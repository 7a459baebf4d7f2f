// The writer factory and format names, `none`, and buffered output in pieces.
#include <gtest/gtest.h>

#include <algorithm>

#include "writer_test_util.hpp"

namespace fastthread {
namespace {

using testing::PieceSink;
using testing::TestRow;
using testing::text;
using testing::value;
using testing::write_rows;

TEST(Writer, OutputFormatNamesRoundTrip) {
  for (OutputFormat f : {OutputFormat::none, OutputFormat::ndjson, OutputFormat::json, OutputFormat::csv}) {
    EXPECT_EQ(parse_output_format(to_string(f)), f);
  }
  EXPECT_EQ(to_string(OutputFormat::ndjson), "ndjson");
  EXPECT_EQ(parse_output_format("jsonl"), OutputFormat::ndjson);
  EXPECT_EQ(parse_output_format("NDJSON"), std::nullopt);
  EXPECT_EQ(parse_output_format("tsv"), std::nullopt);
  EXPECT_EQ(parse_output_format(""), std::nullopt);
}

TEST(Writer, NoneWritesNothing) {
  WriterOptions options;
  options.format = OutputFormat::none;
  PieceSink sink;
  auto writer = make_writer(options, sink);
  writer->begin({"a"}, {{}});
  const Field f = text("x");
  const Value v = value(ValueType::string);
  writer->row({&f, 1}, {&v, 1});
  writer->end();
  EXPECT_TRUE(sink.pieces.empty());
  EXPECT_EQ(writer->bytes_written(), 0u);
}

// Rows of varied width with every column type, enough to fill many pieces; `storage`
// owns the text the fields view.
std::vector<TestRow> many_rows(std::vector<std::string>& storage, int count) {
  storage.clear();
  storage.reserve(2 * static_cast<std::size_t>(count));
  std::vector<TestRow> rows;
  for (int i = 0; i < count; ++i) {
    const std::string& id = storage.emplace_back(std::to_string(i));
    const std::string& name = storage.emplace_back(
        std::string(static_cast<std::size_t>(i % 37), static_cast<char>('a' + i % 26)) + ",\"");
    TestRow row;
    row.fields = {text(id), text(name), text(i % 3 ? "true" : "NA")};
    row.values = {value(ValueType::int64), value(ValueType::string),
                  value(i % 3 ? ValueType::boolean : ValueType::null)};
    rows.push_back(std::move(row));
  }
  return rows;
}

class WriterPieces : public ::testing::TestWithParam<OutputFormat> {};

TEST_P(WriterPieces, PiecesConcatenateToTheWholeOutputAndStayNearThePieceSize) {
  std::vector<std::string> storage;
  const std::vector<TestRow> rows = many_rows(storage, 5000);
  const std::vector<std::string> columns = {"id", "name", "ok"};
  const std::vector<ColumnOutput> types = {{ValueType::int64}, {ValueType::string}, {ValueType::boolean}};

  WriterOptions whole;
  whole.format = GetParam();
  whole.piece_bytes = std::size_t{1} << 30;
  const std::string expected = write_rows(whole, columns, types, rows);
  ASSERT_GT(expected.size(), 100000u);

  for (std::size_t piece_bytes : {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{4096}}) {
    WriterOptions options = whole;
    options.piece_bytes = piece_bytes;
    PieceSink sink;
    auto writer = make_writer(options, sink);
    writer->begin(columns, types);
    std::size_t longest_row = 0;
    for (const TestRow& row : rows) {
      const std::uint64_t before = writer->bytes_written();
      writer->row(row.fields, row.values);
      longest_row = std::max<std::size_t>(longest_row, writer->bytes_written() - before);
      // The sink never holds more than has been written, nor lags by more than a piece and a row.
      std::size_t handed = 0;
      for (const std::string& piece : sink.pieces) handed += piece.size();
      ASSERT_LE(handed, writer->bytes_written());
      ASSERT_LT(writer->bytes_written() - handed, std::max<std::size_t>(piece_bytes, 1) + longest_row + 8);
    }
    writer->end();
    // (Not EXPECT_EQ: a mismatch would print megabytes.)
    EXPECT_TRUE(sink.joined() == expected) << "piece_bytes " << piece_bytes;
    EXPECT_EQ(writer->bytes_written(), expected.size());
    ASSERT_GT(sink.pieces.size(), 1u);
    for (std::size_t i = 0; i < sink.pieces.size(); ++i) {
      const std::string& piece = sink.pieces[i];
      EXPECT_FALSE(piece.empty());
      EXPECT_LE(piece.size(), std::max<std::size_t>(piece_bytes, 1) + longest_row + 8) << "piece " << i;
      // Only the last piece may fall short: the writer does not hand over dribbles.
      if (i + 1 < sink.pieces.size()) {
        EXPECT_GE(piece.size(), piece_bytes) << "piece " << i;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllFormats, WriterPieces,
                         ::testing::Values(OutputFormat::ndjson, OutputFormat::json, OutputFormat::csv),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

TEST(Writer, BufferedBytesCountBeforeTheSinkSeesThem) {
  WriterOptions options;
  options.format = OutputFormat::ndjson;
  options.piece_bytes = 1000;
  PieceSink sink;
  auto writer = make_writer(options, sink);
  writer->begin({"a"}, {{ValueType::int64}});
  const Field f = text("12");
  const Value v = value(ValueType::int64);
  writer->row({&f, 1}, {&v, 1});
  EXPECT_TRUE(sink.pieces.empty());
  EXPECT_EQ(writer->bytes_written(), 9u);  // {"a":12}\n
  writer->end();
  ASSERT_EQ(sink.pieces.size(), 1u);
  EXPECT_EQ(sink.pieces[0], "{\"a\":12}\n");
  EXPECT_EQ(writer->bytes_written(), 9u);
}

TEST(Writer, ARowBiggerThanAPieceIsHandedOverWhole) {
  const std::string big(300000, 'x');
  WriterOptions options;
  options.format = OutputFormat::csv;
  options.piece_bytes = 1024;
  PieceSink sink;
  auto writer = make_writer(options, sink);
  writer->begin({"a"}, {});
  const Field small = text("s");
  const Field huge = text(big);
  writer->row({&small, 1}, {});
  writer->row({&huge, 1}, {});
  writer->row({&small, 1}, {});
  writer->end();
  ASSERT_EQ(sink.pieces.size(), 2u);
  EXPECT_EQ(sink.pieces[0], "a\ns\n" + big + "\n");
  EXPECT_EQ(sink.pieces[1], "s\n");
}

}  // namespace
}  // namespace fastthread
