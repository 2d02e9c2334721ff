/*
** ignorable_table.h: the Unicode Default_Ignorable_Code_Point property
** behind the rule on new members' names and values, generated into
** ignorable_table.c by tools/mktables.tcl ("tclsh tools/mktables.tcl
** ignorable FILE VERSION NAME" defines one const dynenum_ignorable_table
** called NAME, its ranges static beside it).
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

typedef struct dynenum_ignorable_table {
  const char *unicode_version; /* of the data file, e.g. "15.0.0" */
  const struct dynenum_ignorable_range *ranges;
  unsigned int range_count;
} dynenum_ignorable_table;

/* The table of the rule on new members: Unicode 15.0.0, frozen like the
** key (docs/SPEC.md §2.2.3). */
extern const dynenum_ignorable_table dynenum_ignorable_dynenum;

#endif /* DYNENUM_IGNORABLE_TABLE_H */
