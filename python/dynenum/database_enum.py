"""A str-based Enum class whose members are those of a dynenum enum.

    EndpointType = dynenum.enum_class(conn, "endpoint_type")
    EndpointType.OPENAI_CHAT is EndpointType("OpenAI-Chat") is EndpointType["openai_chat"]

Members compare and hash by dynenum's key of their value, which the class
asks the extension for (SELECT dynenum_key(?), cached), so that Python and
COLLATE DYNENUM never disagree.  A spelling that is no real member but a
valid dynamic name gives a dynamic member: the value dynenum_resolve()
answers, interned per key, never iterated.  Lookups that find no real member
in the class always ask the database, so a member added by another
connection or process is seen at the next lookup that misses.

The class serialises its use of the connection with a lock of its own, so
threads may look members up while another registers one (open the
connection with check_same_thread=False to share it between threads).
"""
import enum
import sqlite3
import threading
import types
import typing

from . import listing

# Spellings whose key the class remembers, per class; the cache is emptied
# when full, so a stream of distinct spellings cannot grow it without end.
KEY_CACHE_SIZE = 4096


class EnumState:
    """What one class knows of its enum, and the lock that guards it."""

    def __init__(self, conn, enum_name, table):
        self.conn = conn
        self.enum_name = enum_name
        self.table = table
        self.lock = threading.RLock()
        self.keys = {}
        self.by_key = {}
        self.by_ordinal = {}
        self.dynamic = {}
        self.aliases = {}

    def key(self, text):
        found = self.keys.get(text)
        if found is None:
            # Raises UnicodeEncodeError for a lone surrogate before SQLite
            # sees it: Python's sqlite3 may run a cached statement with its
            # previous parameters after failing to bind one.
            text.encode("utf-8")
            found = listing.key(self.conn, text)
            if len(self.keys) >= KEY_CACHE_SIZE:
                self.keys.clear()
            self.keys[text] = found
        return found


class LookupFailed(Exception):
    """dynenum refused an input (a reserved or malformed name, a non-text
    value); the message is dynenum's."""


def _create_member(cls, name, value, value_key, ordinal):
    member = str.__new__(cls, value)
    member._name_ = name
    member._value_ = value
    member.__objclass__ = cls
    member._dynenum_key = value_key
    member._dynenum_ordinal = ordinal
    return member


class DatabaseEnumType(enum.EnumMeta):
    """The metaclass: lookups by attribute and item from any spelling."""

    # Hidden from type checkers, so that with the stubs of `python3 -m
    # dynenum stubs` a misspelt member is an error there.
    if not typing.TYPE_CHECKING:
        def __getattr__(cls, name):
            # Enum's own machinery and every private name stay plain
            # attributes; dynenum refuses names that start with '_' anyway.
            if name.startswith("_") or "_dynenum_state" not in cls.__dict__:
                raise AttributeError(name)
            try:
                return cls._dynenum_lookup(name)
            except LookupFailed as error:
                raise AttributeError(str(error)) from None

    def __getitem__(cls, name):
        member = cls._member_map_.get(name)
        if member is not None:
            return member
        try:
            return cls._dynenum_lookup(name)
        except LookupFailed as error:
            raise KeyError(str(error)) from None

    def __contains__(cls, value):
        """Whether value spells a real member (a dynamic name does not)."""
        if isinstance(value, cls) and not value.dynamic:
            return True
        try:
            return not cls._dynenum_lookup(value).dynamic
        except LookupFailed:
            return False


class DatabaseEnum(str, enum.Enum, metaclass=DatabaseEnumType):
    """The base of the classes enum_class() makes; see enum_class()."""

    @classmethod
    def _missing_(cls, value):
        try:
            return cls._dynenum_lookup(value)
        except LookupFailed as error:
            raise ValueError(str(error)) from None

    @classmethod
    def _dynenum_lookup(cls, text):
        """The member text spells: a real one, else the interned dynamic one."""
        if isinstance(text, cls):
            return text
        if not isinstance(text, str):
            raise LookupFailed("expected text in enum '%s', got %s %.40r"
                               % (cls._dynenum_state.enum_name, type(text).__name__, text))
        state = cls._dynenum_state
        with state.lock:
            try:
                key = state.key(text)
                member = state.by_key.get(key)
                if member is not None:
                    return member
                value, ordinal = listing.resolve(state.conn, state.enum_name, text)
            except sqlite3.OperationalError as error:
                raise LookupFailed(str(error)) from None
            except UnicodeEncodeError:
                # A lone surrogate: no UTF-8 text, so SQLite never sees it.
                raise LookupFailed("malformed UTF-8 in name %s in enum '%s'"
                                   % (ascii(text), state.enum_name)) from None
            if ordinal is not None:
                # A member this class has not seen: added by another
                # connection, or in this transaction.
                _reload(cls)
                member = state.by_ordinal.get(ordinal)
                if member is not None:
                    return member
            # Interned by the key of the value: every spelling the database
            # resolves to one value is one object.
            value_key = state.key(value)
            member = state.dynamic.get(value_key)
            if member is None:
                member = _create_member(cls, text, value, value_key, None)
                state.dynamic[value_key] = member
            return member

    def __eq__(self, other):
        if isinstance(other, DatabaseEnum):
            return self._dynenum_key == other._dynenum_key
        if isinstance(other, str):
            state = type(self)._dynenum_state
            with state.lock:
                try:
                    return self._dynenum_key == state.key(other)
                except UnicodeEncodeError:  # not text SQLite can hold, so no member's
                    return False
        return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self):
        # The hash of the key, which equals the hash of the value itself for
        # every value that is its own key (each added member's is).
        return hash(self._dynenum_key)

    def __str__(self):
        return self._value_

    def __format__(self, spec):
        return format(self._value_, spec)

    def __repr__(self):
        return "<%s.%s: %r%s>" % (type(self).__name__, self._name_, self._value_,
                                   " (dynamic)" if self._dynenum_ordinal is None else "")

    @types.DynamicClassAttribute
    def ordinal(self):
        """The member's ordinal in the enum, None for a dynamic member."""
        return self._dynenum_ordinal

    @types.DynamicClassAttribute
    def dynamic(self):
        """True for a dynamic member: a valid name that is no real member."""
        return self._dynenum_ordinal is None

    @classmethod
    def __get_validators__(cls):
        # Pydantic 1.x finds this before its own Enum validator.
        from .pydantic_support import validate

        def validate_member(value, field):
            return validate(cls, value, field)
        yield validate_member


def _add_member(cls, row):
    state = cls._dynenum_state
    member = _create_member(cls, row.name, row.value, row.value_key, row.ordinal)
    member._sort_order_ = len(cls._member_names_)
    cls._member_names_.append(row.name)
    cls._member_map_[row.name] = member
    cls._value2member_map_.setdefault(row.value, member)
    type.__setattr__(cls, row.name, member)
    _index(state, member, row)


def _index(state, member, row):
    state.by_ordinal[row.ordinal] = member
    state.by_key[row.name_key] = member
    state.by_key[row.value_key] = member
    # A name that was dynamic is a member now; the old object stays valid
    # and equal to it.
    state.dynamic.pop(row.name_key, None)
    state.dynamic.pop(row.value_key, None)


def _add_aliases(cls):
    """Makes each alias of the enum a Python alias of its member: in
    __members__, as an attribute and by item, found by its key, never
    iterated (SPEC §11.4)."""
    state = cls._dynenum_state
    for alias in listing.read_aliases(state.conn, state.enum_name):
        member = state.by_ordinal.get(alias.ordinal)
        if member is None or cls._member_map_.get(alias.name) is member:
            continue
        cls._member_map_[alias.name] = member
        # An alias called like something the class already has (name,
        # value, a str method) is reached by item and lookup only, as Enum
        # does for such member names: as an attribute it would hide that.
        if not any(alias.name in base.__dict__ for base in cls.__mro__):
            type.__setattr__(cls, alias.name, member)
        state.by_key[alias.name_key] = member
        state.dynamic.pop(alias.name_key, None)
        state.aliases[alias.name] = member


def _reload(cls):
    """Adds the members and aliases the database lists and the class lacks.
    Members are never changed or removed (SPEC §2.2.7), except by a
    rollback: a member the listing no longer has is dropped from lookups and
    iteration, with its aliases."""
    state = cls._dynenum_state
    rows = listing.read_listing(state.conn, state.table)
    listed = {row.ordinal: row for row in rows}
    for ordinal, member in list(state.by_ordinal.items()):
        row = listed.get(ordinal)
        if row is None or row.name_key != state.key(member._name_):
            _forget(cls, member)
    for row in rows:
        if row.ordinal not in state.by_ordinal:
            _add_member(cls, row)
    _add_aliases(cls)


def _forget(cls, member):
    state = cls._dynenum_state
    state.by_ordinal.pop(member._dynenum_ordinal, None)
    state.by_key = {k: m for k, m in state.by_key.items() if m is not member}
    cls._member_names_.remove(member._name_)
    del cls._member_map_[member._name_]
    if cls._value2member_map_.get(member._value_) is member:
        del cls._value2member_map_[member._value_]
    type.__delattr__(cls, member._name_)
    for alias in [name for name, target in state.aliases.items() if target is member]:
        del state.aliases[alias]
        del cls._member_map_[alias]
        if cls.__dict__.get(alias) is member:
            type.__delattr__(cls, alias)


def class_name(enum_name):
    """EndpointType for endpoint_type (and for main.endpoint_type)."""
    table = enum_name.rsplit(".", 1)[-1]
    words = [word for word in table.replace("-", "_").split("_") if word]
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name.isidentifier() else "Enum"


def enum_class(conn, enum_name, name=None, module=None):
    """A str-based Enum class holding the members of the dynenum enum
    enum_name on the sqlite3 connection conn (which has loaded dynenum).

    - Members: the enum's real members, in ordinal order (iteration, len).
      The enum's aliases are Python aliases of their members: in
      __members__, as attributes and items, never iterated.
      A member's value is its declared value; it compares equal to any
      string, or member, whose dynenum key is the key of that value
      (COLLATE DYNENUM), and hashes by that key.
    - Lookups: EndpointType.OPENAI_CHAT, EndpointType("OpenAI-Chat") and
      EndpointType["openai_chat"] give the member whose name or value has
      the key of the spelling, as dynenum_resolve() does.  A valid name that
      is no real member gives a dynamic member (member.dynamic is True,
      member.ordinal None), whose value is exactly what dynenum_resolve()
      answers; the same object for every spelling of it; never iterated.
      Refused names raise ValueError (call), KeyError (item) or
      AttributeError (attribute) with dynenum's message; names that start
      with '_' are never looked up as attributes.
    - Seeing changes: a lookup that finds no real member in the class asks
      the database, so a member another connection or process added is
      seen at the next lookup that misses, at most.  register() adds one;
      refresh() re-reads the listing (after a rollback, say).
    - The class uses conn for as long as it lives; its lookups run inside
      whatever transaction conn has open.

    name is the class's name (EndpointType for endpoint_type by default);
    module its __module__.  Raises sqlite3.OperationalError (`no such enum:
    'X'`) when conn has no such enum.
    """
    if not isinstance(enum_name, str):
        raise TypeError("enum_class(): the enum's name must be a str, not %s" % type(enum_name).__name__)
    listing.check_enum(conn, enum_name)
    table = listing.table_reference(conn, enum_name)
    rows = listing.read_listing(conn, table)
    cls = DatabaseEnum(name or class_name(enum_name), [(row.name, row.value) for row in rows],
                       module=module)
    state = EnumState(conn, enum_name, table)
    type.__setattr__(cls, "_dynenum_state", state)
    # Enum made the members; give each the key and ordinal it compares by.
    for row in rows:
        member = cls._member_map_[row.name]
        member._dynenum_key = row.value_key
        member._dynenum_ordinal = row.ordinal
        _index(state, member, row)
    _add_aliases(cls)
    return cls


def register(cls, name):
    """Adds name to the enum of cls as a real member, in the connection's
    current transaction (INSERT INTO enum(name); the caller commits), and
    returns the member.  A name that already spells a real member adds
    nothing and returns that member.  Raises sqlite3.IntegrityError with
    dynenum's message for a name dynenum refuses."""
    state = cls._dynenum_state
    with state.lock:
        try:
            member = cls._dynenum_lookup(name)
        except LookupFailed:
            member = None  # then the INSERT fails, in dynenum's words for an added name
        if member is not None and not member.dynamic:
            return member
        listing.insert_member(state.conn, state.table, name)
        _reload(cls)
        return state.by_key[state.key(name)]


def refresh(cls):
    """Re-reads the enum's listing: adds members added elsewhere and drops
    members a rollback undid."""
    state = cls._dynenum_state
    with state.lock:
        _reload(cls)
