/*
** casefold_table.h: the Unicode simple case folding table behind the DYNENUM
** key, generated into casefold_table.c by tools/mkcasefold.tcl.
**
** A code point cp below DYNENUM_CASEFOLD_LIMIT folds to
**
**   cp + dynenum_casefold_stage2[(dynenum_casefold_stage1[cp >> SHIFT] << SHIFT)
**                                + (cp & ((1 << SHIFT) - 1))]
**
** and every code point at or above the limit folds to itself.  The two-byte
** range U+0080..U+07FF also has a direct table of folded code points.  The shape
** constants live here so that the lookup inlines; the generated file refuses
** to compile if they disagree with its data.
*/
#ifndef DYNENUM_CASEFOLD_TABLE_H
#define DYNENUM_CASEFOLD_TABLE_H

#define DYNENUM_CASEFOLD_SHIFT 7
#define DYNENUM_CASEFOLD_BLOCKS 979
#define DYNENUM_CASEFOLD_LIMIT (DYNENUM_CASEFOLD_BLOCKS << DYNENUM_CASEFOLD_SHIFT)

/* One mapping of CaseFolding.txt; the sorted list is the reference data. */
struct dynenum_casefold_pair {
  unsigned int from;
  unsigned int to;
};

extern const char dynenum_casefold_unicode_version[];
extern const unsigned char dynenum_casefold_stage1[DYNENUM_CASEFOLD_BLOCKS];
extern const int dynenum_casefold_stage2[];
extern const unsigned short dynenum_casefold_two_byte[0x800 - 0x80]; /* fold of U+0080..U+07FF */
extern const struct dynenum_casefold_pair dynenum_casefold_pairs[];
extern const unsigned int dynenum_casefold_pair_count;

#endif /* DYNENUM_CASEFOLD_TABLE_H */
