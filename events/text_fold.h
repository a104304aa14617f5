// Text as a search compares it: Unicode case folding and accents stripped (utf8proc), so that
// "åse" finds "ÅSE" and "Ase", "muller" finds "Müller", "STRASSE" finds "Straße". Letters that are
// not a base letter with a mark stay themselves ("ø", "æ", "ł"), as Unicode decomposes them.
#pragma once

#include <string>
#include <string_view>

namespace crm {

// `text` folded: case-folded (NFKC_Casefold's folding), decomposed, combining marks removed,
// recomposed. Pure ASCII takes a fast path (lower-cased). Invalid UTF-8 is folded byte by byte
// as ASCII would be.
std::string FoldForSearch(std::string_view text);

// Whether `folded_needle` (already FoldForSearch'ed) occurs in `text` once folded; an empty
// needle occurs everywhere.
bool ContainsFolded(std::string_view text, std::string_view folded_needle);

}  // namespace crm
