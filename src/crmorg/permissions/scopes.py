"""The scopes of a grant: the registry in :mod:`crmorg.roles.scopes`, named here too.

Roles carry grants and a scope's reach is an organisational relation, so the registry
sits in ``roles``; permissions code and older imports find it under this name.
"""

from crmorg.roles.scopes import SCOPE_BY_NAME as SCOPE_BY_NAME
from crmorg.roles.scopes import SCOPE_NAMES as SCOPE_NAMES
from crmorg.roles.scopes import Scope as Scope
