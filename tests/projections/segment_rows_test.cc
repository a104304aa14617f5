// A segment line's binary row (projections/segment_rows.h): every field survives the round trip,
// including empty and non-ASCII text, and a row that is cut short, has bytes left over, another
// version or an unknown correspondence is Corruption, not a half-read line.
#include "projections/segment_rows.h"

#include <doctest/doctest.h>

namespace crm {
namespace {

segment::Line Sample() {
  segment::Line l;
  l.description = "Spring fair, hall B";
  l.correspondence = fb::Correspondence::Letter;
  l.campaign_target = true;
  l.language = "da";
  l.subject = "Invitation: Ærø & Æbeltoft";
  l.evaluation = "";
  return l;
}

TEST_CASE("a segment line row round-trips") {
  const segment::Line l = Sample();
  auto back = DecodeSegmentLine(EncodeSegmentLine(l));
  REQUIRE(back.ok());
  CHECK(*back == l);
  segment::Line empty;
  CHECK(*DecodeSegmentLine(EncodeSegmentLine(empty)) == empty);
}

TEST_CASE("a damaged segment line row is Corruption") {
  const std::string row = EncodeSegmentLine(Sample());
  for (size_t n = 0; n < row.size(); ++n) {
    CHECK(DecodeSegmentLine(row.substr(0, n)).status().code() == StatusCode::kCorruption);
  }
  CHECK(DecodeSegmentLine(row + "x").status().code() == StatusCode::kCorruption);
  std::string other_version = row;
  other_version[0] = 2;
  CHECK(DecodeSegmentLine(other_version).status().code() == StatusCode::kCorruption);
  std::string bad_correspondence = EncodeSegmentLine(segment::Line{});
  bad_correspondence[2] = 9;  // version, empty description, then the correspondence
  CHECK(DecodeSegmentLine(bad_correspondence).status().code() == StatusCode::kCorruption);
}

}  // namespace
}  // namespace crm
