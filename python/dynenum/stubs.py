"""Type stubs for an enum_class() class: a .pyi naming the real members, so
that a type checker knows EndpointType.OPENAI_CHAT and refuses a misspelt
attribute.

    python3 -m dynenum stubs app.db endpoint_type > endpoint_types.pyi

The stub stands for a module whose one export is the class: put
`EndpointType = dynenum.enum_class(conn, "endpoint_type")` in a module of
its own (endpoint_types.py) and the .pyi beside it.  Members added later are
found at run time but are unknown to the stub until it is written again.
Dynamic members are reached by call or item, which the stub types too.
A member or alias that is no attribute of the class (called like one every
member has, such as name or dynamic, or spelt so that Python's parser reads
it as another name: NFKC) is written as a comment; a member that is none but
has an alias that is one is written under the first such alias.  mypy takes
an alias line (OPENAI = OPENAI_CHAT) for a member of its own in exhaustiveness
checks; no other form of the line is an alias to it (SPEC §10).
"""
from .database_enum import DatabaseEnum, class_name, hides_something, is_attribute_name
from .listing import check_enum, enum_schema, read_aliases, read_listing, table_reference


def is_class_attribute(name):
    return is_attribute_name(name) and not hides_something(DatabaseEnum, name)


def stub_text(conn, enum_name, database, name=None):
    """The .pyi text for the class of enum enum_name on conn."""
    check_enum(conn, enum_name)
    rows = read_listing(conn, table_reference(conn, enum_name))
    name = name or class_name(enum_name)
    lines = [
        # repr: a path may hold a newline, which would end the comment.
        "# Type stubs of the dynenum enum %r of %r, written by" % (enum_name, database),
        "# `python3 -m dynenum stubs`: its real members when it ran.",
        "from dynenum import DatabaseEnum",
        "",
        "class %s(DatabaseEnum):" % name,
    ]
    for row in rows:
        if is_class_attribute(row.name):
            lines.append("    %s = %r" % (row.name, row.value))
        else:
            lines.append("    # %r = %r: not an attribute; %s(%r)" % (row.name, row.value, name, row.name))
    # The attribute each member is written as: its name, or the first alias
    # that is one when its name is not.
    spelt = {row.ordinal: row.name for row in rows if is_class_attribute(row.name)}
    by_ordinal = {row.ordinal: row for row in rows}
    for alias in read_aliases(conn, enum_schema(conn, enum_name)):
        member = by_ordinal.get(alias.ordinal)
        if member is None:
            continue
        if not is_class_attribute(alias.name):
            lines.append("    # %r = %s: an alias, not an attribute; %s(%r)"
                         % (alias.name, spelt.get(alias.ordinal) or repr(member.name), name, alias.name))
        elif alias.ordinal in spelt:
            lines.append("    %s = %s  # an alias" % (alias.name, spelt[alias.ordinal]))
        else:
            spelt[alias.ordinal] = alias.name
            lines.append("    %s = %r  # an alias of %r" % (alias.name, member.value, member.name))
    return "\n".join(lines) + "\n"
