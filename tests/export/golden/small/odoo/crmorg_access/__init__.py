# This module holds data only: groups, access rights, record rules.
