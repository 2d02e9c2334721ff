/*
** casefold_table.h: the shape of a Unicode simple case folding table, the
** parameter every key function of core/key.c folds with.
**
** A table is a file that tools/mktables.tcl generates from a
** CaseFolding.txt ("tclsh tools/mktables.tcl casefold FILE VERSION NAME"):
** it defines one const dynenum_fold_table called NAME, its arrays static
** beside it, so that any number of tables can be linked into one program.
** The DYNENUM collation folds with dynenum_fold_dynenum (Unicode 15.0.0,
** casefold_table.c), and always will: a new Unicode version is a new table
** under a new name for a new collation (ARCHITECTURE.md, "Shipping a new
** Unicode version").
**
** A code point cp below limit folds to
**
**   cp + stage2[(stage1[cp >> DYNENUM_FOLD_SHIFT] << DYNENUM_FOLD_SHIFT)
**               + (cp & ((1 << DYNENUM_FOLD_SHIFT) - 1))]
**
** and every code point at or above limit folds to itself.  The two-byte
** range U+0080..U+07FF also has a direct table of folded code points,
** indexed by the bytes of its UTF-8 sequence: 110lllll 10cccccc is at
** two_byte[cccccc << 8 | lllll], the two bytes read as a little-endian
** number under the mask 0x3F1F, so that a comparator looks up the bytes it
** holds with one AND, and any two bytes give an index inside the table.
** The entries of the lead bytes C0 and C1 (lllll 0 or 1: overlong, never
** well-formed) are 0, which no fold is.  The
** block size is the same for every table, a constant here so that the
** lookup compiles to shifts; a generated file refuses to compile if it
** disagrees.
**
** What the generator guarantees of every table, and key.c relies on:
**   - ASCII folds as Unicode folds it, A-Z to a-z and nothing else, since
**     the key folds ASCII by arithmetic, eight bytes at a time, without the
**     table (Unicode's stability policy keeps this true of every version);
**   - every mapping goes from and to a Unicode scalar value, so a key of
**     valid UTF-8 is valid UTF-8;
**   - no two-byte code point folds to a four-byte one, so a key is at most
**     3/2 of its input and two_byte holds 16-bit code points;
**   - limit is at least 0x10000, so that a three-byte sequence folds
**     through the stages without a test of the limit.
*/
#ifndef DYNENUM_CASEFOLD_TABLE_H
#define DYNENUM_CASEFOLD_TABLE_H

#include "dynenum.h"

#define DYNENUM_FOLD_SHIFT 7

/* One mapping of CaseFolding.txt; the sorted list is the reference data. */
struct dynenum_casefold_pair {
  unsigned int from;
  unsigned int to;
};

struct dynenum_fold_table {
  const char *unicode_version;    /* of the data file, e.g. "15.0.0" */
  const unsigned short *two_byte; /* the fold of U+0080..U+07FF by bytes, 0x3F20 entries */
  const unsigned char *stage1;    /* limit >> DYNENUM_FOLD_SHIFT block numbers */
  const int *stage2;              /* blocks of deltas: folded minus code point */
  uint32_t limit;                 /* code points from here on fold to themselves */
  const struct dynenum_casefold_pair *pairs; /* sorted by from */
  unsigned int pair_count;
};

/* The table of the DYNENUM collation: Unicode 15.0.0, frozen (docs/SPEC.md
** §1.3, §8). */
extern const dynenum_fold_table dynenum_fold_dynenum;

#endif /* DYNENUM_CASEFOLD_TABLE_H */
