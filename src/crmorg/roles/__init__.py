"""Roles, responsibilities (RACI), departments, teams and people."""

from crmorg.roles.models import Department, Person, Responsibility, Role, Team

__all__ = ["Department", "Person", "Responsibility", "Role", "Team"]
