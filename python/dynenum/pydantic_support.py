"""Pydantic 1.x validation of fields typed with an enum_class() class.

    class Request(pydantic.BaseModel):
        endpoint: EndpointType                                   # real members only
        plugin_endpoint: EndpointType = pydantic.Field(..., allow_dynamic=True)

Any spelling of a real member validates to that member.  A valid name that
is no real member validates to its dynamic member only where the field says
allow_dynamic=True; elsewhere it is refused with Pydantic's enum error,
which lists the permitted values.  Names dynenum refuses are refused with
dynenum's message.  Pydantic is imported only when a model uses the class.
"""


from .database_enum import LookupFailed


def validate(cls, value, field):
    from pydantic import errors

    try:
        member = cls._dynenum_lookup(value)
    except LookupFailed as error:
        raise ValueError(str(error)) from None
    if member.dynamic and not field.field_info.extra.get("allow_dynamic", False):
        raise errors.EnumMemberError(enum_values=list(cls))
    return member
