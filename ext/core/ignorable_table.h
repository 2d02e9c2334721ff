/*
** ignorable_table.h: the Unicode Default_Ignorable_Code_Point property
** behind the rule on new members' names and values, generated into
** ignorable_table.c by tools/mkignorable.tcl.
**
** The ranges are sorted by code point, disjoint and never adjacent (the
** generator merges neighbouring lines of the data file), so a code point is
** default-ignorable exactly when a binary search finds a range holding it
** (dynenum_is_default_ignorable in core/key.c).
*/
#ifndef DYNENUM_IGNORABLE_TABLE_H
#define DYNENUM_IGNORABLE_TABLE_H

/* first..last, both included. */
struct dynenum_ignorable_range {
  unsigned int first;
  unsigned int last;
};

extern const char dynenum_ignorable_unicode_version[];
extern const struct dynenum_ignorable_range dynenum_ignorable_ranges[];
extern const unsigned int dynenum_ignorable_range_count;

#endif /* DYNENUM_IGNORABLE_TABLE_H */
